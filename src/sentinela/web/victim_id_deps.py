"""Permission dependencies of the victim-identification routes.

Each is a role check on top of :data:`~sentinela.web.deps.CurrentUser` (so the all-routes
test sees a declared permission), made before any form field is read: a user without the
role gets the same audited 403 whatever they sent. Need-to-know on cases, series, victims
and offenders is then checked by the services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends

from sentinela.errors import AccessDenied
from sentinela.services.access_requests import require_request_lead
from sentinela.services.victim_id_access import (
    DECONFLICTION_ROLES,
    OFFENDER_ROLES,
    VICTIM_ID_ROLES,
)
from sentinela.web.deps import CurrentUser, Viewer


def _needs(roles: tuple[str, ...], what: str) -> Callable[[Viewer], Viewer]:
    def dependency(viewer: CurrentUser) -> Viewer:
        if not set(viewer.session.roles) & set(roles):
            raise AccessDenied(f"user {viewer.username!r} may not {what}")
        return viewer

    dependency.__name__ = f"may_{what.replace(' ', '_')}"
    return dependency


victim_id_worker = _needs(VICTIM_ID_ROLES, "work on series and victims")
offender_worker = _needs(OFFENDER_ROLES, "work on offenders")
desk_worker = _needs(tuple(sorted(set(VICTIM_ID_ROLES) | set(OFFENDER_ROLES))), "open the desk")
deconflicter = _needs(DECONFLICTION_ROLES, "de-conflict")

RequireVictimId = Annotated[Viewer, Depends(victim_id_worker)]
RequireOffenderRole = Annotated[Viewer, Depends(offender_worker)]
RequireDesk = Annotated[Viewer, Depends(desk_worker)]
RequireDeconfliction = Annotated[Viewer, Depends(deconflicter)]


def request_lead(request_id: int, viewer: CurrentUser) -> Viewer:
    """The viewer, if they lead the case the access request was sent to.

    Raises:
        AccessDenied: no such request, or not a lead of its case (same answer).
    """
    with viewer.ctx.transaction() as session:
        require_request_lead(session, request_id, viewer.ctx.actor(session))
    return viewer


RequireRequestLead = Annotated[Viewer, Depends(request_lead)]
