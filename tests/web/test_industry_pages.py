"""The police's industry pages: provider usage (administrators) and the feedback queue
(curators), each with its JSON twin; other people are refused, and refusals audited."""

from __future__ import annotations

import json

from sqlalchemy import select

from sentinela.db.audit import AuditEvent
from sentinela.services import provider_api, releases
from sentinela.services.api_keys import authenticate
from sentinela.services.remote_match import MatchIndexCache, match_hashes, parse_match_request
from tests.services.industry_helpers import KNOWN_SAMPLE, seed_known, setup_sharing
from tests.services.workspace_helpers import add_user
from tests.web.conftest import Web


def _activity(web: Web) -> None:
    seed_known(web.ctx, KNOWN_SAMPLE)
    sharing = setup_sharing(web.ctx)
    releases.build_release(web.ctx.with_actor("admin"), "full")
    key = sharing.full_key.api_key
    caller = authenticate(web.ctx, key, scope="remote_match", path="/t")
    body = {"hashes": [{"type": k.hash_type, "value": k.digest} for k in KNOWN_SAMPLE[:3]]}
    match_hashes(web.ctx, caller, parse_match_request(json.dumps(body).encode()), MatchIndexCache())
    item = {"type": "md5", "value": KNOWN_SAMPLE[0].digest, "opinion": "false_positive"}
    caller = authenticate(web.ctx, key, scope="feedback", path="/t")
    provider_api.submit_feedback(web.ctx, caller, json.dumps({"items": [item]}).encode())


def test_usage_page_for_administrators_only(web: Web) -> None:
    _activity(web)
    admin = web.sign_in("admin")
    data = admin.http.get("/industry/usage.json").json()
    assert data["totals"][0]["provider"] == "hostco"
    assert data["totals"][0]["hashes_examined"] == 3
    assert "hostco" in admin.http.get("/industry/usage").text
    alice = web.sign_in("alice")  # an examiner
    assert alice.http.get("/industry/usage.json").status_code == 403
    with web.ctx.transaction() as session:
        event = session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc())).scalars()
        assert next(iter(event)).action == "access.denied"


def test_feedback_queue_accept_revokes(web: Web) -> None:
    _activity(web)
    alice = web.sign_in("alice")
    queue = alice.http.get("/industry/feedback.json").json()["items"]
    assert [(f["provider"], f["opinion"]) for f in queue] == [("hostco", "false_positive")]
    assert "false_positive" in alice.http.get("/industry/feedback").text
    response = alice.post(f"/industry/feedback/{queue[0]['id']}/decide", {"decision": "accept"})
    assert response.status_code == 303
    assert alice.http.get("/industry/feedback.json").json()["items"] == []
    assert releases.list_all_releases(web.ctx, "full")[-1].removed == 1
    add_user(web.ctx, "dave", ["investigator"])
    dave = web.sign_in("dave")
    assert dave.http.get("/industry/feedback.json").status_code == 403
