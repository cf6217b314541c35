"""The police's view of industry sharing: what each provider scanned, and the feedback queue.

Administrators see the usage page; curators (administrators, examiners, victim-id
specialists) work the feedback queue. The services enforce the roles; a refusal is a 403,
audited like every other.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from sentinela.services import provider_usage, revocations
from sentinela.web.deps import CsrfChecked, CurrentUser
from sentinela.web.rendering import add_page, render, to_json, wants_json

router = APIRouter(tags=["industry"])


class FeedbackQueue(BaseModel):
    """The open feedback items, oldest first."""

    items: list[revocations.FeedbackView]


def provider_usage_page(
    viewer: CurrentUser, request: Request, days: Annotated[int, Query(ge=1, le=366)] = 30
) -> Response:
    """Hashes examined and matched per provider, per day and in total (administrators)."""
    overview = provider_usage.usage_overview(viewer.ctx, days=days)
    return render(request, "industry/usage.html", overview)


def feedback_queue(viewer: CurrentUser, request: Request) -> Response:
    """Provider reports waiting for an analyst (curators)."""
    queue = FeedbackQueue(items=revocations.list_feedback(viewer.ctx))
    return render(request, "industry/feedback.html", queue)


add_page(
    router,
    "/industry/usage",
    provider_usage_page,
    name="provider_usage",
    model=provider_usage.UsageOverview,
    summary="What each provider scanned",
)
add_page(
    router,
    "/industry/feedback",
    feedback_queue,
    name="feedback_queue",
    model=FeedbackQueue,
    summary="Provider feedback waiting for an analyst",
)


@router.post(
    "/industry/feedback/{feedback_id}/decide",
    name="decide_feedback",
    response_model=revocations.FeedbackView,
)
def decide_feedback(
    viewer: CsrfChecked,
    request: Request,
    feedback_id: int,
    decision: Annotated[Literal["accept", "reject"], Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Accept (a false positive is revoked and its tombstone published) or reject an item."""
    view = revocations.decide_feedback(
        viewer.ctx, feedback_id, accept=decision == "accept", note=note
    )
    if wants_json(request):
        return JSONResponse(to_json(view))
    return RedirectResponse("/industry/feedback", status_code=303)
