"""The provider API over HTTP: keys, scopes, limits, signed documents and bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sentinela.clock import FakeClock
from sentinela.db.audit import AuditEvent
from sentinela.services import provider_keys, providers, releases
from sentinela.services.context import ServiceContext
from sentinela.services.provider_usage import usage_report
from sentinela.services.remote_match import MAX_BODY_BYTES, MAX_HASHES
from sentinela.sharing.envelope import open_envelope
from sentinela.sharing.errors import ReleaseVerificationError
from sentinela.sharing.keys import ReleaseSigningKey
from sentinela.web.app import create_app
from sentinela.web.provider_auth import app_industry_state, warm_match_indexes
from tests.services.industry_helpers import KNOWN_SAMPLE, Sharing, seed_known, setup_sharing

BASE = "https://testserver"


@dataclass
class Api:
    client: TestClient
    ctx: ServiceContext
    sharing: Sharing
    clock: FakeClock

    def headers(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.sharing.full_key.api_key}"}

    def events(self, action: str) -> list[AuditEvent]:
        with self.ctx.transaction() as session:
            query = select(AuditEvent).where(AuditEvent.action == action)
            return list(session.execute(query).scalars())


@pytest.fixture
def api(sqlite_ctx: ServiceContext, clock: FakeClock) -> Iterator[Api]:
    seed_known(sqlite_ctx, KNOWN_SAMPLE)
    sharing = setup_sharing(sqlite_ctx, rate_limit=1000)
    releases.build_release(sqlite_ctx.with_actor("admin"), "full")
    releases.build_release(sqlite_ctx.with_actor("admin"), "baseline_only")
    app = create_app(sqlite_ctx.settings, context=sqlite_ctx)
    with TestClient(app, base_url=BASE) as client:
        yield Api(client, sqlite_ctx, sharing, clock)


def _hashes(n: int) -> list[dict[str, str]]:
    return [{"type": k.hash_type, "value": k.digest} for k in KNOWN_SAMPLE[:n]]


def test_releases_list_and_signed_snapshot_verify(api: Api) -> None:
    listing = api.client.get("/api/v1/hashlist/releases", headers=api.headers()).json()
    assert listing["tier"] == "full" and listing["public_key"] == api.sharing.public_key.to_text()
    assert [r["version"] for r in listing["releases"]] == [1]
    response = api.client.get("/api/v1/hashlist/releases/1", headers=api.headers())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    doc = open_envelope(response.json(), api.sharing.public_key)
    assert doc.kind == "snapshot" and doc.entry_count == len(KNOWN_SAMPLE)
    key = api.client.get("/api/v1/hashlist/public-key", headers=api.headers()).json()
    assert key["public_key"] == api.sharing.public_key.to_text()
    assert api.client.get("/api/v1/hashlist/releases/9", headers=api.headers()).status_code == 404
    assert (
        api.client.get("/api/v1/hashlist/deltas?since=5", headers=api.headers()).status_code == 422
    )


def test_tampered_or_foreign_release_fails_verification(api: Api) -> None:
    envelope = api.client.get("/api/v1/hashlist/deltas?since=0", headers=api.headers()).json()
    tampered = json.loads(json.dumps(envelope))
    tampered["payload"]["entries"][0][3] = (
        "2" if tampered["payload"]["entries"][0][3] != "2" else "1"
    )
    with pytest.raises(ReleaseVerificationError, match="altered"):
        open_envelope(tampered, api.sharing.public_key)
    with pytest.raises(ReleaseVerificationError, match="not the published key"):
        open_envelope(envelope, ReleaseSigningKey.generate().public)


def test_tier_filtering_baseline_only(api: Api) -> None:
    headers = api.headers(api.sharing.baseline_key.api_key)
    envelope = api.client.get("/api/v1/hashlist/deltas?since=0", headers=headers).json()
    doc = open_envelope(envelope, api.sharing.public_key)
    assert doc.tier == "baseline_only"
    assert len(doc.entries) == sum(k.baseline for k in KNOWN_SAMPLE) and all(
        e.baseline for e in doc.entries
    )


def test_invalid_and_revoked_keys_get_401_and_are_audited(api: Api) -> None:
    admin = api.ctx.with_actor("admin")
    _, first = providers.add_provider(admin, "temp", tier="full", scopes=["remote_match"])
    second = provider_keys.rotate_key(admin, "temp", first.key_id)  # first revoked at once
    third = provider_keys.rotate_key(admin, "temp", second.key_id, grace=timedelta(hours=1))
    provider_keys.revoke_key(admin, "temp", third.key_id)
    body = {"hashes": _hashes(1)}
    cases = {
        "none": {},
        "malformed": {"Authorization": "Bearer nope"},
        "revoked": api.headers(third.api_key),
        "rotated_out": api.headers(first.api_key),
        "cookie_only": {"Cookie": "sentinela_session=not-an-api-key"},
    }
    for name, headers in cases.items():
        response = api.client.post("/api/v1/match", json=body, headers=headers)
        assert response.status_code == 401, name
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["error"] == "ApiKeyRejected"
    in_grace = api.client.post("/api/v1/match", json=body, headers=api.headers(second.api_key))
    assert in_grace.status_code == 200
    assert len(api.events("api.key_rejected")) == len(cases)


def test_expired_key_gets_401(api: Api) -> None:
    admin = api.ctx.with_actor("admin")
    _, issued = providers.add_provider(
        admin, "short", tier="full", scopes=["remote_match"], expires_in=timedelta(minutes=5)
    )
    api.clock.advance(timedelta(minutes=10))
    response = api.client.post(
        "/api/v1/match", json={"hashes": []}, headers=api.headers(issued.api_key)
    )
    assert response.status_code == 401
    assert '"expired"' in api.events("api.key_rejected")[-1].details


def test_wrong_scope_gets_403_and_is_audited(api: Api) -> None:
    isp = api.headers(api.sharing.baseline_key.api_key)  # list download only
    response = api.client.post("/api/v1/match", json={"hashes": _hashes(1)}, headers=isp)
    assert response.status_code == 403 and response.json()["error"] == "ScopeDenied"
    response = api.client.post("/api/v1/feedback", json={"items": []}, headers=isp)
    assert response.status_code == 403
    assert [e.actor for e in api.events("api.scope_denied")] == ["provider:isp"] * 2


def test_oversized_batches_get_413(api: Api) -> None:
    too_many = {"hashes": [{"type": "md5", "value": "0" * 32}] * (MAX_HASHES + 1)}
    response = api.client.post("/api/v1/match", json=too_many, headers=api.headers())
    assert response.status_code == 413 and response.json()["error"] == "BatchTooLarge"
    huge = b'{"hashes": [], "pad": "' + b"x" * MAX_BODY_BYTES + b'"}'
    response = api.client.post(
        "/api/v1/match",
        content=huge,
        headers={**api.headers(), "Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_malformed_hashes_get_422_naming_the_index(api: Api) -> None:
    body = {"hashes": [*_hashes(3), {"type": "sha1", "value": "xyz"}, *_hashes(1)]}
    response = api.client.post("/api/v1/match", json=body, headers=api.headers())
    assert response.status_code == 422
    assert response.json()["index"] == 3 and "hashes[3]" in response.json()["detail"]
    body = {"hashes": [{"type": "photodna", "value": "00"}]}
    response = api.client.post("/api/v1/match", json=body, headers=api.headers())
    assert response.status_code == 422 and response.json()["index"] == 0
    response = api.client.post(
        "/api/v1/match",
        content=b"{not json",
        headers={**api.headers(), "Content-Type": "application/json"},
    )
    assert response.status_code == 422


def test_images_are_never_accepted(api: Api) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    for content_type in (
        "image/png",
        "multipart/form-data; boundary=x",
        "application/octet-stream",
    ):
        response = api.client.post(
            "/api/v1/match", content=png, headers={**api.headers(), "Content-Type": content_type}
        )
        assert response.status_code == 415, content_type


def test_rate_limit_gets_429_with_retry_after(api: Api) -> None:
    admin = api.ctx.with_actor("admin")
    _, issued = providers.add_provider(
        admin, "tiny", tier="full", scopes=["remote_match"], rate_limit=2
    )
    api.clock.now = api.clock.now.replace(second=0)
    api.clock.step = timedelta(0)
    codes = [
        api.client.post(
            "/api/v1/match", json={"hashes": _hashes(1)}, headers=api.headers(issued.api_key)
        )
        for _ in range(3)
    ]
    assert [c.status_code for c in codes] == [200, 200, 429]
    assert int(codes[-1].headers["retry-after"]) >= 1


def test_match_counts_hashes_examined_per_provider_per_day(api: Api) -> None:
    body = {"hashes": [*_hashes(4), {"type": "sha256", "value": "ab" * 32}]}
    first = api.client.post("/api/v1/match", json=body, headers=api.headers()).json()
    assert first["examined"] == 5 and len(first["matches"]) == 4
    assert {"category_scheme", "category_code", "baseline"} <= set(first["matches"][0])
    api.clock.advance(timedelta(days=1))
    api.client.post("/api/v1/match", json={"hashes": _hashes(2)}, headers=api.headers())
    rows = usage_report(api.ctx.with_actor("admin"))
    assert [(r.provider, r.hashes_examined, r.hashes_matched) for r in rows] == [
        ("hostco", 5, 4),
        ("hostco", 2, 2),
    ]
    assert rows[0].day < rows[1].day
    local = api.client.post(
        "/api/v1/usage", json={"examined": 40, "matched": 1}, headers=api.headers()
    )
    assert local.status_code == 200
    bad = api.client.post(
        "/api/v1/usage", json={"examined": 1, "matched": 2}, headers=api.headers()
    )
    assert bad.status_code == 422


def test_feedback_lands_in_the_queue(api: Api) -> None:
    item = {"type": "md5", "value": KNOWN_SAMPLE[0].digest, "opinion": "false_positive"}
    response = api.client.post("/api/v1/feedback", json={"items": [item]}, headers=api.headers())
    assert response.status_code == 200 and response.json()["received"] == 1
    bad = api.client.post(
        "/api/v1/feedback", json={"items": [{**item, "opinion": "maybe"}]}, headers=api.headers()
    )
    assert bad.status_code == 422 and bad.json()["index"] == 0


def test_match_indexes_can_be_built_before_serving(api: Api) -> None:
    app = api.client.app
    assert warm_match_indexes(app) == 2  # type: ignore[arg-type]
    state = app_industry_state(app)  # type: ignore[arg-type]
    response = api.client.post("/api/v1/match", json={"hashes": _hashes(2)}, headers=api.headers())
    assert response.json()["release_version"] == 1
    assert app_industry_state(app) is state  # type: ignore[arg-type]
