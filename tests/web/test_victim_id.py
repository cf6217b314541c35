"""The victim-identification pages and their JSON twins, over HTTP."""

from __future__ import annotations

import pytest

from sentinela.services import region_indexing
from tests.services.victim_id_helpers import (
    Camera,
    World,
    add_image,
    make_world,
    open_case,
    planted,
    shapes,
)
from tests.web.conftest import SignedInClient, Web

JSON = {"accept": "application/json"}


@pytest.fixture
def world(web: Web) -> World:
    w = make_world(web.ctx)
    open_case(w, "vera", "A-1", "Unit A")
    open_case(w, "viktor", "B-1", "Unit B")
    cam = Camera("Canon", "EOS 5D", "SN-123")
    img, box = planted(100)
    w.boxes["query"] = box
    add_image(w, "A-1", "query", img, camera=cam, gps=(38.72, -9.14))
    add_image(w, "A-1", "twin", planted(101)[0], camera=cam, gps=(38.73, -9.15))
    add_image(w, "B-1", "hidden", planted(102)[0], camera=cam)
    add_image(w, "B-1", "plain", shapes(7))
    return w


def test_desk_series_and_links(web: Web, world: World) -> None:
    vera = web.sign_in("vera")
    desk = vera.http.get("/victim-id.json")
    assert desk.status_code == 200
    assert desk.json()["my_cases"] == ["A-1"] and "visual_link" in desk.json()["lead_sources"]
    assert "Who else holds this?" in vera.http.get("/victim-id").text
    created = vera.post(
        "/victim-id/series", {"name": "Blue Room", "case_number": "A-1"}, headers=JSON
    )
    sid = created.json()["id"]
    linked = vera.post(
        f"/victim-id/series/{sid}/links",
        {"target_kind": "media", "target_ref": str(world.media["query"]), "case_number": "A-1"},
        headers=JSON,
    )
    assert linked.status_code == 200, linked.text
    refused = vera.post(
        f"/victim-id/series/{sid}/links",
        {"target_kind": "media", "target_ref": str(world.media["hidden"]), "case_number": "B-1"},
        headers=JSON,
    )
    assert refused.status_code == 403
    detail = vera.http.get(f"/victim-id/series/{sid}.json").json()
    assert detail["name"] == "Blue Room" and [link["kind"] for link in detail["links"]] == ["media"]
    page = vera.http.get(f"/victim-id/series/{sid}")
    assert (
        "Blue Room" in page.text
        and f"/cases/A-1/media/{world.media['query']}/thumbnail" in page.text
    )
    redirect = vera.post("/victim-id/series", {"name": "Red Room", "case_number": "A-1"})
    assert redirect.status_code == 303 and redirect.headers["location"].startswith(
        "/victim-id/series/"
    )


def test_identification_is_recorded_once_over_http(web: Web, world: World) -> None:
    vera = web.sign_in("vera")
    vid = vera.post("/victim-id/victims", {"case_number": "A-1"}, headers=JSON).json()["id"]
    form = {"identified_on": "2026-02-20", "lead_source": "camera_link", "case_number": "A-1"}
    first = vera.post(f"/victim-id/victims/{vid}/identify", form, headers=JSON)
    assert first.status_code == 200 and first.json()["unit"] == "Unit A"
    second = vera.post(f"/victim-id/victims/{vid}/identify", form, headers=JSON)
    assert second.status_code == 409 and "already identified" in second.json()["detail"]
    assert vera.http.get(f"/victim-id/victims/{vid}.json").json()["status"] == "identified"


def test_deconfliction_and_access_request(web: Web, world: World) -> None:
    vera, viktor = web.sign_in("vera"), web.sign_in("viktor")
    answer = vera.http.get("/deconfliction.json", params={"kind": "camera", "value": "SN-123"})
    assert [(h["case_number"], h["unit"]) for h in answer.json()["holders"]] == [
        ("A-1", "Unit A"),
        ("B-1", "Unit B"),
    ]
    page = vera.http.get("/deconfliction", params={"kind": "camera", "value": "SN-123"})
    assert "Request access" in page.text and "/thumbnail" not in page.text
    req = vera.post(
        "/deconfliction/requests",
        {
            "case_number": "B-1",
            "subject_kind": "camera",
            "subject_ref": "SN-123",
            "reason": "same camera",
        },
        headers=JSON,
    ).json()
    assert req["status"] == "pending"
    assert (
        vera.post(f"/access-requests/{req['request_id']}/decide", {"decision": "grant"}).status_code
        == 403
    )
    holder = viktor.http.get("/cases/B-1/deconfliction.json").json()
    assert holder["you_lead"] and holder["requests"][0]["requester"] == "vera"
    decided = viktor.post(f"/access-requests/{req['request_id']}/decide", {"decision": "grant"})
    assert decided.status_code == 303
    assert vera.http.get(f"/cases/B-1/media/{world.media['hidden']}.json").status_code == 200
    prefs = viktor.post(
        "/cases/B-1/deconfliction/preferences", {"contact": "B desk", "notify_on_check": "true"}
    )
    assert prefs.status_code == 303
    ident = viktor.post(
        "/cases/B-1/identifiers", {"kind": "email", "value": "x@example.org"}, headers=JSON
    )
    assert ident.status_code == 200
    assert (
        vera.http.get(
            "/deconfliction.json", params={"kind": "identifier", "value": "X@example.org"}
        ).json()["holders"][0]["contact"]
        == "B desk"
    )


def test_camera_links_and_gps_plot(web: Web, world: World) -> None:
    vera = web.sign_in("vera")
    base = f"/cases/A-1/media/{world.media['query']}"
    links = vera.http.get(f"{base}/camera-links.json").json()
    assert [line["media_id"] for line in links["links"]] == [world.media["twin"]]
    assert links["hidden"] == {"count": 1, "units": ["Unit B"]}
    assert 'id="gps-plot"' in vera.http.get(f"{base}/camera-links").text
    svg = vera.http.get(f"{base}/camera-links/gps.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content


def test_region_search_over_http(web: Web, world: World) -> None:
    region_indexing.index_regions(web.ctx.with_actor("admin"))
    vera = web.sign_in("vera")
    base = f"/cases/A-1/media/{world.media['query']}"
    assert 'id="region-form"' in vera.http.get(f"{base}/region").text
    x, y, w, h = world.boxes["query"]
    found = vera.http.get(f"{base}/region-search.json", params={"x": x, "y": y, "w": w, "h": h})
    assert found.status_code == 200, found.text
    body = found.json()
    assert [hit["media_id"] for hit in body["hits"]] == [world.media["twin"]]
    assert body["hidden"] == {"count": 1, "units": ["Unit B"]}
    small = vera.http.get(
        f"{base}/region-search.json", params={"x": 0.1, "y": 0.1, "w": 0.02, "h": 0.5}
    )
    assert small.status_code == 422 and "16x16" in small.json()["detail"]
    near = vera.http.get(f"{base}/similar.json")
    assert near.status_code == 200 and near.json()["hits"] == []  # no PDQ on these items


def test_roles_are_required(web: Web, world: World) -> None:
    alice: SignedInClient = web.sign_in("alice")  # an examiner
    assert alice.http.get("/victim-id.json").status_code == 403
    assert alice.post("/victim-id/series", {"name": "x", "case_number": "C-1"}).status_code == 403
    ivan = web.sign_in("ivan")  # an investigator: offenders, not series
    assert ivan.http.get("/victim-id.json").status_code == 200
    assert ivan.http.get("/victim-id/series/1.json").status_code == 403
