"""The statistics pages: role gate, dashboard with charts beside tables, exports, annual report."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import select

from sentinela.db.audit import AuditEvent
from sentinela.db.users import User, UserRole
from sentinela.web.routes import statistics as routes
from tests.stats.helpers import build
from tests.web.conftest import Web

PERIOD = "period=2026&as_of=2027-02-01T00:00:00Z"


@pytest.fixture
def stats_web(web: Web) -> Web:
    """The web fixture plus the statistics fixture, with carol as head of Unit A."""
    web.clock.advance(web.clock.now.replace(year=2027, month=3) - web.clock.now)
    build(web.ctx)
    from sentinela.services.users import add_user

    add_user(web.ctx.with_actor("admin"), "carol", roles=["investigator"], unit="Unit A")
    with web.ctx.transaction() as session:
        carol = session.execute(select(User).where(User.username == "carol")).scalar_one()
        session.add(UserRole(user_id=carol.id, role="unit_head"))  # the proposed role
    return web


def _last_event(web: Web) -> AuditEvent:
    with web.ctx.transaction() as session:
        event = session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc())).scalars()
        first = event.first()
        assert first is not None
        session.expunge(first)
        return first


def test_dashboard_page_has_a_chart_beside_every_table(stats_web: Web) -> None:
    admin = stats_web.sign_in("admin")
    page = admin.http.get(f"/statistics?{PERIOD}")
    assert page.status_code == 200, page.text
    html = page.text
    assert "Victims identified" in html and "<svg" in html
    assert html.count('<table class="stats"') >= 8
    # The page's policy forbids inline styles: charts carry presentation attributes only.
    assert not re.search(r"<svg[^>]*>.*?style=", html, re.DOTALL)
    assert "<style" not in html
    assert "/statistics/export.csv?period=2026" in html
    event = _last_event(stats_web)
    assert (event.action, event.actor) == ("statistics.view", "admin")


def test_dashboard_json_twin(stats_web: Web) -> None:
    admin = stats_web.sign_in("admin")
    data = admin.http.get(f"/statistics.json?{PERIOD}&unit=Unit+A").json()
    assert data["period"] == "2026" and data["unit"] == "Unit A"
    assert data["units"] == ["Unit A", "Unit B"]
    by_name = {r["metric"]: r for r in data["results"]}
    victims = by_name["victims_identified"]
    assert victims["version"] == 1
    assert {f["key"]: f["value"] for f in victims["figures"]}["victims"] == 2
    only = admin.http.get(f"/statistics.json?{PERIOD}&metric=media_ingested").json()
    assert [r["metric"] for r in only["results"]] == ["media_ingested"]


def test_others_are_refused_and_audited(stats_web: Web) -> None:
    alice = stats_web.sign_in("alice")  # an examiner and case lead: not a unit head
    for route in routes.router.routes:
        path = getattr(route, "path", "")
        response = alice.http.get(path, params={"year": 2026})
        assert response.status_code == 403, path
        event = _last_event(stats_web)
        assert (event.action, event.actor) == ("access.denied", "alice")


def test_unit_head_sees_only_their_unit_s_people(stats_web: Web) -> None:
    carol = stats_web.sign_in("carol")
    data = carol.http.get(f"/statistics.json?{PERIOD}&metric=analyst_throughput").json()
    result = data["results"][0]
    assert result["unit"] == "Unit A"
    assert [row[0] for row in result["tables"][0]["rows"]] == ["alice"]
    assert result["notes"]
    national = carol.http.get(f"/statistics.json?{PERIOD}&metric=media_ingested").json()
    assert national["results"][0]["unit"] is None


def test_csv_and_json_exports(stats_web: Web) -> None:
    admin = stats_web.sign_in("admin")
    one = admin.http.get(f"/statistics/export.csv?{PERIOD}&metric=media_ingested&table=by_unit")
    assert one.status_code == 200
    assert "attachment" in one.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(one.text)))
    assert rows[0][:3] == ["unit", "files", "distinct_media"]
    # The statistics fixture's 9 files (6 media), plus the web fixture's case C-1 (6 and 6).
    assert rows[-1][:3] == ["(all units)", "15", "12"]
    long = admin.http.get(f"/statistics/export.csv?{PERIOD}")
    lines = list(csv.DictReader(io.StringIO(long.text)))
    victims = [x for x in lines if x["metric"] == "victims_identified" and x["column"] == "victims"]
    assert victims[0]["table"] == "figures" and victims[0]["value"] == "3"
    assert {x["catalogue_version"] for x in lines} == {"2026.1"}
    doc = json.loads(admin.http.get(f"/statistics/export.json?{PERIOD}").content)
    assert doc["format"] == "sentinela_statistics" and doc["catalogue_version"] == "2026.1"
    assert {d["name"] for d in doc["definitions"]} == {r["metric"] for r in doc["results"]}
    assert _last_event(stats_web).action == "statistics.export"


def test_bad_filters(stats_web: Web) -> None:
    admin = stats_web.sign_in("admin")
    assert admin.http.get("/statistics.json?period=2026-13").status_code == 422
    assert admin.http.get("/statistics.json?unit=Nowhere").status_code == 422
    assert admin.http.get("/statistics.json?metric=nope").status_code == 422
    bad = admin.http.get("/statistics/export.csv?period=2026&metric=media_ingested&table=x")
    assert bad.status_code == 422


def test_definitions_and_annual_report(stats_web: Web) -> None:
    admin = stats_web.sign_in("admin")
    catalogue = admin.http.get("/statistics/definitions.json").json()
    assert catalogue["catalogue_version"] == "2026.1"
    assert "takedown_stages" in {m["name"] for m in catalogue["metrics"]}
    assert "Counts:" in admin.http.get("/statistics/definitions").text
    query = "year=2026&as_of=2027-02-01T00:00:00Z"
    report = admin.http.get(f"/statistics/annual.json?{query}").json()
    assert report["catalogue_version"] == "2026.1" and len(report["figures_sha256"]) == 64
    page = admin.http.get(f"/statistics/annual?{query}")
    assert "Download PDF" in page.text
    pdf = admin.http.get(f"/statistics/annual/report.pdf?{query}")
    assert pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    html = admin.http.get(f"/statistics/annual/report.html?{query}")
    assert report["figures_sha256"] in html.text
    assert _last_event(stats_web).action == "statistics.annual_report"
