"""Exposure pages: your own, and your team's for supervisors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from sentinela.services import exposure
from sentinela.web.deps import CurrentUser, RequireSupervisor
from sentinela.web.rendering import add_page, render

router = APIRouter(tags=["exposure"])
Days = Annotated[int, Query(ge=1, le=366)]


def my_exposure(viewer: CurrentUser, request: Request, days: Days = 30) -> Response:
    """What you have been shown, blurred and revealed, over the last days (audited)."""
    return render(request, "exposure/mine.html", exposure.my_exposure(viewer.ctx, days=days))


def team_exposure(viewer: RequireSupervisor, request: Request, days: Days = 30) -> Response:
    """Exposure totals of everyone in the cases you lead (audited)."""
    return render(request, "exposure/team.html", exposure.team_exposure(viewer.ctx, days=days))


add_page(
    router,
    "/exposure",
    my_exposure,
    name="my_exposure",
    model=exposure.ExposureSummary,
    summary="Your exposure",
)
add_page(
    router,
    "/exposure/team",
    team_exposure,
    name="team_exposure",
    model=exposure.TeamExposure,
    summary="Your team's exposure",
)
