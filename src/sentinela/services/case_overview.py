"""What the workspace shows about cases: the member's case list and one case's overview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case, Membership
from sentinela.db.exhibits import Exhibit
from sentinela.db.hashsets import TRIAGE_CLASSES
from sentinela.db.media import Media, Occurrence
from sentinela.db.workspace import Adjudication, Grade
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import membership, require_member


@dataclass(frozen=True)
class CaseSummary:
    """A case in the member's list."""

    number: str
    title: str
    unit: str
    status: str
    case_role: str
    created_at: datetime


@dataclass(frozen=True)
class CustodyLine:
    """One custody event."""

    action: str
    actor: str
    occurred_at: datetime
    note: str


@dataclass(frozen=True)
class ExhibitSummary:
    """An exhibit with its hashes, its media count and its chain of custody."""

    label: str
    kind: str
    seized_from: str
    seized_at: datetime | None
    sha256: str
    md5: str
    acquisition_verified: bool | None
    last_verification: str | None
    media: int
    custody: tuple[CustodyLine, ...]


@dataclass(frozen=True)
class CaseOverview:
    """One case: exhibits, custody, triage counts and grading progress."""

    number: str
    title: str
    unit: str
    status: str
    scheme: str
    created_at: datetime
    your_role: str
    members: tuple[tuple[str, str], ...]
    exhibits: tuple[ExhibitSummary, ...]
    triage: dict[str, int]
    graded_media: int
    open_adjudications: int


def my_cases(ctx: ServiceContext) -> list[CaseSummary]:
    """The cases the actor is a member of (administrators too: need-to-know is per case).

    Viewing the list is audited."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        rows = session.execute(
            select(Case, Membership.case_role)
            .join(Membership, Membership.case_id == Case.id)
            .where(Membership.user_id == actor.id)
            .order_by(Case.number)
        ).all()
        record(
            session,
            actor=actor.username,
            action="case.list_view",
            object_type="user",
            object_id=actor.username,
            clock=ctx.clock,
            details={"cases": len(rows)},
        )
        return [
            CaseSummary(c.number, c.title, c.unit, c.status, role, c.created_at) for c, role in rows
        ]


def _media_counts(session: Session, case: Case) -> dict[int, int]:
    rows = session.execute(
        select(Occurrence.exhibit_id, func.count(distinct(Occurrence.media_id)))
        .join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
        .where(Exhibit.case_id == case.id)
        .group_by(Occurrence.exhibit_id)
    ).all()
    return {int(e): int(n) for e, n in rows}


def triage_counts(session: Session, case: Case) -> dict[str, int]:
    """Distinct media of the case per triage class (every class present, zero if none)."""
    rows = session.execute(
        select(Media.triage_class, func.count(distinct(Media.id)))
        .join(Occurrence, Occurrence.media_id == Media.id)
        .join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
        .where(Exhibit.case_id == case.id)
        .group_by(Media.triage_class)
    ).all()
    counts = dict.fromkeys(TRIAGE_CLASSES, 0)
    counts.update({str(k): int(n) for k, n in rows})
    return counts


def _exhibit(e: Exhibit, media: int) -> ExhibitSummary:
    return ExhibitSummary(
        e.label,
        e.kind,
        e.seized_from,
        e.seized_at,
        e.sha256,
        e.md5,
        e.acquisition_verified,
        e.last_verification,
        media,
        tuple(CustodyLine(c.action, c.actor_name, c.occurred_at, c.note) for c in e.custody),
    )


def case_overview(ctx: ServiceContext, number: str) -> CaseOverview:
    """A case's overview, for its members (viewing it is audited).

    Raises:
        AccessDenied: not a member (the same answer whether or not the case exists).
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, number, actor)
        mine = membership(session, case, actor)
        counts = _media_counts(session, case)
        exhibits = session.execute(
            select(Exhibit).where(Exhibit.case_id == case.id).order_by(Exhibit.id)
        ).scalars()
        graded = session.execute(
            select(func.count(distinct(Grade.media_id))).where(Grade.case_id == case.id)
        ).scalar_one()
        adjudications = session.execute(
            select(func.count(Adjudication.id)).where(
                Adjudication.case_id == case.id, Adjudication.status == "open"
            )
        ).scalar_one()
        overview = CaseOverview(
            case.number,
            case.title,
            case.unit,
            case.status,
            case.scheme,
            case.created_at,
            mine.case_role if mine else "member",
            tuple(sorted((m.user.username, m.case_role) for m in case.members)),
            tuple(_exhibit(e, counts.get(e.id, 0)) for e in exhibits),
            triage_counts(session, case),
            int(graded),
            int(adjudications),
        )
        record(
            session,
            actor=actor.username,
            action="case.view",
            object_type="case",
            object_id=case.number,
            case_number=case.number,
            clock=ctx.clock,
        )
        return overview
