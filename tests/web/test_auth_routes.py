"""Sign-in, throttling, sessions, sign-out, password change, cookies, CSRF and headers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sentinela.db.audit import AuditEvent
from sentinela.web.security import SESSION_COOKIE, SIGN_IN_COOKIE
from tests.web.conftest import CONFIG, PASSWORD, Web


def _last_audit(web: Web) -> AuditEvent:
    with web.ctx.transaction() as session:
        event = (
            session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc())).scalars().first()
        )
        assert event is not None
        return event


def _attempt(web: Web, username: str, password: str, code: str) -> int:
    c = web.client()
    token = c.get("/sign-in.json").json()["csrf_token"]
    form = {"username": username, "password": password, "code": code, "csrf_token": token}
    return c.post("/sign-in", data=form).status_code


def test_sign_in_sets_a_strict_secure_http_only_cookie(web: Web) -> None:
    web.enrol("alice")
    c = web.client()
    page = c.get("/sign-in")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    token = c.cookies.get(SIGN_IN_COOKIE)
    assert token and token in page.text
    form = {"username": "alice", "password": PASSWORD, "code": web.code("alice")}
    response = c.post("/sign-in", data={**form, "csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/cases"
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE)
    )
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "secure", "samesite=strict", "path=/"} <= attributes
    assert c.get("/cases").status_code == 200


def test_wrong_password_or_code_then_throttled(web: Web) -> None:
    web.enrol("alice")
    assert _attempt(web, "alice", "wrong password!", web.code("alice")) == 401
    assert _attempt(web, "alice", PASSWORD, "000000") == 401
    assert _attempt(web, "mallory", PASSWORD, "000000") == 401
    assert _attempt(web, "alice", "wrong again!!", "000000") == 401
    assert _attempt(web, "alice", PASSWORD, web.code("alice")) == 429  # throttled
    c = web.client()
    token = c.get("/sign-in.json").json()["csrf_token"]
    form = {"username": "alice", "password": "x" * 12, "code": "1", "csrf_token": token}
    json_answer = c.post("/sign-in", data=form, headers={"accept": "application/json"})
    assert json_answer.status_code == 429 and json_answer.json()["error"] == "SignInThrottled"
    web.clock.advance(CONFIG.auth.failure_window + timedelta(seconds=1))
    assert _attempt(web, "alice", PASSWORD, web.code("alice")) == 303


def test_sign_in_form_needs_its_csrf_token(web: Web) -> None:
    web.enrol("alice")
    c = web.client()
    c.get("/sign-in")
    form = {"username": "alice", "password": PASSWORD, "code": web.code("alice")}
    assert c.post("/sign-in", data=form).status_code == 403
    assert c.post("/sign-in", data={**form, "csrf_token": "forged"}).status_code == 403
    assert _last_audit(web).action == "access.denied"


def test_expired_session(web: Web) -> None:
    alice = web.sign_in("alice")
    web.clock.advance(CONFIG.auth.session_idle + timedelta(minutes=1))
    page = alice.http.get("/cases")
    assert page.status_code == 303 and page.headers["location"] == "/sign-in"
    assert alice.http.get("/cases.json").status_code == 401
    assert alice.http.get("/cases", headers={"accept": "application/json"}).status_code == 401


def test_sign_out_ends_the_session(web: Web) -> None:
    alice = web.sign_in("alice")
    cookie = alice.http.cookies.get(SESSION_COOKIE)
    assert alice.http.post("/sign-out").status_code == 403  # no CSRF token
    response = alice.post("/sign-out")
    assert response.status_code == 303
    replay = web.client()
    replay.cookies.set(SESSION_COOKIE, str(cookie), domain="testserver")
    assert replay.get("/cases.json").status_code == 401


def test_missing_or_invalid_csrf_is_refused_and_audited(web: Web) -> None:
    alice = web.sign_in("alice")
    media = web.case.groups[0][0]
    url = f"/cases/C-1/media/{media}/grade"
    assert alice.http.post(url, data={"code": "1"}).status_code == 403
    assert alice.http.post(url, data={"code": "1", "csrf_token": "nope"}).status_code == 403
    bad_header = alice.http.post(url, data={"code": "1"}, headers={"x-csrf-token": "nope"})
    assert bad_header.status_code == 403
    event = _last_audit(web)
    assert (event.action, event.actor, event.case_number) == ("access.denied", "alice", "C-1")
    assert "CsrfFailed" in event.details
    ok = alice.http.post(url, data={"code": "1"}, headers={"x-csrf-token": alice.csrf})
    assert ok.status_code == 303


def test_password_change(web: Web) -> None:
    alice = web.sign_in("alice")
    other = web.sign_in("alice")
    form = {
        "current_password": PASSWORD,
        "new_password": "another passphrase",
        "confirm_password": "x",
    }
    assert alice.post("/account/password", form).status_code == 422
    form["confirm_password"] = form["new_password"]
    response = alice.post("/account/password", form, headers={"accept": "application/json"})
    assert response.json() == {"sessions_ended": 1}
    assert alice.http.get("/account.json").status_code == 200
    assert other.http.get("/account.json").status_code == 401


def test_security_headers_and_no_store(web: Web) -> None:
    c = web.client()
    page = c.get("/sign-in")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
    assert c.get("/static/app.js").headers["cache-control"].startswith("private")
    assert c.get("/health").json() == {"status": "ok"}
