"""Victims: pseudonymous records, their links, and the one record of their identification.

A victim is known by a random pseudonym (``V-`` and eight hex digits: random, so that the
number of victims is not readable from it). When a unit identifies the victim, the date, the
unit and the source of the lead are written once, as a row with a unique victim id: two units
recording the same identification at the same moment both try to insert it, the database
keeps one, and the other is told who was first (:class:`VictimAlreadyIdentified`). The yearly
statistics count these rows (``sentinela.stats.victims``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case
from sentinela.db.users import User
from sentinela.db.victim_id import LEAD_SOURCES, Victim, VictimIdentification
from sentinela.errors import AlreadyExistsError, InvalidInputError
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_member
from sentinela.services.victim_id_access import (
    VICTIM_ID_ROLES,
    HiddenHolders,
    member_cases,
    require_roles,
    require_subject,
    visible_subject_ids,
)
from sentinela.services.victim_links import LinkLine, view_subject

EARLIEST_IDENTIFICATION = date(1970, 1, 1)


class VictimAlreadyIdentified(AlreadyExistsError):
    """Another identification of this victim was recorded first."""


@dataclass(frozen=True)
class IdentificationView:
    """The record of an identification."""

    identified_on: date
    unit: str
    lead_source: str
    recorded_by: str
    recorded_at: datetime
    note: str


@dataclass(frozen=True)
class VictimSummary:
    """A victim in a list."""

    victim_id: int
    pseudonym: str
    status: str
    home_unit: str


@dataclass(frozen=True)
class VictimDetail:
    """A victim's page: status, identification, and the links the viewer may see."""

    victim_id: int
    pseudonym: str
    status: str
    description: str
    home_case: str | None
    home_unit: str
    created_at: datetime
    identification: IdentificationView | None
    links: tuple[LinkLine, ...]
    hidden: HiddenHolders
    lead_sources: tuple[str, ...] = LEAD_SOURCES


def _pseudonym(session: Session) -> str:
    while True:
        candidate = f"V-{secrets.token_hex(4).upper()}"
        if session.execute(select(Victim.id).where(Victim.pseudonym == candidate)).first() is None:
            return candidate


def create_victim(ctx: ServiceContext, case_number: str, *, description: str = "") -> int:
    """Record a victim in a home case the actor is a member of (audited).

    ``description`` must not identify the victim (it is seen by everyone who sees the record).

    Returns:
        The new victim's id.

    Raises:
        AccessDenied: not a victim-identification specialist, or not a member of the case.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_roles(actor, VICTIM_ID_ROLES)
        case = require_member(session, case_number, actor)
        victim = Victim(
            pseudonym=_pseudonym(session),
            home_case_id=case.id,
            description=description,
            created_by=actor.id,
            created_at=ctx.clock(),
        )
        session.add(victim)
        session.flush()
        record(
            session,
            actor=actor.username,
            action="victim.create",
            object_type="victim",
            object_id=victim.id,
            case_number=case.number,
            clock=ctx.clock,
            details={"pseudonym": victim.pseudonym},
        )
        return victim.id


def list_victims(ctx: ServiceContext) -> list[VictimSummary]:
    """The victims the actor may see."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_roles(actor, VICTIM_ID_ROLES)
        ids = visible_subject_ids(session, "victim", member_cases(session, actor))
        rows = session.execute(
            select(Victim, Case.unit)
            .join(Case, Case.id == Victim.home_case_id)
            .where(Victim.id.in_(ids))
            .order_by(Victim.id)
        ).all()
        return [VictimSummary(v.id, v.pseudonym, v.status, unit) for v, unit in rows]


def _identification(session: Session, victim: Victim) -> IdentificationView | None:
    ident = victim.identification
    if ident is None:
        return None
    by = session.get(User, ident.recorded_by)
    return IdentificationView(
        ident.identified_on,
        ident.unit,
        ident.lead_source,
        by.username if by is not None else "",
        ident.recorded_at,
        ident.note,
    )


def show_victim(ctx: ServiceContext, victim_id: int) -> VictimDetail:
    """A victim and its links, as far as the actor may see them (audited).

    Raises:
        AccessDenied: no role, or the victim is not visible (same answer if it does not exist).
    """
    with ctx.transaction() as session:
        view = view_subject(ctx, session, "victim", victim_id)
        victim = view.subject
        if not isinstance(victim, Victim):  # pragma: no cover - require_subject's contract
            raise InvalidInputError("not a victim")
        return VictimDetail(
            victim.id,
            victim.pseudonym,
            victim.status,
            victim.description,
            view.home_case,
            view.home_unit,
            victim.created_at,
            _identification(session, victim),
            view.links,
            view.hidden,
        )


def _already(session: Session, victim: Victim) -> VictimAlreadyIdentified:
    ident = session.execute(
        select(VictimIdentification).where(VictimIdentification.victim_id == victim.id)
    ).scalar_one()
    return VictimAlreadyIdentified(
        f"victim {victim.pseudonym} was already identified on {ident.identified_on} "
        f"by {ident.unit} (lead: {ident.lead_source}); the first record stands"
    )


def identify_victim(
    ctx: ServiceContext,
    victim_id: int,
    *,
    identified_on: date,
    lead_source: str,
    case_number: str,
    note: str = "",
) -> IdentificationView:
    """Record, once, that the actor's unit identified a victim (audited).

    The identifying unit is the actor's unit (their case's unit if they have none).

    Raises:
        InvalidInputError: unknown lead source, or a date in the future or before 1970.
        AccessDenied: no role, not a member of the case, or the victim is not visible.
        VictimAlreadyIdentified: an identification was recorded first (perhaps a moment ago
            by another unit); the message says when and by whom.
    """
    if lead_source not in LEAD_SOURCES:
        raise InvalidInputError(f"lead source must be one of {', '.join(LEAD_SOURCES)}")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        victim = require_subject(session, "victim", victim_id, actor)
        if not isinstance(victim, Victim):  # pragma: no cover - require_subject's contract
            raise InvalidInputError("not a victim")
        case = require_member(session, case_number, actor)
        now = ctx.clock()
        if not EARLIEST_IDENTIFICATION <= identified_on <= now.date():
            raise InvalidInputError(f"identification date {identified_on} is not plausible")
        if victim.identification is not None:
            raise _already(session, victim)
        ident = VictimIdentification(
            victim_id=victim.id,
            identified_on=identified_on,
            unit=actor.unit or case.unit,
            lead_source=lead_source,
            case_id=case.id,
            recorded_by=actor.id,
            recorded_at=now,
            note=note,
        )
        try:
            with session.begin_nested():
                session.add(ident)
        except IntegrityError:
            raise _already(session, victim) from None
        record(
            session,
            actor=actor.username,
            action="victim.identify",
            object_type="victim",
            object_id=victim.id,
            case_number=case.number,
            clock=ctx.clock,
            details={
                "pseudonym": victim.pseudonym,
                "identified_on": identified_on.isoformat(),
                "unit": ident.unit,
                "lead_source": lead_source,
            },
        )
        return IdentificationView(identified_on, ident.unit, lead_source, actor.username, now, note)
