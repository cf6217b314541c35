"""The media page, thumbnails and keyframes (blurred), revealing one, and grading one item."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sentinela.services import exposure, grading, keyframes, media_detail
from sentinela.web.deps import Config, CsrfChecked, RequireCaseMember
from sentinela.web.rendering import add_page, render, to_json, wants_json

router = APIRouter(tags=["media"])
_JPEG: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/jpeg": {}}, "description": "A JPEG rendering"}
}


def show_media(member: RequireCaseMember, request: Request, media_id: int) -> Response:
    """Metadata, occurrences you may see, match evidence and grade history (audited)."""
    detail = media_detail.media_detail(member.viewer.ctx, member.number, media_id)
    return render(request, "media/detail.html", detail)


add_page(
    router,
    "/cases/{number}/media/{media_id}",
    show_media,
    name="show_media",
    model=media_detail.MediaDetail,
    summary="A media item of a case",
)


def _jpeg(data: bytes) -> Response:
    return Response(data, media_type="image/jpeg", headers={"cache-control": "no-store"})


@router.get(
    "/cases/{number}/media/{media_id}/thumbnail",
    name="media_thumbnail",
    response_class=Response,
    responses=_JPEG,
)
def thumbnail(member: RequireCaseMember, media_id: int) -> Response:
    """The blurred, greyscale thumbnail (made on the server; counted in the exposure ledger)."""
    return _jpeg(exposure.show_media(member.viewer.ctx, member.number, media_id, "blurred"))


@router.post(
    "/cases/{number}/media/{media_id}/reveal",
    name="reveal_media",
    response_class=Response,
    responses=_JPEG,
)
async def reveal(member: RequireCaseMember, viewer: CsrfChecked, media_id: int) -> Response:
    """Reveal one item: the clear thumbnail, audited and counted in the exposure ledger."""
    data = await run_in_threadpool(
        exposure.show_media, viewer.ctx, member.number, media_id, "revealed"
    )
    return _jpeg(data)


@router.get(
    "/cases/{number}/media/{media_id}/keyframes/{position}",
    name="media_keyframe",
    response_class=Response,
    responses=_JPEG,
)
def keyframe(member: RequireCaseMember, media_id: int, position: int) -> Response:
    """One keyframe of a video's strip, blurred (counted in the exposure ledger)."""
    return _jpeg(
        keyframes.show_keyframe(member.viewer.ctx, member.number, media_id, position, "blurred")
    )


@router.post(
    "/cases/{number}/media/{media_id}/keyframes/{position}/reveal",
    name="reveal_keyframe",
    response_class=Response,
    responses=_JPEG,
)
async def reveal_keyframe(
    member: RequireCaseMember, viewer: CsrfChecked, media_id: int, position: int
) -> Response:
    """Reveal one keyframe: the clear frame, audited and counted in the exposure ledger."""
    data = await run_in_threadpool(
        keyframes.show_keyframe, viewer.ctx, member.number, media_id, position, "revealed"
    )
    return _jpeg(data)


@router.post(
    "/cases/{number}/media/{media_id}/grade",
    name="grade_media",
    response_model=grading.GradingOutcome,
)
def grade(
    member: RequireCaseMember,
    viewer: CsrfChecked,
    request: Request,
    config: Config,
    media_id: int,
    code: Annotated[str, Form(max_length=32)],
) -> Response:
    """Grade one item with a code of the case's scheme."""
    outcome = grading.grade_media(
        viewer.ctx, member.number, [media_id], code, rule=config.consensus
    )
    if wants_json(request):
        return JSONResponse(to_json(outcome))
    return RedirectResponse(f"/cases/{member.number}/media/{media_id}", status_code=303)
