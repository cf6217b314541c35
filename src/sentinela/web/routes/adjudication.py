"""The supervisors' adjudication queue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from sentinela.services import adjudication
from sentinela.web.deps import Config, CsrfChecked, RequireSupervisor
from sentinela.web.rendering import add_page, render, to_json, wants_json

router = APIRouter(tags=["adjudication"])


def adjudication_queue(viewer: RequireSupervisor, request: Request) -> Response:
    """Disagreements from the cases you lead (audited)."""
    return render(request, "adjudication/queue.html", adjudication.adjudication_queue(viewer.ctx))


add_page(
    router,
    "/adjudications",
    adjudication_queue,
    name="adjudication_queue",
    model=adjudication.AdjudicationQueue,
    summary="Open disagreements in the cases you lead",
)


@router.post(
    "/adjudications/{adjudication_id}/decide",
    name="decide_adjudication",
    response_model=adjudication.AdjudicationView,
)
def decide(
    supervisor: RequireSupervisor,
    viewer: CsrfChecked,
    request: Request,
    config: Config,
    adjudication_id: int,
    code: Annotated[str, Form(max_length=32)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Settle a disagreement; the code becomes the national classification."""
    view = adjudication.decide(
        supervisor.ctx, adjudication_id, code, note=note, rule=config.consensus
    )
    if wants_json(request):
        return JSONResponse(to_json(view))
    return RedirectResponse("/adjudications", status_code=303)
