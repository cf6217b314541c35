"""The takedown workspace pages and their JSON twins, against a real reported host."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from sentinela.services.reporting_intake import ReportForm, submit_public_report
from sentinela.services.takedown_runtime import TakedownRuntime
from sentinela.services.takedown_worker import tick
from tests.reporting.helpers import HostServer, body, host_server, png
from tests.web.conftest import Web
from tests.web.reporting_helpers import with_reporting

JSON = {"accept": "application/json"}


@pytest.fixture
def host() -> Iterator[HostServer]:
    with host_server() as server:
        yield server


@pytest.fixture
def rt(web: Web, tmp_path: Path) -> TakedownRuntime:
    return with_reporting(web, tmp_path)


def _open(web: Web, rt: TakedownRuntime, *urls: str) -> list[int]:
    receipt = submit_public_report(web.ctx, ReportForm(urls=list(urls)), rt.config)
    return [u.report_id for u in receipt.urls]


def test_queue_groups_by_host_for_police_and_operators(
    web: Web, rt: TakedownRuntime, host: HostServer
) -> None:
    ids = _open(web, rt, host.url("/a"), host.url("/b"), "http://203.0.113.5/x")
    police = web.sign_in("ivan")
    queue = police.http.get("/takedown.json").json()
    assert queue["can_decide"] is True and queue["counts"] == {"awaiting_decision": 3}
    hosts = {g["host"]: [r["id"] for r in g["reports"]] for g in queue["groups"]}
    assert hosts == {"127.0.0.1": ids[:2], "203.0.113.5": ids[2:]}
    twin = police.http.get("/takedown", headers=JSON).json()
    assert {k: v for k, v in twin.items() if k != "generated_at"} == {
        k: v for k, v in queue.items() if k != "generated_at"
    }
    html = police.http.get("/takedown").text
    assert html.count('class="report-row') == 3 and f'href="/takedown/reports/{ids[0]}"' in html
    operator = web.sign_in("hana")
    assert operator.http.get("/takedown.json").json()["can_decide"] is False
    alice = web.sign_in("admin")
    assert alice.http.get("/takedown.json").status_code == 403


def test_decide_from_the_page_then_notice_and_json_twin(
    web: Web, rt: TakedownRuntime, host: HostServer, tmp_path: Path
) -> None:
    host.routes["/img"] = body(png(7), "image/png")
    [rid] = _open(web, rt, host.url("/img"))
    police = web.sign_in("ivan")
    captured = police.post(f"/takedown/reports/{rid}/preserve", headers=JSON)
    assert captured.status_code == 200 and captured.json()["outcome"] == "preserved"
    page = police.http.get(f"/takedown/reports/{rid}").text
    assert 'id="decision-form"' in page and "Loopback Hosting" in page
    decided = police.post(
        f"/takedown/reports/{rid}/decision", {"action": "take_down", "reason": "confirmed"}
    )
    assert decided.status_code == 303 and decided.headers["location"] == f"/takedown/reports/{rid}"
    tick(web.ctx, rt)
    file = police.http.get(f"/takedown/reports/{rid}.json").json()
    assert file["report"]["status"] == "notified"
    assert [d["action"] for d in file["decisions"]] == ["take_down"]
    assert [n["kind"] for n in file["notices"]] == ["notice"]
    assert file["evidence"][0]["sha256"] and file["captures"][0]["manifest_sha256"]
    assert file["stages"]["first_notice"] is not None
    assert list((tmp_path / "outbox").glob("*.eml"))
    del host.routes["/img"]
    checked = police.post(f"/takedown/reports/{rid}/recheck", headers=JSON).json()
    assert checked["outcome"] == "removed"


def test_operators_cannot_decide_and_bad_decisions_are_422(web: Web, rt: TakedownRuntime) -> None:
    [rid] = _open(web, rt, "http://203.0.113.8/a")
    operator = web.sign_in("hana")
    assert 'id="decision-form"' not in operator.http.get(f"/takedown/reports/{rid}").text
    refused = operator.post(f"/takedown/reports/{rid}/decision", {"action": "take_down"})
    assert refused.status_code == 403
    police = web.sign_in("ivan")
    bad = police.post(f"/takedown/reports/{rid}/decision", {"action": "hold"}, headers=JSON)
    assert bad.status_code == 422 and "date in the future" in bad.json()["detail"]
    bad_date = police.post(
        f"/takedown/reports/{rid}/decision",
        {"action": "hold", "hold_until": "tomorrow"},
        headers=JSON,
    )
    assert bad_date.status_code == 422
    held = police.post(
        f"/takedown/reports/{rid}/decision",
        {
            "action": "hold",
            "reason": "ongoing",
            "investigation_ref": "INQ-3",
            "hold_until": (web.clock.now + timedelta(days=30)).date().isoformat(),
        },
        headers=JSON,
    )
    assert held.status_code == 200 and held.json()["report_status"] == "held"
    missing_csrf = police.http.post(f"/takedown/reports/{rid}/decision", data={"action": "x"})
    assert missing_csrf.status_code == 403


def test_isp_requests_and_scorecards_pages(web: Web, rt: TakedownRuntime) -> None:
    police = web.sign_in("ivan")
    later = web.clock.now + timedelta(days=10)
    made = police.post(
        "/takedown/preservation-requests",
        {
            "isp": "Example ISP",
            "subject": "203.0.113.5 port 443, 2026-02-01 10:00-11:00 UTC",
            "legal_basis": "Lei 109/2009, art. 12",
            "legal_deadline": later.date().isoformat(),
            "data_expires": (later + timedelta(days=170)).date().isoformat(),
        },
        headers=JSON,
    )
    assert made.status_code == 200 and made.json()["status"] == "open"
    listing = police.http.get("/takedown/preservation-requests.json").json()
    assert [r["isp"] for r in listing["requests"]] == ["Example ISP"]
    assert "Example ISP" in police.http.get("/takedown/preservation-requests").text
    answered = police.post(
        f"/takedown/preservation-requests/{made.json()['id']}/answered", headers=JSON
    )
    assert answered.json()["status"] == "answered"
    cards = police.http.get("/takedown/scorecards.json").json()
    assert cards["definitions_version"] == 1 and cards["hosts"] == []
    assert police.http.get("/takedown/scorecards").status_code == 200
