"""The victim-identification desk: what a specialist or investigator may see, on one page."""

from __future__ import annotations

from dataclasses import dataclass

from sentinela.audit import record
from sentinela.db.victim_id import DECONFLICTION_KINDS, IDENTIFIER_KINDS, LEAD_SOURCES
from sentinela.services import access_requests, offenders, series, victims
from sentinela.services.context import ServiceContext
from sentinela.services.victim_id_access import (
    OFFENDER_ROLES,
    VICTIM_ID_ROLES,
    member_cases,
    require_roles,
)


@dataclass(frozen=True)
class VictimIdOverview:
    """Series, victims and offenders the actor may see, their cases and their requests."""

    series: tuple[series.SeriesSummary, ...]
    victims: tuple[victims.VictimSummary, ...]
    offenders: tuple[offenders.OffenderSummary, ...]
    my_cases: tuple[str, ...]
    my_requests: tuple[access_requests.AccessRequestView, ...]
    lead_sources: tuple[str, ...] = LEAD_SOURCES
    deconfliction_kinds: tuple[str, ...] = DECONFLICTION_KINDS
    identifier_kinds: tuple[str, ...] = IDENTIFIER_KINDS


def overview(ctx: ServiceContext) -> VictimIdOverview:
    """The desk of the actor: only what their cases let them see (viewing it is audited).

    Raises:
        AccessDenied: the actor is neither a victim-identification specialist nor an
            investigator.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_roles(actor, tuple(sorted(set(VICTIM_ID_ROLES) | set(OFFENDER_ROLES))))
        roles = actor.role_names
        cases = tuple(sorted(member_cases(session, actor).values()))
        record(
            session,
            actor=actor.username,
            action="victim_id.desk_view",
            object_type="user",
            object_id=actor.username,
            clock=ctx.clock,
        )
    specialist = bool(roles & set(VICTIM_ID_ROLES))
    return VictimIdOverview(
        tuple(series.list_series(ctx)) if specialist else (),
        tuple(victims.list_victims(ctx)) if specialist else (),
        tuple(offenders.list_offenders(ctx)),
        cases,
        tuple(access_requests.my_requests(ctx)),
    )
