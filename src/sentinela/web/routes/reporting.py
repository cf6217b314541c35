"""The takedown workspace: the triage queue, a report's file, decisions, captures, re-checks,
ISP preservation requests and host scorecards.

Every route first checks that the viewer holds a queue role (police or hotline operator);
the services check again, and only police may decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from sentinela.dates import parse_when
from sentinela.services import takedown_isp_requests as isp
from sentinela.services.takedown_access import require_queue
from sentinela.services.takedown_decisions import DecisionInput, DecisionView, decide
from sentinela.services.takedown_preservation import CaptureView, preserve
from sentinela.services.takedown_queue import TakedownQueue, takedown_queue
from sentinela.services.takedown_rechecks import RecheckView, recheck_now
from sentinela.services.takedown_report import ReportFile, report_file
from sentinela.services.takedown_scorecards import (
    DEFINITIONS_VERSION,
    HostScorecard,
    host_scorecards,
)
from sentinela.web.deps import CsrfChecked, CurrentUser, Viewer
from sentinela.web.rendering import add_page, render, to_json, wants_json
from sentinela.web.routes.reporting_site import Site

router = APIRouter(tags=["takedown"])
Short = Annotated[str, Form(max_length=200)]
Long = Annotated[str, Form(max_length=4000)]


def takedown_staff(viewer: CurrentUser) -> Viewer:
    """The viewer, if they hold a queue role.

    Raises:
        AccessDenied: they do not.
    """
    with viewer.ctx.transaction() as session:
        require_queue(viewer.ctx.actor(session))
    return viewer


def takedown_staff_csrf(viewer: CsrfChecked) -> Viewer:
    """The viewer of a state-changing request, if they hold a queue role.

    Raises:
        CsrfFailed: no valid CSRF token.
        AccessDenied: no queue role.
    """
    return takedown_staff(viewer)


Staff = Annotated[Viewer, Depends(takedown_staff)]
StaffPost = Annotated[Viewer, Depends(takedown_staff_csrf)]


@dataclass(frozen=True)
class IspRequests:
    """The ISP preservation requests, soonest expiry first."""

    requests: tuple[isp.IspRequestView, ...]


@dataclass(frozen=True)
class Scorecards:
    """Every host's scorecard."""

    definitions_version: int
    hosts: tuple[HostScorecard, ...]


def show_queue(viewer: Staff, request: Request) -> Response:
    """The triage queue grouped by host (``?all=1`` includes closed reports)."""
    include = request.query_params.get("all") == "1"
    return render(
        request, "reporting/queue.html", takedown_queue(viewer.ctx, include_closed=include)
    )


add_page(
    router,
    "/takedown",
    show_queue,
    name="takedown_queue",
    model=TakedownQueue,
    summary="The takedown triage queue, grouped by host",
)


def show_report(report_id: int, viewer: Staff, request: Request) -> Response:
    """A report's file: submissions, evidence, decisions, notices, re-checks, stage times."""
    return render(request, "reporting/report.html", report_file(viewer.ctx, report_id))


add_page(
    router,
    "/takedown/reports/{report_id}",
    show_report,
    name="takedown_report",
    model=ReportFile,
    summary="One report's file",
)


def _done(request: Request, data: object, back: str) -> Response:
    if wants_json(request):
        return JSONResponse(to_json(data))
    return RedirectResponse(back, status_code=303)


@router.post(
    "/takedown/reports/{report_id}/decision", name="decide_report", response_model=DecisionView
)
def decide_report(
    report_id: int,
    viewer: StaffPost,
    request: Request,
    action: Annotated[str, Form(max_length=32)],
    reason: Long = "",
    investigation_ref: Annotated[str, Form(max_length=100)] = "",
    hold_until: Annotated[str, Form(max_length=40)] = "",
    refer_to: Short = "",
) -> Response:
    """Decide: take_down, hold (until a date, with reason and reference), refer_abroad or
    not_illegal (police)."""
    until = parse_when(hold_until, what="hold date") if hold_until.strip() else None
    decision = DecisionInput(action, reason, investigation_ref, until, refer_to)
    view = decide(viewer.ctx, report_id, decision)
    return _done(request, view, f"/takedown/reports/{report_id}")


@router.post(
    "/takedown/reports/{report_id}/preserve", name="preserve_report", response_model=CaptureView
)
def preserve_report(report_id: int, viewer: StaffPost, request: Request, site: Site) -> Response:
    """Capture the reported URL now."""
    view = preserve(viewer.ctx, report_id, site.runtime)
    return _done(request, view, f"/takedown/reports/{report_id}")


@router.post(
    "/takedown/reports/{report_id}/recheck", name="recheck_report", response_model=RecheckView
)
def recheck_report(report_id: int, viewer: StaffPost, request: Request, site: Site) -> Response:
    """Visit a notified URL now."""
    view = recheck_now(viewer.ctx, report_id, site.runtime)
    return _done(request, view, f"/takedown/reports/{report_id}")


def show_isp_requests(viewer: Staff, request: Request) -> Response:
    """Preservation requests to ISPs, soonest expiry first."""
    data = IspRequests(tuple(isp.list_requests(viewer.ctx)))
    return render(request, "reporting/isp_requests.html", data)


add_page(
    router,
    "/takedown/preservation-requests",
    show_isp_requests,
    name="isp_preservation_requests",
    model=IspRequests,
    summary="Preservation requests to ISPs",
)


@router.post(
    "/takedown/preservation-requests",
    name="add_isp_preservation_request",
    response_model=isp.IspRequestView,
)
def add_isp_request(
    viewer: StaffPost,
    request: Request,
    isp_name: Annotated[str, Form(alias="isp", max_length=200)],
    subject: Long,
    legal_basis: Long,
    legal_deadline: Annotated[str, Form(max_length=40)],
    data_expires: Annotated[str, Form(max_length=40)],
    reference: Annotated[str, Form(max_length=100)] = "",
    report_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Record a preservation request sent to an ISP (police)."""
    data = isp.IspRequestInput(
        isp=isp_name,
        subject=subject,
        legal_basis=legal_basis,
        reference=reference,
        legal_deadline_at=parse_when(legal_deadline, what="legal deadline"),
        data_expires_at=parse_when(data_expires, what="data expiry"),
        report_id=int(report_id) if report_id.strip().isdigit() else None,
    )
    view = isp.request_preservation(viewer.ctx, data)
    return _done(request, view, "/takedown/preservation-requests")


@router.post(
    "/takedown/preservation-requests/{request_id}/answered",
    name="isp_request_answered",
    response_model=isp.IspRequestView,
)
def isp_request_answered(request_id: int, viewer: StaffPost, request: Request) -> Response:
    """Record that the ISP answered (police)."""
    view = isp.mark_answered(viewer.ctx, request_id)
    return _done(request, view, "/takedown/preservation-requests")


def show_scorecards(viewer: Staff, request: Request) -> Response:
    """Host scorecards: removal time p50/p90 after notice, still up, re-uploads."""
    data = Scorecards(DEFINITIONS_VERSION, tuple(host_scorecards(viewer.ctx)))
    return render(request, "reporting/scorecards.html", data)


add_page(
    router,
    "/takedown/scorecards",
    show_scorecards,
    name="takedown_scorecards",
    model=Scorecards,
    summary="Host scorecards",
)
