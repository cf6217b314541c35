"""The provider API, ``/api/v1``: signed hash-list releases, remote matching and feedback.

Each handler's first parameter is its scope dependency (which checks the API key, the scope
and the rate limit); then it calls one service. Signed documents are served as the exact
canonical bytes that were signed.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from sentinela.services import provider_api, remote_match
from sentinela.services.release_keys import load_release_key
from sentinela.services.remote_match import MAX_BODY_BYTES, MAX_HASHES, MAX_PDQ_THRESHOLD
from sentinela.web.provider_auth import (
    ApiRoute,
    FeedbackCaller,
    ListCaller,
    MatchCaller,
    industry_state,
    read_json_body,
)

router = APIRouter(prefix="/api/v1", tags=["provider api"], route_class=ApiRoute)

_SIGNED: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A signed hash-list document (see docs/industry.md).",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}
_MATCH_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": f"At most {MAX_HASHES} hashes and {MAX_BODY_BYTES} bytes. Never media.",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["hashes"],
                    "properties": {
                        "hashes": {
                            "type": "array",
                            "maxItems": MAX_HASHES,
                            "items": {
                                "type": "object",
                                "required": ["type", "value"],
                                "properties": {
                                    "type": {"enum": ["md5", "sha1", "sha256", "pdq"]},
                                    "value": {"type": "string"},
                                },
                            },
                        },
                        "pdq_threshold": {
                            "type": "integer",
                            "minimum": 0,
                            "maximum": MAX_PDQ_THRESHOLD,
                        },
                    },
                }
            }
        },
    }
}


def _json_bytes(data: bytes) -> Response:
    return Response(data, media_type="application/json")


@router.get(
    "/hashlist/releases",
    name="list_hashlist_releases",
    response_model=provider_api.ProviderReleases,
    summary="Your tier's releases and the key that signs them",
)
def list_hashlist_releases(caller: ListCaller, request: Request) -> provider_api.ProviderReleases:
    """The releases of your tier, oldest first, with the public key (compare it with the one
    you were given out of band)."""
    return provider_api.provider_releases(request.app.state.workspace.context(), caller)


@router.get(
    "/hashlist/releases/{version}",
    name="get_hashlist_snapshot",
    response_class=Response,
    responses=_SIGNED,
    summary="The signed full list at one version",
)
def get_hashlist_snapshot(
    caller: ListCaller, request: Request, version: Annotated[int, Path(ge=1)]
) -> Response:
    """Every entry of your tier at ``version``, signed."""
    ctx = request.app.state.workspace.context()
    documents = industry_state(request).documents
    return _json_bytes(provider_api.signed_snapshot(ctx, caller, version, documents))


@router.get(
    "/hashlist/deltas",
    name="get_hashlist_delta",
    response_class=Response,
    responses=_SIGNED,
    summary="The signed changes since a version",
)
def get_hashlist_delta(
    caller: ListCaller, request: Request, since: Annotated[int, Query(ge=0)]
) -> Response:
    """Additions and tombstones from ``since`` to the latest release; ``since=0`` gives
    every live entry."""
    ctx = request.app.state.workspace.context()
    documents = industry_state(request).documents
    return _json_bytes(provider_api.signed_delta(ctx, caller, since, documents))


@router.get(
    "/hashlist/public-key",
    name="get_hashlist_public_key",
    summary="The key releases are signed with",
)
def get_hashlist_public_key(caller: ListCaller, request: Request) -> dict[str, str]:
    """``ed25519:<base64>`` and its key id."""
    key = load_release_key(request.app.state.workspace.context().settings)
    return {"public_key": key.public.to_text(), "key_id": key.key_id}


@router.post(
    "/match",
    name="match_hashes",
    response_model=remote_match.MatchReport,
    openapi_extra=_MATCH_BODY,
    summary="Which of these hashes are known",
)
async def match_hashes(caller: MatchCaller, request: Request) -> remote_match.MatchReport:
    """Matches of a batch of MD5, SHA-1, SHA-256 and PDQ hashes, with category and
    baseline flag. Counted as hashes examined for your provider."""
    body = await read_json_body(request, MAX_BODY_BYTES)
    parsed = remote_match.parse_match_request(body)
    ctx = request.app.state.workspace.context()
    cache = industry_state(request).match_indexes
    return await run_in_threadpool(remote_match.match_hashes, ctx, caller, parsed, cache)


@router.post(
    "/feedback",
    name="send_feedback",
    response_model=provider_api.FeedbackReceipt,
    summary="Report hashes as confirmed or false positive",
)
async def send_feedback(caller: FeedbackCaller, request: Request) -> provider_api.FeedbackReceipt:
    """``{"items": [{"type", "value", "opinion": "confirmed"|"false_positive", "note"}]}``;
    each item lands in the analysts' queue."""
    body = await read_json_body(request, MAX_BODY_BYTES)
    ctx = request.app.state.workspace.context()
    return await run_in_threadpool(provider_api.submit_feedback, ctx, caller, body)


@router.post(
    "/usage",
    name="report_scan_counts",
    summary="Report the counts of a local scan",
)
async def report_scan_counts(caller: ListCaller, request: Request) -> dict[str, int]:
    """``{"examined": n, "matched": m}`` after scanning against a downloaded list; only
    counts, never hashes."""
    body = await read_json_body(request, 4096)
    ctx = request.app.state.workspace.context()
    return await run_in_threadpool(provider_api.report_local_usage, ctx, caller, body)
