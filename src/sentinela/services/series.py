"""Series: media showing the same abuse series, gathered from many cases.

A series is opened in a *home case* (its owning unit is that case's unit) by a
victim-identification specialist who is a member of it. Media, exhibits, victims and
offenders are then linked to it through any case the specialist is a member of
(:mod:`sentinela.services.victim_links`). Viewing and every change are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from sentinela.audit import record
from sentinela.db.cases import Case
from sentinela.db.victim_id import Series
from sentinela.errors import AlreadyExistsError, InvalidInputError
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_member
from sentinela.services.victim_id_access import (
    VICTIM_ID_ROLES,
    HiddenHolders,
    member_cases,
    require_roles,
    visible_subject_ids,
)
from sentinela.services.victim_links import LinkLine, view_subject

MAX_NAME = 200


@dataclass(frozen=True)
class SeriesSummary:
    """A series in a list."""

    series_id: int
    name: str
    home_unit: str
    created_at: datetime


@dataclass(frozen=True)
class SeriesDetail:
    """A series' page: the series, and its links the viewer may see.

    ``home_case`` is None when the viewer is not a member of the home case (they see the
    series through a linked case); ``hidden`` counts the links they may not see.
    """

    series_id: int
    name: str
    description: str
    home_case: str | None
    home_unit: str
    created_at: datetime
    links: tuple[LinkLine, ...]
    hidden: HiddenHolders


def clean_name(name: str) -> str:
    """A series name, stripped; refused when empty or too long."""
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_NAME:
        raise InvalidInputError(f"a series name needs 1 to {MAX_NAME} characters")
    return cleaned


def create_series(
    ctx: ServiceContext, name: str, case_number: str, *, description: str = ""
) -> int:
    """Open a series in a home case the actor is a member of (audited).

    Returns:
        The new series' id.

    Raises:
        InvalidInputError: empty or over-long name.
        AccessDenied: not a victim-identification specialist, or not a member of the case.
        AlreadyExistsError: a series of that name exists (names are national).
    """
    cleaned = clean_name(name)
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_roles(actor, VICTIM_ID_ROLES)
        case = require_member(session, case_number, actor)
        taken = session.execute(
            select(Series.id).where(func.lower(Series.name) == cleaned.lower())
        ).first()
        if taken is not None:
            raise AlreadyExistsError(f"a series named {cleaned!r} already exists")
        series = Series(
            name=cleaned,
            description=description,
            home_case_id=case.id,
            created_by=actor.id,
            created_at=ctx.clock(),
        )
        session.add(series)
        session.flush()
        record(
            session,
            actor=actor.username,
            action="series.create",
            object_type="series",
            object_id=series.id,
            case_number=case.number,
            clock=ctx.clock,
            details={"name": cleaned},
        )
        return series.id


def list_series(ctx: ServiceContext) -> list[SeriesSummary]:
    """The series the actor may see (through their cases)."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_roles(actor, VICTIM_ID_ROLES)
        ids = visible_subject_ids(session, "series", member_cases(session, actor))
        rows = session.execute(
            select(Series, Case.unit)
            .join(Case, Case.id == Series.home_case_id)
            .where(Series.id.in_(ids))
            .order_by(Series.name)
        ).all()
        return [SeriesSummary(s.id, s.name, unit, s.created_at) for s, unit in rows]


def show_series(ctx: ServiceContext, series_id: int) -> SeriesDetail:
    """A series and its links, as far as the actor may see them (audited).

    Raises:
        AccessDenied: no role, or the series is not visible (same answer if it does not exist).
    """
    with ctx.transaction() as session:
        view = view_subject(ctx, session, "series", series_id)
        series = view.subject
        if not isinstance(series, Series):  # pragma: no cover - require_subject's contract
            raise InvalidInputError("not a series")
        return SeriesDetail(
            series.id,
            series.name,
            series.description,
            view.home_case,
            view.home_unit,
            series.created_at,
            view.links,
            view.hidden,
        )
