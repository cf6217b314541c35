"""Provider administration: tiers, providers and their API keys (administrators only).

A tier says what a group of providers may receive: which hash sets, which categories, which
hash types, and whether only baseline material. A provider belongs to one tier and holds
scopes (list download, remote match, feedback). Its API keys are shown once, when created or
rotated, and stored only as a SHA-256 (see :mod:`sentinela.services.api_keys`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.industry import PROVIDER_SCOPES, ApiKey, Provider, ProviderTier
from sentinela.errors import AlreadyExistsError, InvalidInputError
from sentinela.services.context import ServiceContext
from sentinela.services.industry_lookup import load_provider, load_tier
from sentinela.services.permissions import require_role
from sentinela.services.provider_keys import IssuedKey, KeyView, issue_key, key_view
from sentinela.sharing.document import DIGEST_LENGTHS

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
_CATEGORY = re.compile(r"^[a-z0-9_]{1,64}:[A-Za-z0-9_.-]{1,32}$")
DEFAULT_RATE_LIMIT = 120


@dataclass(frozen=True)
class TierView:
    """A tier as callers see it."""

    name: str
    description: str
    hash_sets: list[str]
    categories: list[str]
    hash_types: list[str]
    baseline_only: bool


@dataclass(frozen=True)
class ProviderView:
    """A provider, its tier, scopes and keys."""

    name: str
    display_name: str
    contact: str
    tier: str
    scopes: list[str]
    active: bool
    keys: list[KeyView]


def _check_name(kind: str, name: str) -> None:
    if not _NAME.match(name):
        raise InvalidInputError(f"{kind} name {name!r} must be 2-64 lower_snake characters")


def tier_view(tier: ProviderTier) -> TierView:
    """The view of a tier row."""
    return TierView(
        tier.name,
        tier.description,
        json.loads(tier.hash_sets),
        json.loads(tier.categories),
        json.loads(tier.hash_types),
        tier.baseline_only,
    )


def add_tier(
    ctx: ServiceContext,
    name: str,
    *,
    hash_sets: list[str],
    categories: list[str] | None = None,
    hash_types: list[str] | None = None,
    baseline_only: bool = False,
    description: str = "",
) -> TierView:
    """Create a tier.

    Args:
        name: lower_snake name, e.g. ``baseline_only``.
        hash_sets: names of the categorised hash sets it draws from, highest priority first.
        categories: ``scheme:code`` pairs it may receive; empty or None for all.
        hash_types: subset of md5, sha1, sha256, pdq; all when None.
        baseline_only: only entries flagged baseline.
        description: for people.

    Raises:
        InvalidInputError: a malformed name, category or hash type, or no hash set.
        AlreadyExistsError: the name is taken.
        AccessDenied: the actor is not an administrator.
    """
    _check_name("tier", name)
    cats = sorted(set(categories or []))
    types = sorted(set(hash_types or DIGEST_LENGTHS))
    if not hash_sets:
        raise InvalidInputError("a tier draws from at least one hash set")
    if bad := [c for c in cats if not _CATEGORY.match(c)]:
        raise InvalidInputError(f"categories must be scheme:code, not {', '.join(bad)}")
    if bad := [t for t in types if t not in DIGEST_LENGTHS]:
        raise InvalidInputError(f"unknown hash type(s) {', '.join(bad)}")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, "admin")
        if session.execute(select(ProviderTier.id).where(ProviderTier.name == name)).first():
            raise AlreadyExistsError(f"provider tier {name!r} already exists")
        tier = ProviderTier(
            name=name,
            description=description,
            hash_sets=json.dumps(list(dict.fromkeys(hash_sets))),
            categories=json.dumps(cats),
            hash_types=json.dumps(types),
            baseline_only=baseline_only,
            created_at=ctx.clock(),
            created_by=actor.username,
        )
        session.add(tier)
        session.flush()
        view = tier_view(tier)
        record(
            session,
            actor=actor.username,
            action="tier.add",
            object_type="provider_tier",
            object_id=name,
            details={
                "hash_sets": view.hash_sets,
                "categories": cats,
                "hash_types": types,
                "baseline_only": baseline_only,
            },
            clock=ctx.clock,
        )
        return view


def list_tiers(ctx: ServiceContext) -> list[TierView]:
    """Every tier (administrators only)."""
    with ctx.transaction() as session:
        require_role(ctx.actor(session), "admin")
        rows = session.execute(select(ProviderTier).order_by(ProviderTier.name)).scalars()
        return [tier_view(t) for t in rows]


def _provider_view(session: Session, provider: Provider) -> ProviderView:
    tier = session.get(ProviderTier, provider.tier_id)
    keys = session.execute(
        select(ApiKey).where(ApiKey.provider_id == provider.id).order_by(ApiKey.id)
    ).scalars()
    return ProviderView(
        provider.name,
        provider.display_name,
        provider.contact,
        tier.name if tier else "",
        json.loads(provider.scopes),
        provider.active,
        [key_view(k) for k in keys],
    )


def add_provider(
    ctx: ServiceContext,
    name: str,
    *,
    tier: str,
    scopes: list[str],
    display_name: str = "",
    contact: str = "",
    rate_limit: int = DEFAULT_RATE_LIMIT,
    expires_in: timedelta | None = None,
) -> tuple[ProviderView, IssuedKey]:
    """Register a provider and issue its first API key (shown once, in the result).

    Raises:
        InvalidInputError: malformed name, unknown scope or no scope.
        NotFoundError: no such tier.
        AlreadyExistsError: the name is taken.
        AccessDenied: the actor is not an administrator.
    """
    _check_name("provider", name)
    if not scopes or any(s not in PROVIDER_SCOPES for s in scopes):
        raise InvalidInputError(f"scopes must be some of {', '.join(PROVIDER_SCOPES)}")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, "admin")
        tier_row = load_tier(session, tier)
        if session.execute(select(Provider.id).where(Provider.name == name)).first():
            raise AlreadyExistsError(f"provider {name!r} already exists")
        now = ctx.clock()
        provider = Provider(
            name=name,
            display_name=display_name or name,
            contact=contact,
            tier_id=tier_row.id,
            scopes=json.dumps(sorted(set(scopes))),
            created_at=now,
            created_by=actor.username,
        )
        session.add(provider)
        session.flush()
        _, issued = issue_key(
            session,
            provider,
            actor=actor.username,
            now=now,
            rate_limit=rate_limit,
            expires_in=expires_in,
        )
        record(
            session,
            actor=actor.username,
            action="provider.add",
            object_type="provider",
            object_id=name,
            details={"tier": tier, "scopes": sorted(set(scopes)), "key_id": issued.key_id},
            clock=ctx.clock,
        )
        return _provider_view(session, provider), issued


def list_providers(ctx: ServiceContext) -> list[ProviderView]:
    """Every provider with its keys (administrators only)."""
    with ctx.transaction() as session:
        require_role(ctx.actor(session), "admin")
        rows = session.execute(select(Provider).order_by(Provider.name)).scalars().all()
        return [_provider_view(session, p) for p in rows]


def show_provider(ctx: ServiceContext, name: str) -> ProviderView:
    """One provider (administrators only)."""
    with ctx.transaction() as session:
        require_role(ctx.actor(session), "admin")
        return _provider_view(session, load_provider(session, name))


def set_active(ctx: ServiceContext, name: str, active: bool) -> ProviderView:
    """Suspend or reinstate a provider; a suspended provider's keys are all refused.

    Raises:
        NotFoundError: no such provider.
        AccessDenied: the actor is not an administrator.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, "admin")
        provider = load_provider(session, name)
        provider.active = active
        provider.disabled_at = None if active else ctx.clock()
        record(
            session,
            actor=actor.username,
            action="provider.enable" if active else "provider.disable",
            object_type="provider",
            object_id=name,
            clock=ctx.clock,
        )
        return _provider_view(session, provider)
