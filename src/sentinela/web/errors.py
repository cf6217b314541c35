"""Typed errors to HTTP answers, and the audit of every refusal.

A refused request (403) is written to the audit log with who asked for what, in a
transaction of its own: the service's transaction was rolled back with the error. The answer
itself is the same short sentence whether or not the object exists.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from sentinela.audit import record
from sentinela.errors import (
    AccessDenied,
    AlreadyExistsError,
    FormatError,
    InvalidHashError,
    InvalidInputError,
    NotFoundError,
    SentinelaError,
)
from sentinela.services.auth import AuthenticationFailed, SessionExpired, SignInThrottled
from sentinela.web.rendering import wants_json
from sentinela.web.state import Workspace

log = logging.getLogger(__name__)
_CASE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")

#: Error class -> (status, what the user is told). The first match wins.
STATUS: tuple[tuple[type[SentinelaError], int, str | None], ...] = (
    (SessionExpired, 401, None),
    (AuthenticationFailed, 401, None),
    (SignInThrottled, 429, None),
    (AccessDenied, 403, "You do not have access to this."),
    (NotFoundError, 404, None),
    (AlreadyExistsError, 409, None),
    (InvalidInputError, 422, None),
    (InvalidHashError, 422, None),
    (FormatError, 422, None),
)


def status_for(exc: SentinelaError) -> tuple[int, str]:
    """The HTTP status and the message shown for an error."""
    for cls, status, message in STATUS:
        if isinstance(exc, cls):
            return status, message or str(exc)
    return 500, "The server could not complete this request."


def _audit_refusal(request: Request, exc: SentinelaError) -> None:
    workspace: Workspace = request.app.state.workspace
    viewer = getattr(request.state, "viewer", None)
    number = request.path_params.get("number")
    ctx = workspace.context()
    with ctx.transaction() as session:
        record(
            session,
            actor=viewer.username if viewer is not None else "anonymous",
            action="access.denied",
            object_type="request",
            object_id=f"{request.method} {request.url.path}"[:200],
            case_number=number if isinstance(number, str) and _CASE_NUMBER.match(number) else None,
            clock=ctx.clock,
            details={"error": type(exc).__name__, "message": str(exc)[:300]},
        )


async def handle_error(request: Request, exc: Exception) -> Response:
    """Render a SentinelaError as a page or JSON, after auditing refusals."""
    if not isinstance(exc, SentinelaError):  # pragma: no cover - registered for these only
        raise exc
    status, message = status_for(exc)
    if status == 403:
        await run_in_threadpool(_audit_refusal, request, exc)
    if status >= 500:
        log.error("request %s %s failed: %s", request.method, request.url.path, exc)
    if status == 401 and request.method == "GET" and not wants_json(request):
        return RedirectResponse("/sign-in", status_code=303)
    if wants_json(request):
        return JSONResponse({"error": type(exc).__name__, "detail": message}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    context = {
        "status": status,
        "message": message,
        "viewer": getattr(request.state, "viewer", None),
    }
    page: Response = templates.TemplateResponse(
        request, "errors/error.html", context, status_code=status
    )
    return page


def install_error_handlers(app: FastAPI) -> None:
    """Register :func:`handle_error` for every SentinelaError."""
    app.add_exception_handler(SentinelaError, handle_error)
