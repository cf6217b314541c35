"""The partner hotlines' API: forward reports, check a receipt. Authenticated by API key.

The key goes in ``Authorization: Bearer <key>`` (or ``X-API-Key``). Answers are always JSON;
a missing or bad key gets 401 whatever the body (and a presented key that is refused is
audited). Each key has a rate limit (``[partner]`` in ``takedown.toml``): past it, 429 with
``Retry-After``. A URL already reported is deduplicated:
the answer says so, with the existing report's id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from sentinela.errors import InvalidInputError, NotFoundError
from sentinela.reporting.errors import PartnerKeyRejected, RateLimited
from sentinela.services.context import ServiceContext
from sentinela.services.reporting_intake import (
    ReportForm,
    receipt_status,
    submit_partner_report,
)
from sentinela.services.reporting_partners import authenticate_partner
from sentinela.web.deps import Public, WorkspaceState
from sentinela.web.rendering import to_json
from sentinela.web.routes.reporting_site import ReportingSite, Site

router = APIRouter(tags=["partner"], prefix="/api/partner")
_bearer = HTTPBearer(auto_error=False, scheme_name="partner_key", description="A partner API key.")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="partner_key_header")


class PartnerReportIn(BaseModel):
    """A forwarded report."""

    model_config = ConfigDict(extra="forbid")

    urls: list[str] = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    priority: str = Field(default="normal", max_length=16)
    reference: str = Field(default="", max_length=200)
    language: str = Field(default="en", max_length=8)


class PartnerUrlOut(BaseModel):
    """One URL of the report and the report it went to."""

    url: str
    report_id: int
    duplicate: bool


class PartnerReceiptOut(BaseModel):
    """The answer to a forwarded report."""

    receipt: str
    received_at: datetime
    urls: list[PartnerUrlOut]


class PartnerStatusIn(BaseModel):
    """A receipt to check."""

    model_config = ConfigDict(extra="forbid")

    receipt: str = Field(max_length=64)


class PartnerStatusOut(BaseModel):
    """A receipt's status: received, in_progress or closed."""

    status: str


def partner_key(
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_header)],
) -> str | None:
    """The API key from either header, if any."""
    return bearer.credentials if bearer is not None else header


PartnerKey = Annotated[str | None, Depends(partner_key)]


def _error(status: int, exc: Exception) -> Response:
    headers: dict[str, str] | None = None
    if status == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    elif isinstance(exc, RateLimited):
        headers = {"Retry-After": str(exc.retry_after_s)}
    body = {"error": type(exc).__name__, "detail": str(exc)}
    return JSONResponse(body, status_code=status, headers=headers)


def _admit(ctx: ServiceContext, key: str | None, site: ReportingSite) -> Response | None:
    """Authenticate the key (refusals are audited), then count the call against its limit.

    Returns:
        The error answer (401 or 429), or ``None`` when the call may go on.
    """
    try:
        partner = authenticate_partner(ctx, key)
        site.partner_calls.hit(partner.key_prefix)
    except PartnerKeyRejected as exc:
        return _error(401, exc)
    except RateLimited as exc:
        return _error(429, exc)
    return None


@router.post(
    "/reports",
    name="partner_submit_report",
    dependencies=[Public],
    response_model=PartnerReceiptOut,
    responses={
        401: {"description": "No valid API key"},
        422: {"description": "Bad report"},
        429: {"description": "Rate limit of the key reached; see Retry-After"},
    },
)
def partner_submit(
    body: PartnerReportIn, key: PartnerKey, site: Site, workspace: WorkspaceState
) -> Response:
    """Forward a report (one or more URLs); URLs already reported are deduplicated."""
    ctx = workspace.context()
    refused = _admit(ctx, key, site)
    if refused is not None:
        return refused
    form = ReportForm(
        urls=body.urls,
        description=body.description,
        priority=body.priority,
        reference=body.reference,
        language=body.language,
    )
    try:
        receipt = submit_partner_report(ctx, key, form, site.runtime.config)
    except PartnerKeyRejected as exc:
        return _error(401, exc)
    except InvalidInputError as exc:
        return _error(422, exc)
    out = PartnerReceiptOut(
        receipt=receipt.code,
        received_at=receipt.received_at,
        urls=[
            PartnerUrlOut(url=u.url, report_id=u.report_id, duplicate=u.duplicate)
            for u in receipt.urls
        ],
    )
    return JSONResponse(to_json(out.model_dump()))


@router.post(
    "/status",
    name="partner_report_status",
    dependencies=[Public],
    response_model=PartnerStatusOut,
    responses={
        401: {"description": "No valid API key"},
        404: {"description": "Unknown"},
        429: {"description": "Rate limit of the key reached; see Retry-After"},
    },
)
def partner_status(
    body: PartnerStatusIn, key: PartnerKey, site: Site, workspace: WorkspaceState
) -> Response:
    """A receipt's status, as the public sees it."""
    ctx = workspace.context()
    refused = _admit(ctx, key, site)
    if refused is not None:
        return refused
    try:
        found = receipt_status(ctx, body.receipt)
    except (InvalidInputError, NotFoundError) as exc:
        return _error(404, exc)
    return JSONResponse(to_json(found))
