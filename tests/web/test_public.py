"""The public site: no sign-in, CSRF pair, rate limits, escaping, languages, receipt status."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sentinela.db.reporting import Report
from sentinela.services.takedown_runtime import TakedownRuntime
from tests.web.conftest import Web
from tests.web.reporting_helpers import with_reporting

JSON = {"accept": "application/json"}
XSS = '<script>alert("x")</script>'


@pytest.fixture
def rt(web: Web, tmp_path: Path) -> TakedownRuntime:
    return with_reporting(web, tmp_path)


def _form(c: TestClient, lang: str = "en") -> str:
    page = c.get(f"/report?lang={lang}")
    assert page.status_code == 200
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


def _csrf(c: TestClient) -> str:
    """The public forms' token (one cookie, path /, serves every public form)."""
    token: str = c.get("/report/status.json").json()["csrf_token"]
    return token


def _submit(c: TestClient, urls: str, **fields: str) -> object:
    token = _form(c)
    return c.post("/report", data={"urls": urls, "csrf_token": token, "lang": "en", **fields})


def test_form_is_public_accessible_and_script_free(web: Web, rt: TakedownRuntime) -> None:
    c = web.client()
    page = c.get("/report?lang=en")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="en">' in html and "<script" not in html
    for field in ("urls", "description", "contact_name", "contact_email"):
        assert f'<label for="{field}">' in html and f'id="{field}"' in html
    assert 'href="#content"' in html  # skip link
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.cookies.get("sentinela_report") or "sentinela_report" in page.headers["set-cookie"]
    pt = c.get("/report", headers={"accept-language": "pt-PT,pt;q=0.9"}).text
    assert '<html lang="pt-PT">' in pt and "Denuncie" in pt
    assert c.get("/report.json").json()["max_urls"] == 20


def test_a_report_gives_a_receipt_whose_status_says_only_the_stage(
    web: Web, rt: TakedownRuntime
) -> None:
    c = web.client()
    response = _submit(c, "http://bad.test/a\nhttp://bad.test/b", description="seen")
    assert response.status_code == 200  # type: ignore[attr-defined]
    code = re.search(r'id="receipt-code">([0-9A-Z-]+)<', response.text)  # type: ignore[attr-defined]
    assert code and 'id="receipt-count">2<' in response.text  # type: ignore[attr-defined]
    token = _csrf(c)
    status = c.post(
        "/report/status", data={"receipt": code.group(1), "lang": "en", "csrf_token": token}
    )
    assert status.status_code == 200 and 'data-status="received"' in status.text
    as_json = c.post(
        "/report/status", data={"receipt": code.group(1), "csrf_token": token}, headers=JSON
    ).json()
    assert as_json == {"lang": "pt-PT", "status": "received", "error": None, "csrf_token": token}
    forged = c.post("/report/status", data={"receipt": code.group(1), "csrf_token": "x"})
    assert forged.status_code == 403 and "received" not in forged.text.split("<main")[1]
    unknown = c.post(
        "/report/status",
        data={"receipt": "0000-0000-0000-0000", "lang": "en", "csrf_token": token},
    )
    assert unknown.status_code == 404 and "No report has that receipt code" in unknown.text
    with web.ctx.transaction() as session:
        assert len(session.execute(select(Report)).all()) == 2


def test_json_twin_of_the_receipt(web: Web, rt: TakedownRuntime) -> None:
    c = web.client()
    token = c.get("/report.json").json()["csrf_token"]
    answer = c.post("/report", data={"urls": "http://j.test/1", "csrf_token": token}, headers=JSON)
    body = answer.json()
    assert set(body) == {"lang", "receipt", "received_at", "addresses"}
    assert body["addresses"] == 1


def test_the_form_needs_its_csrf_pair(web: Web, rt: TakedownRuntime) -> None:
    c = web.client()
    response = c.post(
        "/report", data={"urls": "http://x.test/", "csrf_token": "forged", "lang": "en"}
    )
    assert response.status_code == 403 and "This form has expired" in response.text
    assert 'value="forged"' not in response.text
    with web.ctx.transaction() as session:
        assert session.execute(select(Report)).first() is None


def test_script_injection_is_escaped_everywhere(web: Web, rt: TakedownRuntime) -> None:
    c = web.client()
    bad = _submit(c, f"not a url {XSS}", description=XSS, contact_name=XSS)
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert XSS not in bad.text  # type: ignore[attr-defined]
    assert "&lt;script&gt;" in bad.text  # type: ignore[attr-defined]  # echoed back, escaped
    good = _submit(c, f"http://x.test/{XSS}?q={XSS}", description=XSS, contact_name=XSS)
    assert good.status_code == 200 and XSS not in good.text  # type: ignore[attr-defined]
    officer = web.sign_in("ivan")
    with web.ctx.transaction() as session:
        rid = session.execute(select(Report.id)).scalar_one()
    page = officer.http.get(f"/takedown/reports/{rid}").text
    assert XSS not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "http://x.test/%3Cscript%3Ealert(%22x%22)%3C/script%3E?q=%3Cscript%3E" in page
    queue = officer.http.get("/takedown").text
    assert "<script>" not in queue.replace('<script src="/static/app.js" defer></script>', "")


def test_form_spam_is_rate_limited(web: Web, rt: TakedownRuntime) -> None:
    c = web.client()
    limit = rt.config.public.submissions
    for i in range(limit):
        assert _submit(c, f"http://spam.test/{i}").status_code == 200  # type: ignore[attr-defined]
    blocked = _submit(c, "http://spam.test/more")
    assert blocked.status_code == 429  # type: ignore[attr-defined]
    assert int(blocked.headers["retry-after"]) > 0  # type: ignore[attr-defined]
    as_json = c.post("/report", data={"urls": "http://spam.test/x"}, headers=JSON)
    assert as_json.status_code == 429 and as_json.json()["error"] == "RateLimited"
    with web.ctx.transaction() as session:
        assert len(session.execute(select(Report)).all()) == limit


def test_status_checks_are_rate_limited(web: Web, rt: TakedownRuntime) -> None:
    c = web.client()
    data = {"receipt": "0000-0000-0000-0000", "csrf_token": _csrf(c)}
    for _ in range(rt.config.public.status_checks):
        assert c.post("/report/status", data=data).status_code == 404
    assert c.post("/report/status", data=data).status_code == 429


def test_prevention_pages_and_quiz_in_both_languages(web: Web, rt: TakedownRuntime) -> None:
    c = web.client()
    index = c.get("/prevention.json?lang=en").json()
    assert [p["slug"] for p in index["pages"]] == [
        "young-people",
        "parents",
        "worried-about-own-thoughts",
    ]
    assert [q["slug"] for q in index["quizzes"]] == ["young_people", "parents"]
    page = c.get("/prevention/parents?lang=pt-PT")
    assert page.status_code == 200 and "Para pais e cuidadores" in page.text
    assert c.get("/prevention/nope").status_code == 404
    quiz = c.get("/quiz/young_people.json?lang=en").json()
    assert len(quiz["questions"]) == 5 and quiz["score"] is None
    token = quiz["csrf_token"]
    worst = {f"q{i}": "0" for i in range(5)} | {"csrf_token": token}
    result = c.post("/quiz/young_people", data={**worst, "lang": "en"}, headers=JSON).json()
    assert result["score"] == 9 and "Several answers put you at risk" in result["result"]
    html = c.post("/quiz/young_people", data={**worst, "lang": "en"}).text
    assert 'id="quiz-result"' in html
    missing = c.post("/quiz/young_people", data={"q0": "0", "lang": "en", "csrf_token": token})
    assert missing.status_code == 422 and "Please answer every question" in missing.text
    nines = {f"q{i}": "9" for i in range(5)}
    out_of_range = c.post("/quiz/parents", data={**nines, "lang": "en", "csrf_token": token})
    assert out_of_range.status_code == 422
    forged = c.post("/quiz/parents", data={**worst, "csrf_token": "forged"})
    assert forged.status_code == 403 and 'id="quiz-result"' not in forged.text


def test_validation_messages_are_in_the_page_language(web: Web, rt: TakedownRuntime) -> None:
    c = web.client()
    token = _form(c, "pt-PT")
    bad = c.post(
        "/report",
        data={"urls": "http://ok.test/\nftp://nope", "csrf_token": token, "lang": "pt-PT"},
    )
    assert bad.status_code == 422
    assert '<html lang="pt-PT">' in bad.text
    assert "O endereço 2 não é um endereço web válido" in bad.text
    assert "URL 2" not in bad.text and "only http" not in bad.text
    email = c.post(
        "/report",
        data={
            "urls": "http://ok.test/",
            "contact_email": "nobody",
            "csrf_token": token,
            "lang": "pt-PT",
        },
    )
    assert email.status_code == 422 and "O endereço de e-mail não é válido." in email.text
    english = c.post("/report", data={"urls": " ", "csrf_token": _form(c), "lang": "en"})
    assert english.status_code == 422 and "Give at least one address (URL)." in english.text
