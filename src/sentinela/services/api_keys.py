"""Provider API keys: their format, and the check every API call goes through.

A key reads ``snt_<key id>_<secret>``: 12 hex characters that name the key (safe to log and
show) and 64 hex characters of secret (256 random bits). The database holds the key id and
the SHA-256 of the whole key; the check compares hashes in constant time.

Every call is checked in one short transaction that also counts it against the key's rate
limit. The window is a fixed minute kept on the key row, so all server processes share it.
A refused key (unknown, wrong, revoked, expired, or its provider suspended) is audited in a
transaction of its own, since the checking one is rolled back with the error; so is a call
outside the provider's scopes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.industry import ApiKey, Provider, ProviderTier
from sentinela.errors import AccessDenied
from sentinela.services.context import ServiceContext

KEY_PREFIX = "snt"
_KEY = re.compile(r"^snt_([0-9a-f]{12})_([0-9a-f]{64})$")


class ApiKeyRejected(AccessDenied):
    """The key is missing, unknown, wrong, revoked or expired, or its provider is suspended
    (HTTP 401). The message never says which."""


class ScopeDenied(AccessDenied):
    """The key is good but its provider lacks the scope this call needs (HTTP 403)."""


class RateLimited(AccessDenied):
    """Too many calls with this key in the current minute (HTTP 429).

    Attributes:
        retry_after: seconds until the next window opens.
    """

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class ApiCaller:
    """A provider whose key was accepted for one call."""

    provider_id: int
    provider: str
    tier_id: int
    tier: str
    scopes: frozenset[str]
    key_id: str

    @property
    def actor(self) -> str:
        """The audit actor: ``provider:<name>``."""
        return f"provider:{self.provider}"


def hash_key(api_key: str) -> str:
    """The stored form of a key: hex SHA-256 of its text."""
    return hashlib.sha256(api_key.encode("ascii")).hexdigest()


def new_api_key() -> tuple[str, str, str]:
    """A fresh key.

    Returns:
        (key id, the whole key to show once, its stored hash).
    """
    key_id = secrets.token_hex(6)
    api_key = f"{KEY_PREFIX}_{key_id}_{secrets.token_hex(32)}"
    return key_id, api_key, hash_key(api_key)


def _refuse(ctx: ServiceContext, key_id: str | None, reason: str, path: str) -> ApiKeyRejected:
    with ctx.transaction() as session:
        record(
            session,
            actor=f"api_key:{key_id}" if key_id else "anonymous",
            action="api.key_rejected",
            object_type="request",
            object_id=path[:200],
            details={"reason": reason},
            clock=ctx.clock,
        )
    return ApiKeyRejected("invalid, revoked or expired API key")


def _window(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def _count_call(key: ApiKey, now: datetime) -> None:
    window = _window(now)
    if key.window_start != window:
        key.window_start, key.window_count = window, 0
    if key.window_count >= key.rate_limit_per_minute:
        raise RateLimited(
            f"rate limit of {key.rate_limit_per_minute} calls per minute reached",
            retry_after=max(1, 60 - now.second),
        )
    key.window_count += 1
    key.last_used_at = now


def _check(session: Session, api_key: str, now: datetime) -> tuple[ApiCaller | None, str]:
    match = _KEY.match(api_key)
    if match is None:
        return None, "malformed"
    key = session.execute(
        select(ApiKey).where(ApiKey.key_id == match.group(1)).with_for_update()
    ).scalar_one_or_none()
    if key is None or not hmac.compare_digest(key.secret_hash, hash_key(api_key)):
        return None, "unknown"
    if key.revoked_at is not None and key.revoked_at <= now:
        return None, "revoked"
    if key.expires_at is not None and key.expires_at <= now:
        return None, "expired"
    provider = session.get(Provider, key.provider_id)
    tier = session.get(ProviderTier, provider.tier_id) if provider else None
    if provider is None or tier is None or not provider.active:
        return None, "provider_disabled"
    _count_call(key, now)
    caller = ApiCaller(
        provider.id,
        provider.name,
        tier.id,
        tier.name,
        frozenset(json.loads(provider.scopes)),
        key.key_id,
    )
    return caller, "ok"


def authenticate(ctx: ServiceContext, api_key: str | None, *, scope: str, path: str) -> ApiCaller:
    """Check a presented key for one call that needs ``scope``, and count the call.

    Args:
        ctx: the service context.
        api_key: the key as presented (``None`` when absent).
        scope: the scope the call needs (one of ``PROVIDER_SCOPES``).
        path: the request path, for the audit of a refusal.

    Returns:
        The caller.

    Raises:
        ApiKeyRejected: no valid key (audited).
        ScopeDenied: the provider lacks ``scope`` (audited).
        RateLimited: the key's calls this minute are used up.
    """
    if not api_key:
        raise _refuse(ctx, None, "missing", path)
    match = _KEY.match(api_key)
    key_id = match.group(1) if match else None
    with ctx.transaction() as session:
        caller, reason = _check(session, api_key, ctx.clock())
    if caller is None:
        raise _refuse(ctx, key_id, reason, path)
    if scope not in caller.scopes:
        with ctx.transaction() as session:
            record(
                session,
                actor=caller.actor,
                action="api.scope_denied",
                object_type="request",
                object_id=path[:200],
                details={"scope": scope, "key_id": caller.key_id},
                clock=ctx.clock,
            )
        raise ScopeDenied(f"provider {caller.provider!r} lacks the {scope!r} scope")
    return caller
