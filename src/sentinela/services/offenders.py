"""Offenders: a pseudonym, the name or alias when known, and links to series, victims and media.

Investigators often know an offender before anyone has looked at the media, so they may
record one as well as victim-identification specialists. The same need-to-know applies as
for series and victims: the record is seen through its home case or a case a link came
through, and every view and change is audited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case
from sentinela.db.victim_id import Offender
from sentinela.errors import InvalidInputError
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_member
from sentinela.services.victim_id_access import (
    OFFENDER_ROLES,
    HiddenHolders,
    member_cases,
    require_roles,
    visible_subject_ids,
)
from sentinela.services.victim_links import LinkLine, view_subject

MAX_KNOWN_AS = 200


@dataclass(frozen=True)
class OffenderSummary:
    """An offender in a list."""

    offender_id: int
    pseudonym: str
    known_as: str
    home_unit: str


@dataclass(frozen=True)
class OffenderDetail:
    """An offender's page, with the links the viewer may see."""

    offender_id: int
    pseudonym: str
    known_as: str
    description: str
    home_case: str | None
    home_unit: str
    created_at: datetime
    links: tuple[LinkLine, ...]
    hidden: HiddenHolders


def _pseudonym(session: Session) -> str:
    while True:
        candidate = f"O-{secrets.token_hex(4).upper()}"
        taken = session.execute(select(Offender.id).where(Offender.pseudonym == candidate))
        if taken.first() is None:
            return candidate


def create_offender(
    ctx: ServiceContext, case_number: str, *, known_as: str = "", description: str = ""
) -> int:
    """Record an offender in a home case the actor is a member of (audited).

    Returns:
        The new offender's id.

    Raises:
        InvalidInputError: ``known_as`` is too long.
        AccessDenied: the actor lacks the role or is not a member of the case.
    """
    known_as = " ".join(known_as.split())
    if len(known_as) > MAX_KNOWN_AS:
        raise InvalidInputError(f"'known as' takes at most {MAX_KNOWN_AS} characters")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_roles(actor, OFFENDER_ROLES)
        case = require_member(session, case_number, actor)
        offender = Offender(
            pseudonym=_pseudonym(session),
            home_case_id=case.id,
            known_as=known_as,
            description=description,
            created_by=actor.id,
            created_at=ctx.clock(),
        )
        session.add(offender)
        session.flush()
        record(
            session,
            actor=actor.username,
            action="offender.create",
            object_type="offender",
            object_id=offender.id,
            case_number=case.number,
            clock=ctx.clock,
            details={"pseudonym": offender.pseudonym},
        )
        return offender.id


def list_offenders(ctx: ServiceContext) -> list[OffenderSummary]:
    """The offenders the actor may see."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_roles(actor, OFFENDER_ROLES)
        ids = visible_subject_ids(session, "offender", member_cases(session, actor))
        rows = session.execute(
            select(Offender, Case.unit)
            .join(Case, Case.id == Offender.home_case_id)
            .where(Offender.id.in_(ids))
            .order_by(Offender.id)
        ).all()
        return [OffenderSummary(o.id, o.pseudonym, o.known_as, unit) for o, unit in rows]


def show_offender(ctx: ServiceContext, offender_id: int) -> OffenderDetail:
    """An offender and its links, as far as the actor may see them (audited).

    Raises:
        AccessDenied: no role, or the offender is not visible (same answer if none exists).
    """
    with ctx.transaction() as session:
        view = view_subject(ctx, session, "offender", offender_id)
        offender = view.subject
        if not isinstance(offender, Offender):  # pragma: no cover - require_subject's contract
            raise InvalidInputError("not an offender")
        return OffenderDetail(
            offender.id,
            offender.pseudonym,
            offender.known_as,
            offender.description,
            view.home_case,
            view.home_unit,
            offender.created_at,
            view.links,
            view.hidden,
        )
