"""The supervisors' adjudication queue: disagreements between graders, settled by a case lead.

A supervisor is the lead of a case (see ``case_media.py``); they see the disagreements that
arose in the cases they lead, with every grade, and decide the code, which becomes the
national classification. By default they may not decide an item they graded themself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case, Membership
from sentinela.db.media import Media
from sentinela.db.users import User
from sentinela.db.workspace import Adjudication, Grade
from sentinela.errors import AccessDenied, InvalidInputError
from sentinela.services.case_media import require_supervisor
from sentinela.services.context import ServiceContext
from sentinela.services.grading import ConsensusRule, Shortcut, check_code, lock_media, shortcuts
from sentinela.services.national import classify, retriage_after


@dataclass(frozen=True)
class GradeLine:
    """One grade as a supervisor sees it."""

    username: str
    code: str
    graded_at: datetime
    case_number: str | None


@dataclass(frozen=True)
class AdjudicationView:
    """One disagreement."""

    id: int
    media_id: int
    case_number: str
    scheme: str
    status: str
    opened_at: datetime
    grades: tuple[GradeLine, ...]
    shortcuts: tuple[Shortcut, ...]
    decided_code: str | None
    decided_at: datetime | None


@dataclass(frozen=True)
class AdjudicationQueue:
    """The open disagreements from the cases the supervisor leads."""

    supervisor: str
    items: tuple[AdjudicationView, ...]


def _grades(session: Session, media_id: int, scheme: str, visible: set[int]) -> list[GradeLine]:
    rows = session.execute(
        select(User.username, Grade.code, Grade.graded_at, Case.id, Case.number)
        .join(User, User.id == Grade.user_id)
        .join(Case, Case.id == Grade.case_id)
        .where(Grade.media_id == media_id, Grade.scheme == scheme)
        .order_by(Grade.graded_at, Grade.id)
    ).all()
    return [
        GradeLine(u, code, at, number if case_id in visible else None)
        for u, code, at, case_id, number in rows
    ]


def _view(session: Session, adj: Adjudication, visible: set[int]) -> AdjudicationView:
    number = session.execute(select(Case.number).where(Case.id == adj.case_id)).scalar_one()
    return AdjudicationView(
        adj.id,
        adj.media_id,
        number,
        adj.scheme,
        adj.status,
        adj.opened_at,
        tuple(_grades(session, adj.media_id, adj.scheme, visible)),
        shortcuts(adj.scheme),
        adj.decided_code,
        adj.decided_at,
    )


def _member_case_ids(session: Session, user: User) -> set[int]:
    rows = session.execute(select(Membership.case_id).where(Membership.user_id == user.id))
    return set(rows.scalars())


def adjudication_queue(ctx: ServiceContext) -> AdjudicationQueue:
    """Open disagreements from the cases the actor leads (viewing is audited).

    Raises:
        AccessDenied: the actor leads no case.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        led = require_supervisor(session, actor)
        rows = session.execute(
            select(Adjudication)
            .where(Adjudication.case_id.in_(led), Adjudication.status == "open")
            .order_by(Adjudication.opened_at, Adjudication.id)
        ).scalars()
        visible = _member_case_ids(session, actor)
        items = tuple(_view(session, a, visible) for a in rows)
        record(
            session,
            actor=actor.username,
            action="adjudication.queue_view",
            object_type="user",
            object_id=actor.username,
            clock=ctx.clock,
            details={"open": len(items)},
        )
        return AdjudicationQueue(actor.username, items)


def decide(
    ctx: ServiceContext,
    adjudication_id: int,
    code: str,
    *,
    note: str = "",
    rule: ConsensusRule | None = None,
) -> AdjudicationView:
    """Settle a disagreement: ``code`` becomes the national classification.

    Raises:
        AccessDenied: the actor does not lead the case, or graded the item (see the rule);
            an unknown id gets the same answer.
        InvalidInputError: ``code`` is not in the scheme, or the item was already decided.
    """
    r = rule or ConsensusRule()
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        led = require_supervisor(session, actor)
        adj = session.get(Adjudication, adjudication_id)
        if adj is None or adj.case_id not in led:
            raise AccessDenied(f"adjudication {adjudication_id} is not in a case you lead")
        check_code(adj.scheme, code)
        lock_media(session, [adj.media_id])
        session.refresh(adj)
        if adj.status != "open":
            raise InvalidInputError(f"adjudication {adjudication_id} is already decided")
        graded = session.execute(
            select(Grade.id).where(Grade.media_id == adj.media_id, Grade.user_id == actor.id)
        ).first()
        if graded is not None and not r.adjudicator_may_have_graded:
            raise AccessDenied("you graded this item: another supervisor must decide")
        case_number = session.execute(
            select(Case.number).where(Case.id == adj.case_id)
        ).scalar_one()
        adj.status, adj.decided_code = "decided", code
        adj.decided_at, adj.decided_by, adj.note = ctx.clock(), actor.id, note[:2000]
        media = session.get_one(Media, adj.media_id)
        record(
            session,
            actor=actor.username,
            action="adjudication.decide",
            object_type="media",
            object_id=adj.media_id,
            case_number=case_number,
            clock=ctx.clock,
            details={"adjudication": adj.id, "code": code, "note": adj.note},
        )
        classify(
            session,
            media,
            scheme=adj.scheme,
            code=code,
            method="adjudication",
            deciders=[actor.username],
            actor=actor.username,
            case_number=case_number,
            clock=ctx.clock,
        )
        retriage_after(session, [media], clock=ctx.clock)
        return _view(session, adj, _member_case_ids(session, actor))
