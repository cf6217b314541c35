"""Every route of the app refuses an anonymous user, and every route that shows or changes case
data refuses a signed-in user who is not a member of the case (an administrator, here).

New routes are covered automatically: anything not listed below as public or as "signed-in,
no case data" must refuse the non-member.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from starlette.routing import BaseRoute, Mount

from sentinela.db.audit import AuditEvent
from sentinela.services import grading
from sentinela.web.app import ROUTERS
from sentinela.web.deps import PERMISSION_DEPENDENCIES
from tests.web.conftest import Web

#: Anyone may call these (method, path).
PUBLIC = {
    ("GET", "/sign-in"),
    ("GET", "/sign-in.json"),
    ("POST", "/sign-in"),
    ("GET", "/health"),
    # the public reporting site (tests/web/test_public.py) and the partner hotlines' API, which
    # checks its API key itself (tests/web/test_reporting_partner.py)
    *{("GET", p) for p in ("/report", "/report/status", "/prevention", "/prevention/{slug}")},
    *{("GET", p + ".json") for p in ("/report", "/report/status", "/prevention")},
    *{("GET", "/prevention/{slug}.json"), ("GET", "/quiz/{quiz_id}")},
    *{("GET", "/quiz/{quiz_id}.json"), ("POST", "/quiz/{quiz_id}")},
    *{("POST", "/report"), ("POST", "/report/status")},
    *{("POST", "/api/partner/reports"), ("POST", "/api/partner/status")},
}
PUBLIC_MOUNTS = {"/static"}
#: Signed-in users only, but about the user themself, not a case.
SIGNED_IN = {
    ("GET", "/"),
    ("GET", "/openapi.json"),
    ("GET", "/account"),
    ("GET", "/account.json"),
    ("POST", "/account/password"),
    ("POST", "/sign-out"),
    ("GET", "/cases"),
    ("GET", "/cases.json"),
    ("GET", "/exposure"),
    ("GET", "/exposure.json"),
}
#: Not case data but role-gated (statistics: unit heads and administrators); the refusal of
#: other signed-in users is tested in tests/web/test_statistics.py.
ROLE_GATED = {
    ("GET", p)
    for p in (
        "/statistics",
        "/statistics.json",
        "/statistics/definitions",
        "/statistics/definitions.json",
        "/statistics/annual",
        "/statistics/annual.json",
        "/statistics/annual/report.html",
        "/statistics/annual/report.pdf",
        "/statistics/export.csv",
        "/statistics/export.json",
    )
}

#: Industry sharing pages: role-gated (usage: administrators; feedback: curators), refusals
#: tested in tests/web/test_industry_pages.py.
ROLE_GATED |= {
    ("GET", "/industry/usage"),
    ("GET", "/industry/usage.json"),
    ("GET", "/industry/feedback"),
    ("GET", "/industry/feedback.json"),
    ("POST", "/industry/feedback/{feedback_id}/decide"),
}
#: The provider API: an API key with a scope, never a session; everyone else gets 401 (audited).
#: Scopes, rate limits and bad input are tested in tests/web/test_api_v1.py.
PROVIDER_API = "/api/v1/"


def _routes(web: Web) -> list[tuple[str, str, APIRoute]]:
    """Every API route: the app's own and those of the routers it includes."""
    routes: list[BaseRoute] = []
    for route in web.app.routes:
        included = getattr(route, "original_router", None)  # FastAPI >= 0.16x keeps routers
        if included is not None:
            assert included in ROUTERS, route
            continue
        if isinstance(route, Mount):
            assert route.path in PUBLIC_MOUNTS, route
            continue
        routes.append(route)
    for router in ROUTERS:
        routes.extend(router.routes)
    out = []
    for route in routes:
        assert isinstance(route, APIRoute), route
        out.extend((m, route.path, route) for m in sorted(route.methods))
    return out


def _calls(dependant: Dependant) -> set[Callable[..., Any]]:
    found = {dependant.call} if dependant.call else set()
    for sub in dependant.dependencies:
        found |= _calls(sub)
    return found


@pytest.fixture
def adjudication_id(web: Web) -> int:
    item = [web.case.groups[1][0]]
    grading.grade_media(web.ctx, "C-1", item, "1")
    outcome = grading.grade_media(web.ctx.with_actor("bob"), "C-1", item, "2")
    assert outcome.results[0].status == "adjudication"
    return 1


def _url(path: str, web: Web, adjudication_id: int) -> str:
    known = {"number": "C-1", "media_id": web.case.groups[0][0], "adjudication_id": adjudication_id}
    return path.format_map(defaultdict(lambda: "1", known))  # any other id: 1


def test_lists_name_real_routes(web: Web) -> None:
    present = {(m, p) for m, p, _ in _routes(web)}
    assert PUBLIC <= present and SIGNED_IN <= present


def test_every_route_declares_a_permission_dependency(web: Web) -> None:
    for method, path, route in _routes(web):
        declared = _calls(route.dependant) & set(PERMISSION_DEPENDENCIES)
        assert declared, f"{method} {path} declares no permission dependency"


def test_anonymous_is_refused_everywhere_but_public_routes(web: Web, adjudication_id: int) -> None:
    c = web.client()
    for method, path, _ in _routes(web):
        if (method, path) in PUBLIC:
            continue
        response = c.request(method, _url(path, web, adjudication_id), data={"code": "1"})
        if path.startswith(PROVIDER_API):
            assert response.status_code == 401, (method, path, response.text)
            assert response.json()["error"] == "ApiKeyRejected"
        elif method == "GET" and not path.endswith(".json"):
            assert response.status_code == 303, (method, path)
            assert response.headers["location"] == "/sign-in"
        else:
            assert response.status_code == 401, (method, path, response.text)
    assert c.get("/static/app.css").status_code == 200


def test_non_member_is_refused_and_audited(web: Web, adjudication_id: int) -> None:
    admin = web.sign_in("admin")  # an administrator, but not a member of C-1
    checked = 0
    for method, path, _ in _routes(web):
        if (method, path) in PUBLIC | SIGNED_IN | ROLE_GATED or path.startswith(PROVIDER_API):
            continue
        with web.ctx.transaction() as session:
            before = session.execute(select(func.count(AuditEvent.seq))).scalar_one()
        url = _url(path, web, adjudication_id)
        data = {"csrf_token": admin.csrf, "code": "1", "media_id": str(web.case.groups[0][0])}
        response = admin.http.request(method, url, data=data if method == "POST" else None)
        assert response.status_code == 403, (method, path, response.text)
        assert "You do not have access" in response.text
        with web.ctx.transaction() as session:
            last = session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc())).scalars()
            event = last.first()
            assert event is not None and event.seq == before + 1
            assert (event.action, event.actor) == ("access.denied", "admin")
        checked += 1
    assert checked >= 12


def test_provider_api_refuses_a_signed_in_session_and_audits(
    web: Web, adjudication_id: int
) -> None:
    admin = web.sign_in("admin")
    checked = 0
    for method, path, _ in _routes(web):
        if not path.startswith(PROVIDER_API):
            continue
        url = _url(path, web, adjudication_id)
        response = admin.http.request(method, url, headers={"X-CSRF-Token": admin.csrf})
        assert response.status_code == 401, (method, path, response.text)
        with web.ctx.transaction() as session:
            event = session.execute(
                select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)
            ).scalar_one()
            assert (event.action, event.actor) == ("api.key_rejected", "anonymous")
        checked += 1
    assert checked >= 6


def test_signed_in_routes_work_for_any_user(web: Web) -> None:
    admin = web.sign_in("admin")
    for method, path in sorted(SIGNED_IN):
        if method == "GET":
            response = admin.http.get(path)
            assert response.status_code in (200, 303), path
