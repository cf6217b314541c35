"""Pages and their JSON twins: cases, review, media, grading, adjudication, exposure."""

from __future__ import annotations

import io
import re
from importlib import resources

from PIL import Image
from sqlalchemy import select

from sentinela.db.audit import AuditEvent
from sentinela.db.workspace import ExposureEvent
from sentinela.services import cases
from tests.services.workspace_helpers import add_user, seed_case
from tests.web.conftest import Web

JSON = {"accept": "application/json"}


def _image(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def test_case_list_and_overview_with_json_twins(web: Web) -> None:
    alice = web.sign_in("alice")
    listed = alice.http.get("/cases.json").json()
    assert [(c["number"], c["case_role"]) for c in listed] == [("C-1", "lead")]
    assert alice.http.get("/cases", headers=JSON).json() == listed
    html = alice.http.get("/cases").text
    assert 'href="/cases/C-1"' in html
    overview = alice.http.get("/cases/C-1.json").json()
    assert overview["triage"] == {"known_categorised": 0, "known_benign": 0, "new": 6}
    assert [e["label"] for e in overview["exhibits"]] == ["EXH-001"]
    page = alice.http.get("/cases/C-1").text
    assert 'href="/cases/C-1/report"' in page and "EXH-001" in page
    with web.ctx.transaction() as session:
        actions = list(session.execute(select(AuditEvent.action)).scalars())
    assert actions.count("case.view") == 2


def test_case_report_page_and_json_twin(web: Web) -> None:
    alice = web.sign_in("alice")
    page = alice.http.get("/cases/C-1/report")
    assert page.status_code == 200 and "<img" not in page.text and "<script" not in page.text
    assert "style-src 'unsafe-inline'" in page.headers["content-security-policy"]
    doc = alice.http.get("/cases/C-1/report.json").json()
    assert doc["counts"] and [e["label"] for e in doc["exhibits"]] == ["EXH-001"]
    assert alice.http.get("/cases/C-1/report").content == page.content  # reproducible
    with web.ctx.transaction() as session:
        actions = list(session.execute(select(AuditEvent.action)).scalars())
    assert actions.count("report.view") == 3
    seed_case(web.ctx, "C-2", group_sizes=(1,), members=(), seed=4)
    bob = web.sign_in("bob")  # a member of C-1 only
    assert bob.http.get("/cases/C-2/report").status_code == 403
    assert bob.http.get("/cases/C-2/report.json").status_code == 403


def test_review_queue_page(web: Web) -> None:
    alice = web.sign_in("alice")
    queue = alice.http.get("/cases/C-1/review.json").json()
    assert [g["size"] for g in queue["groups"]] == [3, 2, 1]
    assert [s["key"] for s in queue["shortcuts"]] == ["0", "1", "2", "3", "4"]
    html = alice.http.get("/cases/C-1/review").text
    first = web.case.groups[0][0]
    assert f'src="/cases/C-1/media/{first}/thumbnail"' in html
    assert html.count('class="grade-form"') == 3 and 'data-key="4"' in html


def test_thumbnail_is_blurred_and_reveal_is_a_post(web: Web) -> None:
    alice = web.sign_in("alice")
    item = web.case.groups[0][0]
    blurred = alice.http.get(f"/cases/C-1/media/{item}/thumbnail")
    assert blurred.headers["content-type"] == "image/jpeg"
    assert blurred.headers["cache-control"] == "no-store"
    assert _image(blurred.content).mode == "L"
    assert alice.http.get(f"/cases/C-1/media/{item}/reveal").status_code == 405
    revealed = alice.post(f"/cases/C-1/media/{item}/reveal")
    assert _image(revealed.content).mode == "RGB"
    with web.ctx.transaction() as session:
        modes = list(session.execute(select(ExposureEvent.mode)).scalars())
    assert modes == ["blurred", "revealed"]
    mine = alice.http.get("/exposure.json").json()
    assert (mine["blurred"], mine["revealed"]) == (1, 1)
    assert mine["recent"][0]["media_id"] == item


def test_foreign_media_is_403_audited_and_gives_no_hint(web: Web) -> None:
    other = seed_case(web.ctx, "C-2", group_sizes=(1,), members=(), seed=3)
    foreign = other.groups[0][0]
    bob = web.sign_in("bob")  # a member of C-1 only
    exists = bob.http.get(f"/cases/C-1/media/{foreign}.json")
    missing = bob.http.get("/cases/C-1/media/99999.json")
    assert exists.status_code == missing.status_code == 403
    assert exists.json() == missing.json()
    assert bob.http.get(f"/cases/C-2/media/{foreign}").status_code == 403
    assert bob.http.get(f"/cases/C-1/media/{foreign}/thumbnail").status_code == 403
    assert bob.post(f"/cases/C-1/media/{foreign}/reveal").status_code == 403
    with web.ctx.transaction() as session:
        denied = (
            session.execute(
                select(AuditEvent)
                .where(AuditEvent.action == "access.denied")
                .order_by(AuditEvent.seq)
            )
            .scalars()
            .all()
        )
        shown = session.execute(select(ExposureEvent)).first()
    assert [e.actor for e in denied] == ["bob"] * 5
    assert denied[0].object_id == f"GET /cases/C-1/media/{foreign}.json"
    assert denied[0].case_number == "C-1"
    assert shown is None


def test_grade_code_not_in_scheme(web: Web) -> None:
    alice = web.sign_in("alice")
    item = web.case.groups[1][0]
    response = alice.post(f"/cases/C-1/media/{item}/grade", {"code": "9"}, headers=JSON)
    assert response.status_code == 422
    assert "unknown category code" in response.json()["detail"]
    page = alice.post(f"/cases/C-1/media/{item}/grade", {"code": "C"})
    assert page.status_code == 422 and "unknown category code" in page.text


def test_group_grading_and_consensus(web: Web) -> None:
    group = web.case.groups[0]
    alice, bob = web.sign_in("alice"), web.sign_in("bob")
    response = alice.post("/cases/C-1/review/grade", {"code": "1", "media_id": group})
    assert response.status_code == 303
    detail = bob.http.get(f"/cases/C-1/media/{group[0]}.json").json()
    assert detail["grades"] == [] and detail["hidden_grades"] == 1  # blind until bob grades
    outcome = bob.post(
        "/cases/C-1/review/grade", {"code": "1", "media_id": group}, headers=JSON
    ).json()
    assert {r["status"] for r in outcome["results"]} == {"classified"}
    detail = bob.http.get(f"/cases/C-1/media/{group[0]}.json").json()
    assert detail["triage_class"] == "known_categorised"
    assert detail["national"]["code"] == "1" and detail["national"]["method"] == "consensus"
    assert {g["username"] for g in detail["grades"]} == {"alice", "bob"}
    assert [m["hash_set"] for m in detail["matches"]][:1] == ["national_classification"]
    page = bob.http.get(f"/cases/C-1/media/{group[0]}").text
    assert "national_classification" in page and "consensus" in page
    sizes = [g["size"] for g in alice.http.get("/cases/C-1/review.json").json()["groups"]]
    assert sizes == [2, 1]


def test_adjudication_through_the_web(web: Web) -> None:
    add_user(web.ctx, "carol", ["examiner"])
    cases.add_member(web.ctx, "C-1", "carol", "lead")
    item = web.case.groups[1][0]
    alice, bob, carol = web.sign_in("alice"), web.sign_in("bob"), web.sign_in("carol")
    alice.post(f"/cases/C-1/media/{item}/grade", {"code": "1"})
    bob.post(f"/cases/C-1/media/{item}/grade", {"code": "2"})
    assert bob.http.get("/adjudications.json").status_code == 403
    queue = carol.http.get("/adjudications.json").json()
    (entry,) = queue["items"]
    assert {(g["username"], g["code"]) for g in entry["grades"]} == {("alice", "1"), ("bob", "2")}
    assert "Item #" in carol.http.get("/adjudications").text
    refused = alice.post(f"/adjudications/{entry['id']}/decide", {"code": "1"})
    assert refused.status_code == 403
    decided = carol.post(f"/adjudications/{entry['id']}/decide", {"code": "2", "note": "n"})
    assert decided.status_code == 303
    assert carol.http.get("/adjudications.json").json()["items"] == []
    national = alice.http.get(f"/cases/C-1/media/{item}.json").json()["national"]
    assert (national["code"], national["method"]) == ("2", "adjudication")


def test_team_exposure_for_case_leads(web: Web) -> None:
    alice, bob = web.sign_in("alice"), web.sign_in("bob")
    bob.post(f"/cases/C-1/media/{web.case.groups[0][0]}/reveal")
    assert bob.http.get("/exposure/team.json").status_code == 403
    team = alice.http.get("/exposure/team.json").json()
    counts = {m["username"]: m["revealed"] for m in team["members"]}
    assert counts == {"alice": 0, "bob": 1}
    assert "Team exposure" in alice.http.get("/exposure/team").text
    assert "revealed-total" in bob.http.get("/exposure").text


def test_every_form_carries_a_csrf_token() -> None:
    folder = resources.files("sentinela.web").joinpath("templates")
    forms = 0
    for area in folder.iterdir():
        files = [area] if area.name.endswith(".html") else list(area.iterdir())
        for file in files:
            text = file.read_text(encoding="utf-8")
            for form in re.findall(r"<form\b.*?</form>", text, flags=re.S):
                if re.match(r'<form\b[^>]*method="get"', form):
                    continue  # a search form: nothing changes, and no token goes into a URL
                forms += 1
                assert 'name="csrf_token"' in form or "csrf(viewer)" in form, file.name
    assert forms >= 7
