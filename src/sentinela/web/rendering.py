"""One handler, two renderings: a Jinja page, or the same data as JSON.

Every page is registered twice by :func:`add_page`: ``<path>.json`` (named after the
operation, described in OpenAPI with its response model) and ``<path>`` (the HTML page,
named ``<operation>_page``). Both call the same handler, which calls one service and hands the
result to :func:`render`. ``Accept: application/json`` on the HTML path gets JSON too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

JSON_SUFFIX = ".json"


def build_templates() -> Jinja2Templates:
    """The Jinja environment: package templates, autoescaping, undefined names are errors."""
    env = Environment(
        loader=PackageLoader("sentinela.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def wants_json(request: Request) -> bool:
    """Whether the client asked for JSON (``.json`` suffix or ``Accept``)."""
    if request.url.path.endswith(JSON_SUFFIX):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def add_page(
    router: APIRouter,
    path: str,
    endpoint: Callable[..., Any],
    *,
    name: str,
    model: Any,
    summary: str,
    dependencies: Sequence[Any] = (),
) -> None:
    """Register a page and its JSON twin (the JSON route first, so it wins the match)."""
    router.add_api_route(
        path + JSON_SUFFIX,
        endpoint,
        methods=["GET"],
        name=name,
        operation_id=name,
        response_model=model,
        summary=summary,
        dependencies=list(dependencies),
    )
    router.add_api_route(
        path,
        endpoint,
        methods=["GET"],
        name=f"{name}_page",
        include_in_schema=False,
        response_class=HTMLResponse,
        dependencies=list(dependencies),
    )


def to_json(data: Any) -> Any:
    """Dataclasses, dates and tuples as JSON-able values."""
    if is_dataclass(data) and not isinstance(data, type):
        data = asdict(data)
    return jsonable_encoder(data)


def render(
    request: Request,
    template: str,
    data: Any,
    *,
    status_code: int = 200,
    extra: dict[str, Any] | None = None,
) -> Response:
    """The page, or its JSON twin, for ``data``."""
    if wants_json(request):
        return JSONResponse(to_json(data), status_code=status_code)
    templates: Jinja2Templates = request.app.state.templates
    context = {"data": data, "viewer": getattr(request.state, "viewer", None), **(extra or {})}
    return templates.TemplateResponse(request, template, context, status_code=status_code)
