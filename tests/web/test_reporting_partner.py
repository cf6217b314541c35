"""The partner hotlines' API: API key, deduplication, JSON errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinela.services import reporting_partners
from sentinela.services.takedown_runtime import TakedownRuntime
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
