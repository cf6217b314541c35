"""Releases per tier: snapshots, deltas, tier filtering, revocations with tombstones, the
feedback queue, and usage counts. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from sentinela.db.audit import AuditEvent
from sentinela.errors import AccessDenied, AlreadyExistsError, InvalidInputError, NotFoundError
from sentinela.services import provider_api, releases, revocations
from sentinela.services.api_keys import authenticate
from sentinela.services.context import ServiceContext
from sentinela.services.provider_usage import usage_report
from sentinela.services.remote_match import MatchIndexCache, match_hashes, parse_match_request
from sentinela.sharing.envelope import open_envelope
from sentinela.sharing.local_list import LocalHashList
from tests.services.industry_helpers import (
    Known,
    Sharing,
    remove_known,
    sample_known,
    seed_known,
    setup_sharing,
)

KNOWN = sample_known(24)


@pytest.fixture
def sharing(ctx: ServiceContext) -> Sharing:
    seed_known(ctx, KNOWN)
    seed_known(ctx, [Known("md5", "f" * 32, "1", True)], set_name="nsrl", kind="benign")
    return setup_sharing(ctx)


def _snapshot(ctx: ServiceContext, sharing: Sharing, key: str, version: int) -> LocalHashList:
    caller = authenticate(ctx, key, scope="list_download", path="/t")
    cache = provider_api.SignedDocumentCache()
    data = provider_api.signed_snapshot(ctx, caller, version, cache)
    copy = LocalHashList(sharing.public_key)
    copy.apply(json.loads(data))
    return copy


def test_build_release_per_tier_with_tier_filtering(ctx: ServiceContext, sharing: Sharing) -> None:
    admin = ctx.with_actor("admin")
    full = releases.build_release(admin, "full")
    base = releases.build_release(admin, "baseline_only")
    assert full is not None and base is not None
    assert (full.version, full.entry_count) == (1, len(KNOWN))
    assert base.entry_count == sum(k.baseline for k in KNOWN)
    assert releases.build_release(admin, "full") is None  # nothing changed
    forced = releases.build_release(admin, "full", force=True)
    assert forced is not None and forced.version == 2 and forced.added == 0
    full_copy = _snapshot(ctx, sharing, sharing.full_key.api_key, 1)
    base_copy = _snapshot(ctx, sharing, sharing.baseline_key.api_key, 1)
    assert {e.key for e in full_copy.entries.values()} == {(k.hash_type, k.digest) for k in KNOWN}
    assert all(e.baseline for e in base_copy.entries.values())
    assert ("md5", "f" * 32) not in full_copy.entries  # benign sets are never shared
    with pytest.raises(AccessDenied):
        releases.build_release(ctx.with_actor("nobody"), "full")
    with pytest.raises(NotFoundError):
        releases.build_release(admin, "missing")


def test_documents_carry_no_case_data(ctx: ServiceContext, sharing: Sharing) -> None:
    releases.build_release(ctx.with_actor("admin"), "full")
    caller = authenticate(ctx, sharing.full_key.api_key, scope="list_download", path="/t")
    data = provider_api.signed_delta(ctx, caller, 0, provider_api.SignedDocumentCache())
    text = data.decode()
    assert "secret series" not in text and "EXH-001" not in text and "C-1" not in text
    doc = open_envelope(json.loads(data), sharing.public_key)
    assert doc.kind == "delta" and doc.since == 0 and len(doc.entries) == len(KNOWN)


def test_revocation_publishes_a_tombstone_and_the_client_drops_it(
    ctx: ServiceContext, sharing: Sharing
) -> None:
    admin = ctx.with_actor("admin")
    releases.build_release(admin, "full")
    releases.build_release(admin, "baseline_only")
    copy = _snapshot(ctx, sharing, sharing.full_key.api_key, 1)
    victim = KNOWN[0]  # baseline: in both tiers
    assert copy.lookup(victim.hash_type, victim.digest) is not None
    view = revocations.revoke_hash(
        ctx, victim.hash_type, victim.digest.upper(), note="wrong picture"
    )
    assert sorted((r.tier, r.version) for r in view.releases) == [
        ("baseline_only", 2),
        ("full", 2),
    ]
    caller = authenticate(ctx, sharing.full_key.api_key, scope="list_download", path="/t")
    delta = provider_api.signed_delta(ctx, caller, 1, provider_api.SignedDocumentCache())
    doc = open_envelope(json.loads(delta), sharing.public_key)
    assert [tuple(t) for t in doc.revocations] == [
        (victim.hash_type, victim.digest, "false_positive")
    ]
    result = copy.apply(json.loads(delta))
    assert (result.removed, result.version) == (1, 2)
    assert copy.lookup(victim.hash_type, victim.digest) is None
    assert releases.build_release(admin, "full") is None  # stays out of later releases
    with pytest.raises(AlreadyExistsError):
        revocations.revoke_hash(ctx, victim.hash_type, victim.digest)
    with pytest.raises(InvalidInputError):
        revocations.revoke_hash(ctx, "photodna", victim.digest)
    with pytest.raises(AccessDenied):
        revocations.revoke_hash(ctx.with_actor("nobody"), "md5", "0" * 32)


def test_withdrawn_and_updated_entries(ctx: ServiceContext, sharing: Sharing) -> None:
    admin = ctx.with_actor("admin")
    releases.build_release(admin, "full")
    copy = _snapshot(ctx, sharing, sharing.full_key.api_key, 1)
    remove_known(ctx, KNOWN[1].hash_type, KNOWN[1].digest)
    seed_known(ctx, [Known("sha256", "a" * 64, "2", False)])
    release = releases.build_release(admin, "full")
    assert release is not None and (release.added, release.removed) == (1, 1)
    caller = authenticate(ctx, sharing.full_key.api_key, scope="list_download", path="/t")
    delta = json.loads(
        provider_api.signed_delta(ctx, caller, 1, provider_api.SignedDocumentCache())
    )
    assert delta["payload"]["revocations"] == [[KNOWN[1].hash_type, KNOWN[1].digest, "withdrawn"]]
    copy.apply(delta)
    assert copy.lookup("sha256", "a" * 64) is not None
    assert copy.state_digest == release.state_digest
    assert len(releases.list_all_releases(admin, "full")) == 2


def test_remote_match_counts_and_audits(ctx: ServiceContext, sharing: Sharing) -> None:
    releases.build_release(ctx.with_actor("admin"), "full")
    caller = authenticate(ctx, sharing.full_key.api_key, scope="remote_match", path="/t")
    body = {
        "hashes": [{"type": k.hash_type, "value": k.digest} for k in KNOWN[:4]]
        + [{"type": "md5", "value": "0" * 32}]
    }
    cache = MatchIndexCache()
    report = match_hashes(ctx, caller, parse_match_request(json.dumps(body).encode()), cache)
    assert report.examined == 5 and [m.index for m in report.matches] == [0, 1, 2, 3]
    assert report.matches[0].category_scheme == "project_vic_us"
    match_hashes(ctx, caller, parse_match_request(json.dumps(body).encode()), cache)
    (row,) = usage_report(ctx.with_actor("admin"))
    assert (row.provider, row.match_requests, row.hashes_examined, row.hashes_matched) == (
        "hostco",
        2,
        10,
        8,
    )
    with ctx.transaction() as session:
        events = session.execute(
            select(AuditEvent).where(AuditEvent.action == "provider.match")
        ).scalars()
        assert [e.actor for e in events] == ["provider:hostco", "provider:hostco"]


def test_feedback_queue_accepting_a_false_positive_revokes(
    ctx: ServiceContext, sharing: Sharing
) -> None:
    releases.build_release(ctx.with_actor("admin"), "full")
    caller = authenticate(ctx, sharing.full_key.api_key, scope="feedback", path="/t")
    items = [
        {"type": KNOWN[2].hash_type, "value": KNOWN[2].digest, "opinion": "false_positive"},
        {"type": KNOWN[3].hash_type, "value": KNOWN[3].digest, "opinion": "confirmed"},
    ]
    receipt = provider_api.submit_feedback(ctx, caller, json.dumps({"items": items}).encode())
    assert receipt.received == 2
    queue = revocations.list_feedback(ctx)  # alice, an examiner, curates
    assert [(f.provider, f.opinion) for f in queue] == [
        ("hostco", "false_positive"),
        ("hostco", "confirmed"),
    ]
    decided = revocations.decide_feedback(ctx, queue[0].id, accept=True)
    assert decided.status == "accepted"
    revocations.decide_feedback(ctx, queue[1].id, accept=False, note="not ours")
    assert revocations.list_feedback(ctx) == []
    with pytest.raises(InvalidInputError):
        revocations.decide_feedback(ctx, queue[0].id, accept=False)
    full = releases.list_all_releases(ctx, "full")
    assert full[-1].version == 2 and full[-1].removed == 1
