"""The member's case list and a case's overview."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sentinela.services import case_overview as svc
from sentinela.web.deps import CurrentUser, RequireCaseMember
from sentinela.web.rendering import add_page, render

router = APIRouter(tags=["cases"])


def list_cases(viewer: CurrentUser, request: Request) -> Response:
    """The cases you are a member of."""
    return render(request, "cases/list.html", svc.my_cases(viewer.ctx))


def show_case(member: RequireCaseMember, request: Request) -> Response:
    """A case: exhibits, custody, triage counts and grading progress (audited)."""
    overview = svc.case_overview(member.viewer.ctx, member.number)
    return render(request, "cases/overview.html", overview)


add_page(
    router,
    "/cases",
    list_cases,
    name="list_cases",
    model=list[svc.CaseSummary],
    summary="Your cases",
)
add_page(
    router,
    "/cases/{number}",
    show_case,
    name="show_case",
    model=svc.CaseOverview,
    summary="A case's overview",
)
