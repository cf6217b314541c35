"""Tiers, providers and API keys: shown once, stored hashed, rotated, revoked, rate limited,
and every step audited. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from sentinela.clock import FakeClock
from sentinela.db.audit import AuditEvent
from sentinela.db.industry import ApiKey
from sentinela.errors import AccessDenied, AlreadyExistsError, InvalidInputError, NotFoundError
from sentinela.services import provider_keys, providers
from sentinela.services.api_keys import (
    ApiKeyRejected,
    RateLimited,
    ScopeDenied,
    authenticate,
)
from sentinela.services.context import ServiceContext
from tests.services.industry_helpers import SET_NAME


def _events(ctx: ServiceContext, action: str) -> list[AuditEvent]:
    with ctx.transaction() as session:
        rows = session.execute(select(AuditEvent).where(AuditEvent.action == action))
        return list(rows.scalars())


@pytest.fixture
def admin(ctx: ServiceContext) -> ServiceContext:
    admin = ctx.with_actor("admin")
    providers.add_tier(admin, "full", hash_sets=[SET_NAME])
    return admin


def test_tier_validation_and_admin_only(ctx: ServiceContext, admin: ServiceContext) -> None:
    with pytest.raises(AccessDenied):
        providers.add_tier(ctx, "other", hash_sets=[SET_NAME])  # alice is an examiner
    with pytest.raises(AlreadyExistsError):
        providers.add_tier(admin, "full", hash_sets=[SET_NAME])
    with pytest.raises(InvalidInputError):
        providers.add_tier(admin, "x", hash_sets=[SET_NAME])
    with pytest.raises(InvalidInputError, match="scheme:code"):
        providers.add_tier(admin, "cats", hash_sets=[SET_NAME], categories=["nope"])
    with pytest.raises(InvalidInputError, match="photodna"):
        providers.add_tier(admin, "types", hash_sets=[SET_NAME], hash_types=["photodna"])
    view = providers.add_tier(
        admin,
        "industry_a",
        hash_sets=[SET_NAME, "other_set"],
        categories=["industry:A1"],
        hash_types=["pdq", "md5"],
        baseline_only=True,
    )
    assert view.hash_types == ["md5", "pdq"] and view.baseline_only
    assert [t.name for t in providers.list_tiers(admin)] == ["full", "industry_a"]
    assert len(_events(ctx, "tier.add")) == 2


def test_key_is_shown_once_and_stored_hashed(ctx: ServiceContext, admin: ServiceContext) -> None:
    view, issued = providers.add_provider(
        admin, "hostco", tier="full", scopes=["remote_match"], rate_limit=5
    )
    assert issued.api_key.startswith(f"snt_{issued.key_id}_")
    assert view.keys[0].key_id == issued.key_id
    with ctx.transaction() as session:
        row = session.execute(select(ApiKey)).scalar_one()
        assert row.secret_hash == hashlib.sha256(issued.api_key.encode()).hexdigest()
        assert issued.api_key not in str(row.__dict__)
    (event,) = _events(ctx, "provider.add")
    assert issued.api_key not in event.details and issued.key_id in event.details
    assert "api_key" not in repr(providers.show_provider(admin, "hostco"))
    with pytest.raises(InvalidInputError):
        providers.add_provider(admin, "bad", tier="full", scopes=["everything"])
    with pytest.raises(NotFoundError):
        providers.add_provider(admin, "bad", tier="nope", scopes=["feedback"])
    with pytest.raises(AccessDenied):
        providers.add_provider(ctx, "bad", tier="full", scopes=["feedback"])


def test_authenticate_scopes_and_refusals_are_audited(
    ctx: ServiceContext, admin: ServiceContext
) -> None:
    _, issued = providers.add_provider(admin, "hostco", tier="full", scopes=["remote_match"])
    caller = authenticate(ctx, issued.api_key, scope="remote_match", path="/api/v1/match")
    assert (caller.provider, caller.tier, caller.actor) == ("hostco", "full", "provider:hostco")
    with pytest.raises(ScopeDenied):
        authenticate(ctx, issued.api_key, scope="list_download", path="/x")
    wrong = issued.api_key[:-1] + ("0" if issued.api_key[-1] != "0" else "1")
    for bad in (None, "", "snt_nothex", wrong):
        with pytest.raises(ApiKeyRejected):
            authenticate(ctx, bad, scope="remote_match", path="/api/v1/match")
    reasons = [e.details for e in _events(ctx, "api.key_rejected")]
    assert len(reasons) == 4 and '"unknown"' in reasons[-1]
    assert _events(ctx, "api.key_rejected")[-1].actor == f"api_key:{issued.key_id}"
    assert len(_events(ctx, "api.scope_denied")) == 1


def test_rotate_revoke_expire_and_disable(
    ctx: ServiceContext, admin: ServiceContext, clock: FakeClock
) -> None:
    _, first = providers.add_provider(
        admin, "hostco", tier="full", scopes=["feedback"], expires_in=timedelta(days=1)
    )
    second = provider_keys.rotate_key(admin, "hostco", first.key_id, grace=timedelta(hours=1))
    authenticate(ctx, first.api_key, scope="feedback", path="/x")  # within the grace period
    authenticate(ctx, second.api_key, scope="feedback", path="/x")
    clock.advance(timedelta(hours=2))
    with pytest.raises(ApiKeyRejected):
        authenticate(ctx, first.api_key, scope="feedback", path="/x")  # expired
    third = provider_keys.rotate_key(admin, "hostco", second.key_id)
    with pytest.raises(ApiKeyRejected):
        authenticate(ctx, second.api_key, scope="feedback", path="/x")  # revoked at once
    with pytest.raises(InvalidInputError):
        provider_keys.rotate_key(admin, "hostco", second.key_id)
    provider_keys.revoke_key(admin, "hostco", third.key_id)
    with pytest.raises(ApiKeyRejected):
        authenticate(ctx, third.api_key, scope="feedback", path="/x")
    fourth = provider_keys.rotate_key(admin, "hostco", first.key_id)
    providers.set_active(admin, "hostco", False)
    with pytest.raises(ApiKeyRejected):
        authenticate(ctx, fourth.api_key, scope="feedback", path="/x")
    providers.set_active(admin, "hostco", True)
    authenticate(ctx, fourth.api_key, scope="feedback", path="/x")
    details = [e.details for e in _events(ctx, "api.key_rejected")]
    assert [d.split('"')[3] for d in details] == [
        "expired",
        "revoked",
        "revoked",
        "provider_disabled",
    ]
    for action in ("provider.key.rotate", "provider.key.revoke", "provider.disable"):
        assert _events(ctx, action), action
    with pytest.raises(NotFoundError):
        provider_keys.revoke_key(admin, "hostco", "000000000000")


def test_rate_limit_per_key_per_minute(
    ctx: ServiceContext, admin: ServiceContext, clock: FakeClock
) -> None:
    _, issued = providers.add_provider(
        admin, "hostco", tier="full", scopes=["remote_match"], rate_limit=3
    )
    clock.now = clock.now.replace(second=0)
    clock.step = timedelta(0)
    for _ in range(3):
        authenticate(ctx, issued.api_key, scope="remote_match", path="/x")
    with pytest.raises(RateLimited) as refused:
        authenticate(ctx, issued.api_key, scope="remote_match", path="/x")
    assert 1 <= refused.value.retry_after <= 60
    clock.advance(timedelta(minutes=1))
    authenticate(ctx, issued.api_key, scope="remote_match", path="/x")
    with pytest.raises(InvalidInputError):
        providers.add_provider(admin, "slow", tier="full", scopes=["feedback"], rate_limit=0)
