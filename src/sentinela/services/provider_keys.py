"""API key lifecycle: issue, rotate (with an optional grace period) and revoke.

Every step is audited. The secret part of a key is returned once, in :class:`IssuedKey`, and
only its SHA-256 is stored (see :mod:`sentinela.services.api_keys` for the format and checks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.industry import ApiKey, Provider
from sentinela.errors import InvalidInputError, NotFoundError
from sentinela.services.api_keys import new_api_key
from sentinela.services.context import ServiceContext
from sentinela.services.industry_lookup import load_provider
from sentinela.services.permissions import require_role


@dataclass(frozen=True)
class KeyView:
    """An API key without its secret."""

    key_id: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    rate_limit_per_minute: int
    last_used_at: datetime | None


@dataclass(frozen=True)
class IssuedKey:
    """A key just created: ``api_key`` is shown this once and never stored."""

    provider: str
    key_id: str
    api_key: str


def key_view(key: ApiKey) -> KeyView:
    """The view of a key row (never its hash)."""
    return KeyView(
        key.key_id,
        key.created_at,
        key.expires_at,
        key.revoked_at,
        key.rate_limit_per_minute,
        key.last_used_at,
    )


def issue_key(
    session: Session,
    provider: Provider,
    *,
    actor: str,
    now: datetime,
    rate_limit: int,
    expires_in: timedelta | None,
) -> tuple[ApiKey, IssuedKey]:
    if rate_limit < 1:
        raise InvalidInputError("the rate limit is at least one request per minute")
    key_id, api_key, secret_hash = new_api_key()
    row = ApiKey(
        provider_id=provider.id,
        key_id=key_id,
        secret_hash=secret_hash,
        rate_limit_per_minute=rate_limit,
        created_at=now,
        created_by=actor,
        expires_at=now + expires_in if expires_in else None,
    )
    session.add(row)
    session.flush()
    return row, IssuedKey(provider.name, key_id, api_key)


def _load_key(session: Session, provider: Provider, key_id: str) -> ApiKey:
    key = session.execute(
        select(ApiKey).where(ApiKey.provider_id == provider.id, ApiKey.key_id == key_id)
    ).scalar_one_or_none()
    if key is None:
        raise NotFoundError(f"provider {provider.name!r} has no key {key_id!r}")
    return key


def rotate_key(
    ctx: ServiceContext,
    name: str,
    key_id: str,
    *,
    grace: timedelta = timedelta(0),
    rate_limit: int | None = None,
) -> IssuedKey:
    """Issue a new key replacing ``key_id``; the old one stops working after ``grace``.

    Raises:
        NotFoundError: no such provider or key.
        InvalidInputError: the old key is already revoked.
        AccessDenied: the actor is not an administrator.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, "admin")
        provider = load_provider(session, name)
        old = _load_key(session, provider, key_id)
        if old.revoked_at is not None:
            raise InvalidInputError(f"key {key_id} is already revoked")
        now = ctx.clock()
        _, issued = issue_key(
            session,
            provider,
            actor=actor.username,
            now=now,
            rate_limit=rate_limit or old.rate_limit_per_minute,
            expires_in=None,
        )
        old.replaced_by = issued.key_id
        if grace > timedelta(0):
            ends = now + grace
            old.expires_at = min(old.expires_at, ends) if old.expires_at else ends
        else:
            old.revoked_at, old.revoked_by = now, actor.username
        record(
            session,
            actor=actor.username,
            action="provider.key.rotate",
            object_type="provider",
            object_id=name,
            details={"old_key_id": key_id, "new_key_id": issued.key_id, "grace_s": grace.seconds},
            clock=ctx.clock,
        )
        return issued


def revoke_key(ctx: ServiceContext, name: str, key_id: str) -> KeyView:
    """Revoke a key at once.

    Raises:
        NotFoundError: no such provider or key.
        AccessDenied: the actor is not an administrator.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, "admin")
        key = _load_key(session, load_provider(session, name), key_id)
        if key.revoked_at is None:
            key.revoked_at, key.revoked_by = ctx.clock(), actor.username
        record(
            session,
            actor=actor.username,
            action="provider.key.revoke",
            object_type="provider",
            object_id=name,
            details={"key_id": key_id},
            clock=ctx.clock,
        )
        return key_view(key)
