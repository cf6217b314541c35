"""API-key authentication for the provider API (``/api/v1``), and its error answers.

Providers are machines, not people: they present ``Authorization: Bearer snt_...`` on every
call and never hold a session cookie, and a signed-in analyst's cookie opens nothing here.
:func:`provider_key` is the permission dependency every API route declares (through one of
the scope dependencies below); ``tests/web/test_route_permissions.py`` checks that.

Why a route class of its own: API clients want JSON with a precise status for each refusal
(401 bad key, 403 wrong scope, 413 too big, 415 not JSON, 422 malformed, 429 slow down), not
the workspace's pages and sign-in redirects, and the class keeps those rules in this module.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sentinela.errors import ConfigurationError, InvalidInputError, NotFoundError, SentinelaError
from sentinela.services import api_keys
from sentinela.services.api_keys import ApiCaller
from sentinela.services.provider_api import SignedDocumentCache
from sentinela.services.remote_match import BatchTooLarge, MalformedBatch, MatchIndexCache
from sentinela.sharing.errors import ApiRequestError

log = logging.getLogger(__name__)
_STATE_LOCK = threading.Lock()


class NotJson(InvalidInputError):
    """The request body is not ``application/json`` (HTTP 415): the API takes hashes only,
    never images or other media."""


#: Error class -> HTTP status, first match wins.
API_STATUS: tuple[tuple[type[SentinelaError], int], ...] = (
    (api_keys.ApiKeyRejected, 401),
    (api_keys.ScopeDenied, 403),
    (api_keys.RateLimited, 429),
    (BatchTooLarge, 413),
    (NotJson, 415),
    (NotFoundError, 404),
    (InvalidInputError, 422),
    (ConfigurationError, 503),
    (ApiRequestError, 502),
)


def api_error_response(exc: SentinelaError) -> Response:
    """The JSON answer for an error raised while serving an API call."""
    status = next((s for cls, s in API_STATUS if isinstance(exc, cls)), 500)
    body: dict[str, object] = {"error": type(exc).__name__, "detail": str(exc)}
    headers: dict[str, str] = {}
    if status >= 500:
        log.error("provider API call failed: %s", exc)
        body["detail"] = "The server could not complete this request."
    if isinstance(exc, MalformedBatch) and exc.index is not None:
        body["index"] = exc.index
    if isinstance(exc, api_keys.RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, headers=headers)


class ApiRoute(APIRoute):
    """A route whose typed errors, from dependencies or handler, become JSON answers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except SentinelaError as exc:
                return api_error_response(exc)

        return handle


@dataclass
class IndustryState:
    """What the API keeps for the app's lifetime: match indexes and signed documents."""

    match_indexes: MatchIndexCache = field(default_factory=MatchIndexCache)
    documents: SignedDocumentCache = field(default_factory=SignedDocumentCache)


def app_industry_state(app: FastAPI) -> IndustryState:
    """The app's :class:`IndustryState`, created on first use."""
    with _STATE_LOCK:
        state = getattr(app.state, "industry", None)
        if not isinstance(state, IndustryState):
            state = IndustryState()
            app.state.industry = state
        return state


def industry_state(request: Request) -> IndustryState:
    """The :class:`IndustryState` of the request's app."""
    return app_industry_state(request.app)


def warm_match_indexes(app: FastAPI) -> int:
    """Index every tier's latest release now rather than on the first match call (each
    server process holds its own indexes). Returns how many tiers were indexed."""
    ctx = app.state.workspace.context()
    return app_industry_state(app).match_indexes.warm(ctx)


_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="provider_key",
    description="A provider API key: Authorization: Bearer snt_<key id>_<secret>.",
)


def provider_key(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str | None:
    """The presented API key (checked by the scope dependencies)."""
    return credentials.credentials if credentials is not None else None


PresentedKey = Annotated[str | None, Depends(provider_key)]


def _caller(request: Request, key: str | None, scope: str) -> ApiCaller:
    ctx = request.app.state.workspace.context()
    return api_keys.authenticate(ctx, key, scope=scope, path=request.url.path)


def list_download(request: Request, key: PresentedKey) -> ApiCaller:
    """A provider with the ``list_download`` scope."""
    return _caller(request, key, "list_download")


def remote_match(request: Request, key: PresentedKey) -> ApiCaller:
    """A provider with the ``remote_match`` scope."""
    return _caller(request, key, "remote_match")


def feedback(request: Request, key: PresentedKey) -> ApiCaller:
    """A provider with the ``feedback`` scope."""
    return _caller(request, key, "feedback")


ListCaller = Annotated[ApiCaller, Depends(list_download)]
MatchCaller = Annotated[ApiCaller, Depends(remote_match)]
FeedbackCaller = Annotated[ApiCaller, Depends(feedback)]


async def read_json_body(request: Request, limit: int) -> bytes:
    """The request body, refused if it is not JSON or grows past ``limit`` bytes.

    The declared length is checked first and the stream is counted as it arrives, so an
    oversized body is refused without being held in memory.

    Raises:
        NotJson: another content type.
        BatchTooLarge: over ``limit`` bytes.
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise NotJson("send the hashes as application/json; media is never accepted")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BatchTooLarge(f"request body over {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BatchTooLarge(f"request body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
