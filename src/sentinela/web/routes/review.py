"""The review queue and grading a near-duplicate group."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from sentinela.services import grading, review
from sentinela.web.deps import Config, CsrfChecked, RequireCaseMember
from sentinela.web.rendering import add_page, render, to_json, wants_json

router = APIRouter(tags=["review"])


def review_queue(
    member: RequireCaseMember,
    request: Request,
    config: Config,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """The case's new media, near-duplicates grouped, likeliest leads first (audited)."""
    queue = review.review_queue(
        member.viewer.ctx, member.number, offset=offset, options=config.queue
    )
    return render(request, "review/queue.html", queue)


add_page(
    router,
    "/cases/{number}/review",
    review_queue,
    name="review_queue",
    model=review.ReviewQueue,
    summary="The ranked review queue of a case",
)


@router.post(
    "/cases/{number}/review/grade", name="grade_group", response_model=grading.GradingOutcome
)
def grade_group(
    member: RequireCaseMember,
    viewer: CsrfChecked,
    request: Request,
    config: Config,
    code: Annotated[str, Form(max_length=32)],
    media_id: Annotated[list[int], Form()],
) -> Response:
    """Grade every item of a group with one code of the case's scheme."""
    outcome = grading.grade_media(viewer.ctx, member.number, media_id, code, rule=config.consensus)
    if wants_json(request):
        return JSONResponse(to_json(outcome))
    return RedirectResponse(f"/cases/{member.number}/review", status_code=303)
