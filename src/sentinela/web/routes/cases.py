"""The member's case list and a case's overview."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from sentinela.services import case_overview as svc
from sentinela.services.report_view import view_report
from sentinela.web.deps import CurrentUser, RequireCaseMember
from sentinela.web.rendering import JSON_SUFFIX, add_page, render

router = APIRouter(tags=["cases"])
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def list_cases(viewer: CurrentUser, request: Request) -> Response:
    """The cases you are a member of."""
    return render(request, "cases/list.html", svc.my_cases(viewer.ctx))


def show_case(member: RequireCaseMember, request: Request) -> Response:
    """A case: exhibits, custody, triage counts and grading progress (audited)."""
    overview = svc.case_overview(member.viewer.ctx, member.number)
    return render(request, "cases/overview.html", overview)


def show_report(member: RequireCaseMember, request: Request) -> Response:
    """The case's examination report, built from the database (no media; audited)."""
    report = view_report(member.viewer.ctx, member.number)
    if request.url.path.endswith(JSON_SUFFIX):
        return JSONResponse(report.document)
    # The report is one self-contained file with its own <style>: allow inline styles for this
    # response only, and nothing else (no scripts, no requests).
    return HTMLResponse(report.html, headers={"Content-Security-Policy": REPORT_CSP})


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
add_page(
    router,
    "/cases/{number}/report",
    show_report,
    name="show_report",
    model=dict[str, Any],
    summary="A case's examination report",
)
