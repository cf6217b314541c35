"""The partner hotlines' API: API key, deduplication, JSON errors."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from sentinela.db.audit import AuditEvent
from sentinela.reporting.config import PartnerLimits
from sentinela.services import reporting_partners
from sentinela.services.takedown_runtime import TakedownRuntime
from sentinela.web.routes.reporting_site import install_site
from tests.web.conftest import Web
from tests.web.reporting_helpers import with_reporting


@pytest.fixture
def rt(web: Web, tmp_path: Path) -> TakedownRuntime:
    return with_reporting(web, tmp_path)


def test_partner_api(web: Web, rt: TakedownRuntime) -> None:
    key = reporting_partners.add_partner(web.ctx.with_actor("admin"), "Hotline ES", "ES").key
    c = web.client()
    payload = {
        "urls": ["http://p.test/1", "http://p.test/2"],
        "priority": "high",
        "reference": "ES-1",
    }
    for headers in ({}, {"authorization": "Bearer sntp_bad"}, {"x-api-key": "nope"}):
        refused = c.post("/api/partner/reports", json=payload, headers=headers)
        assert refused.status_code == 401 and refused.json()["error"] == "PartnerKeyRejected"
    first = c.post("/api/partner/reports", json=payload, headers={"authorization": f"Bearer {key}"})
    assert first.status_code == 200
    body = first.json()
    assert [u["duplicate"] for u in body["urls"]] == [False, False]
    again = c.post(
        "/api/partner/reports", json={"urls": ["HTTP://p.test/1"]}, headers={"x-api-key": key}
    ).json()
    assert again["urls"][0] == {
        "url": "http://p.test/1",
        "report_id": body["urls"][0]["report_id"],
        "duplicate": True,
    }
    bad = c.post("/api/partner/reports", json={"urls": ["ftp://x"]}, headers={"x-api-key": key})
    assert bad.status_code == 422 and "URL 1" in bad.json()["detail"]
    schema = c.post("/api/partner/reports", json={"urls": []}, headers={"x-api-key": key})
    assert schema.status_code == 422
    status = c.post(
        "/api/partner/status", json={"receipt": body["receipt"]}, headers={"x-api-key": key}
    )
    assert status.json() == {"status": "received"}
    assert c.post("/api/partner/status", json={"receipt": body["receipt"]}).status_code == 401
    unknown = c.post(
        "/api/partner/status", json={"receipt": "0000-0000-0000-0000"}, headers={"x-api-key": key}
    )
    assert unknown.status_code == 404


def _rejections(web: Web) -> list[tuple[str, str, dict[str, str]]]:
    with web.ctx.transaction() as session:
        rows = session.execute(
            select(AuditEvent).where(AuditEvent.action == "partner.key_rejected")
        ).scalars()
        return [(e.actor, e.object_id, json.loads(e.details)) for e in rows]


def test_refused_keys_are_audited_without_the_secret(web: Web, rt: TakedownRuntime) -> None:
    admin = web.ctx.with_actor("admin")
    key = reporting_partners.add_partner(admin, "Hotline FR", "FR").key
    prefix = key.split("_")[1]
    unknown = f"sntp_{prefix[::-1]}_{'x' * 43}"
    c = web.client()
    payload = {"urls": ["http://p.test/audit"]}
    assert c.post("/api/partner/reports", json=payload).status_code == 401  # no key: not audited
    for bad in (unknown, "not-a-key"):
        refused = c.post("/api/partner/reports", json=payload, headers={"x-api-key": bad})
        assert refused.status_code == 401
    reporting_partners.set_active(admin, "Hotline FR", False)
    for path, body in (("reports", payload), ("status", {"receipt": "0000-0000-0000-0000"})):
        suspended = c.post(f"/api/partner/{path}", json=body, headers={"x-api-key": key})
        assert suspended.status_code == 401
        assert suspended.json()["detail"] == refused.json()["detail"]  # one answer for all
    events = _rejections(web)
    assert [e[2]["reason"] for e in events] == ["unknown", "malformed", "inactive", "inactive"]
    assert events[0] == (
        "partner:unknown",
        "unknown",
        {"reason": "unknown", "key_prefix": prefix[::-1]},
    )
    assert events[2][0] == "partner:Hotline FR" and events[2][2]["key_prefix"] == prefix
    dumped = json.dumps(events)
    assert key not in dumped and unknown not in dumped and "not-a-key" not in dumped


def test_partner_calls_are_rate_limited_per_key(web: Web, rt: TakedownRuntime) -> None:
    limits = PartnerLimits(requests=3, window_s=60)
    install_site(web.app, replace(rt, config=rt.config.model_copy(update={"partner": limits})))
    admin = web.ctx.with_actor("admin")
    first = reporting_partners.add_partner(admin, "Hotline IT", "IT").key
    second = reporting_partners.add_partner(admin, "Hotline DE", "DE").key
    c = web.client()
    status = {"receipt": "0000-0000-0000-0000"}
    for i in range(2):
        sent = c.post(
            "/api/partner/reports",
            json={"urls": [f"http://rl.test/{i}"]},
            headers={"x-api-key": first},
        )
        assert sent.status_code == 200
    assert (
        c.post("/api/partner/status", json=status, headers={"x-api-key": first}).status_code == 404
    )
    for path, body in (("reports", {"urls": ["http://rl.test/x"]}), ("status", status)):
        blocked = c.post(f"/api/partner/{path}", json=body, headers={"x-api-key": first})
        assert blocked.status_code == 429 and blocked.json()["error"] == "RateLimited"
        assert int(blocked.headers["retry-after"]) > 0
    other = c.post(
        "/api/partner/reports", json={"urls": ["http://rl.test/x"]}, headers={"x-api-key": second}
    )
    assert other.status_code == 200  # each key has its own allowance
    bad = c.post(
        "/api/partner/reports", json={"urls": ["http://rl.test/y"]}, headers={"x-api-key": "x"}
    )
    assert bad.status_code == 401  # a refused key is still told 401, never 429
