"""Links from one item of a case: same camera (with a GPS plot), PDQ near-duplicates, region."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from sentinela.services import camera_links, visual_search
from sentinela.services.near_duplicates import DEFAULT_THRESHOLD
from sentinela.visual.features import Region
from sentinela.web.deps import RequireCaseMember
from sentinela.web.rendering import add_page, render

router = APIRouter(tags=["visual-links"])
ITEM = "/cases/{number}/media/{media_id}"
Fraction = Annotated[float, Query(ge=0, le=1)]
_SVG: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/svg+xml": {}}, "description": "An SVG plot"}
}


def show_camera_links(member: RequireCaseMember, request: Request, media_id: int) -> Response:
    """Media from the same camera body in any case, as far as you may see them (audited)."""
    links = camera_links.camera_links(member.viewer.ctx, member.number, media_id)
    return render(request, "victim_id/camera_links.html", links)


def show_similar(
    member: RequireCaseMember,
    request: Request,
    media_id: int,
    radius: Annotated[int, Query(ge=0, le=64)] = DEFAULT_THRESHOLD,
) -> Response:
    """PDQ near-duplicates (and matching videos) over the national store (audited)."""
    found = visual_search.similar_media(member.viewer.ctx, member.number, media_id, radius=radius)
    return render(request, "victim_id/similar.html", found)


def show_region_form(member: RequireCaseMember, request: Request, media_id: int) -> Response:
    """Select a region of the item to search for (audited)."""
    form = visual_search.region_form(member.viewer.ctx, member.number, media_id)
    return render(request, "victim_id/region.html", form)


def show_region_search(
    member: RequireCaseMember,
    request: Request,
    media_id: int,
    x: Fraction,
    y: Fraction,
    w: Fraction,
    h: Fraction,
) -> Response:
    """Items in any case that contain the selected region (audited)."""
    found = visual_search.region_search(
        member.viewer.ctx, member.number, media_id, Region(x, y, w, h)
    )
    return render(request, "victim_id/region_results.html", found)


add_page(
    router,
    f"{ITEM}/camera-links",
    show_camera_links,
    name="camera_links",
    model=camera_links.CameraLinks,
    summary="Media from the same camera",
)
add_page(
    router,
    f"{ITEM}/similar",
    show_similar,
    name="similar_media",
    model=visual_search.SimilarMedia,
    summary="PDQ near-duplicates and matching videos across the country",
)
add_page(
    router,
    f"{ITEM}/region",
    show_region_form,
    name="region_form",
    model=visual_search.RegionForm,
    summary="Select a region to search for",
)
add_page(
    router,
    f"{ITEM}/region-search",
    show_region_search,
    name="region_search",
    model=visual_search.RegionResults,
    summary="Media anywhere that contain a region of this item",
)


@router.get(
    f"{ITEM}/camera-links/gps.svg", name="gps_plot", response_class=Response, responses=_SVG
)
def gps_plot(member: RequireCaseMember, media_id: int) -> Response:
    """The GPS positions of the item and its camera links, drawn on the server (audited)."""
    svg = camera_links.gps_plot(member.viewer.ctx, member.number, media_id)
    return Response(svg, media_type="image/svg+xml", headers={"cache-control": "no-store"})
