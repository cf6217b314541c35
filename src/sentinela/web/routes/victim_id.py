"""The victim-identification desk: series, victims, offenders, their links and identification."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from sentinela.services import offenders, series, victim_id_overview, victim_links, victims
from sentinela.services.context import ServiceContext
from sentinela.web.deps import CsrfChecked
from sentinela.web.rendering import add_page, render, to_json, wants_json
from sentinela.web.victim_id_deps import RequireDesk, RequireOffenderRole, RequireVictimId

router = APIRouter(tags=["victim-id"])
CaseField = Annotated[str, Form(max_length=64)]
Text = Annotated[str, Form(max_length=4000)]


class Created(BaseModel):
    """The id of what was created or linked."""

    id: int


def _done(request: Request, new_id: int, location: str) -> Response:
    if wants_json(request):
        return JSONResponse({"id": new_id})
    return RedirectResponse(location, status_code=303)


def desk(viewer: RequireDesk, request: Request) -> Response:
    """Your series, victims, offenders and access requests."""
    return render(request, "victim_id/desk.html", victim_id_overview.overview(viewer.ctx))


def show_series(viewer: RequireVictimId, request: Request, series_id: int) -> Response:
    """A series and the links you may see (audited)."""
    return render(request, "victim_id/series.html", series.show_series(viewer.ctx, series_id))


def show_victim(viewer: RequireVictimId, request: Request, victim_id: int) -> Response:
    """A victim, its identification and the links you may see (audited)."""
    return render(request, "victim_id/victim.html", victims.show_victim(viewer.ctx, victim_id))


def show_offender(viewer: RequireOffenderRole, request: Request, offender_id: int) -> Response:
    """An offender and the links you may see (audited)."""
    detail = offenders.show_offender(viewer.ctx, offender_id)
    return render(request, "victim_id/offender.html", detail)


add_page(
    router,
    "/victim-id",
    desk,
    name="victim_id_desk",
    model=victim_id_overview.VictimIdOverview,
    summary="The victim-identification desk",
)
add_page(
    router,
    "/victim-id/series/{series_id}",
    show_series,
    name="show_series",
    model=series.SeriesDetail,
    summary="A series",
)
add_page(
    router,
    "/victim-id/victims/{victim_id}",
    show_victim,
    name="show_victim",
    model=victims.VictimDetail,
    summary="A victim",
)
add_page(
    router,
    "/victim-id/offenders/{offender_id}",
    show_offender,
    name="show_offender",
    model=offenders.OffenderDetail,
    summary="An offender",
)


@router.post("/victim-id/series", name="create_series", response_model=Created)
def create_series(
    viewer: RequireVictimId,
    checked: CsrfChecked,
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    case_number: CaseField,
    description: Text = "",
) -> Response:
    """Open a series in one of your cases."""
    new = series.create_series(checked.ctx, name, case_number, description=description)
    return _done(request, new, f"/victim-id/series/{new}")


@router.post("/victim-id/victims", name="create_victim", response_model=Created)
def create_victim(
    viewer: RequireVictimId,
    checked: CsrfChecked,
    request: Request,
    case_number: CaseField,
    description: Text = "",
) -> Response:
    """Record a victim (pseudonymous) in one of your cases."""
    new = victims.create_victim(checked.ctx, case_number, description=description)
    return _done(request, new, f"/victim-id/victims/{new}")


@router.post("/victim-id/offenders", name="create_offender", response_model=Created)
def create_offender(
    viewer: RequireOffenderRole,
    checked: CsrfChecked,
    request: Request,
    case_number: CaseField,
    known_as: Annotated[str, Form(max_length=200)] = "",
    description: Text = "",
) -> Response:
    """Record an offender in one of your cases."""
    new = offenders.create_offender(
        checked.ctx, case_number, known_as=known_as, description=description
    )
    return _done(request, new, f"/victim-id/offenders/{new}")


def _link(
    ctx: ServiceContext,
    request: Request,
    kind: str,
    subject_id: int,
    target_kind: str,
    target_ref: str,
    case_number: str,
    note: str,
) -> Response:
    new = victim_links.add_link(
        ctx, kind, subject_id, target_kind, target_ref, case_number, note=note
    )
    plural = {"series": "series", "victim": "victims", "offender": "offenders"}[kind]
    return _done(request, new, f"/victim-id/{plural}/{subject_id}")


TargetKind = Annotated[str, Form(max_length=16)]
TargetRef = Annotated[str, Form(max_length=64)]
Note = Annotated[str, Form(max_length=2000)]


@router.post("/victim-id/series/{series_id}/links", name="link_series", response_model=Created)
def link_series(
    viewer: RequireVictimId,
    checked: CsrfChecked,
    request: Request,
    series_id: int,
    target_kind: TargetKind,
    target_ref: TargetRef,
    case_number: CaseField,
    note: Note = "",
) -> Response:
    """Link media, an exhibit, a case, a victim or an offender to a series."""
    return _link(
        checked.ctx, request, "series", series_id, target_kind, target_ref, case_number, note
    )


@router.post("/victim-id/victims/{victim_id}/links", name="link_victim", response_model=Created)
def link_victim(
    viewer: RequireVictimId,
    checked: CsrfChecked,
    request: Request,
    victim_id: int,
    target_kind: TargetKind,
    target_ref: TargetRef,
    case_number: CaseField,
    note: Note = "",
) -> Response:
    """Link media, an exhibit, a case, a series or an offender to a victim."""
    return _link(
        checked.ctx, request, "victim", victim_id, target_kind, target_ref, case_number, note
    )


@router.post(
    "/victim-id/offenders/{offender_id}/links", name="link_offender", response_model=Created
)
def link_offender(
    viewer: RequireOffenderRole,
    checked: CsrfChecked,
    request: Request,
    offender_id: int,
    target_kind: TargetKind,
    target_ref: TargetRef,
    case_number: CaseField,
    note: Note = "",
) -> Response:
    """Link media, an exhibit, a case, a series or a victim to an offender."""
    return _link(
        checked.ctx, request, "offender", offender_id, target_kind, target_ref, case_number, note
    )


@router.post(
    "/victim-id/victims/{victim_id}/identify",
    name="identify_victim",
    response_model=victims.IdentificationView,
    responses={409: {"description": "Another unit recorded the identification first"}},
)
def identify_victim(
    viewer: RequireVictimId,
    checked: CsrfChecked,
    request: Request,
    victim_id: int,
    identified_on: Annotated[date, Form()],
    lead_source: Annotated[str, Form(max_length=32)],
    case_number: CaseField,
    note: Note = "",
) -> Response:
    """Record, once, that your unit identified the victim."""
    view = victims.identify_victim(
        checked.ctx,
        victim_id,
        identified_on=identified_on,
        lead_source=lead_source,
        case_number=case_number,
        note=note,
    )
    if wants_json(request):
        return JSONResponse(to_json(view))
    return RedirectResponse(f"/victim-id/victims/{victim_id}", status_code=303)
