"""De-confliction: who else holds this, asking them for access, and the holder's side."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from sentinela.services import access_requests, deconfliction
from sentinela.web.deps import CsrfChecked, RequireCaseMember
from sentinela.web.rendering import add_page, render, to_json, wants_json
from sentinela.web.routes.victim_id import Created
from sentinela.web.victim_id_deps import RequireDeconfliction, RequireRequestLead

router = APIRouter(tags=["deconfliction"])


def check(
    viewer: RequireDeconfliction,
    request: Request,
    kind: Annotated[str, Query(max_length=16)],
    value: Annotated[str, Query(max_length=300)],
    id_kind: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    """The cases, units and contacts that hold a media item, series, camera or identifier."""
    answer = deconfliction.who_holds(viewer.ctx, kind, value, id_kind=id_kind)
    return render(request, "victim_id/deconfliction.html", answer)


def holder(member: RequireCaseMember, request: Request) -> Response:
    """A case's access requests, notifications of checks, identifiers and preferences."""
    page = access_requests.holder_page(member.viewer.ctx, member.number)
    return render(request, "victim_id/holder.html", page)


add_page(
    router,
    "/deconfliction",
    check,
    name="deconfliction_check",
    model=deconfliction.Deconfliction,
    summary="Who else holds this? (no content is shown)",
)
add_page(
    router,
    "/cases/{number}/deconfliction",
    holder,
    name="holder_page",
    model=access_requests.HolderPage,
    summary="A case's de-confliction page",
)


@router.post(
    "/deconfliction/requests",
    name="request_access",
    response_model=access_requests.AccessRequestView,
)
def request_access(
    viewer: RequireDeconfliction,
    checked: CsrfChecked,
    request: Request,
    case_number: Annotated[str, Form(max_length=64)],
    subject_kind: Annotated[str, Form(max_length=16)],
    subject_ref: Annotated[str, Form(max_length=300)],
    reason: Annotated[str, Form(max_length=2000)],
) -> Response:
    """Ask a holding case's leads for need-to-know."""
    view = access_requests.request_access(
        checked.ctx, case_number, subject_kind, subject_ref, reason
    )
    if wants_json(request):
        return JSONResponse(to_json(view))
    return RedirectResponse("/victim-id", status_code=303)


@router.post(
    "/access-requests/{request_id}/decide",
    name="decide_access_request",
    response_model=access_requests.AccessRequestView,
)
def decide(
    lead: RequireRequestLead,
    checked: CsrfChecked,
    request: Request,
    request_id: int,
    decision: Annotated[str, Form(pattern="^(grant|refuse)$")],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Grant (the requester joins the case) or refuse an access request."""
    view = access_requests.decide_access_request(
        checked.ctx, request_id, grant=decision == "grant", note=note
    )
    if wants_json(request):
        return JSONResponse(to_json(view))
    return RedirectResponse(f"/cases/{view.case_number}/deconfliction", status_code=303)


@router.post(
    "/cases/{number}/deconfliction/preferences",
    name="set_holder_preferences",
    status_code=204,
)
def preferences(
    member: RequireCaseMember,
    checked: CsrfChecked,
    request: Request,
    contact: Annotated[str, Form(max_length=300)] = "",
    notify_on_check: Annotated[bool, Form()] = False,
) -> Response:
    """Set the case's de-confliction contact and whether it is told of checks (leads)."""
    access_requests.set_holder_preferences(
        checked.ctx, member.number, contact=contact, notify_on_check=notify_on_check
    )
    if wants_json(request):
        return Response(status_code=204)
    return RedirectResponse(f"/cases/{member.number}/deconfliction", status_code=303)


@router.post("/cases/{number}/identifiers", name="add_identifier", response_model=Created)
def add_identifier(
    member: RequireCaseMember,
    checked: CsrfChecked,
    request: Request,
    kind: Annotated[str, Form(max_length=16)],
    value: Annotated[str, Form(max_length=300)],
) -> Response:
    """Record an e-mail, phone number or user name in the case."""
    new = deconfliction.add_identifier(checked.ctx, member.number, kind, value)
    if wants_json(request):
        return JSONResponse({"id": new})
    return RedirectResponse(f"/cases/{member.number}/deconfliction", status_code=303)
