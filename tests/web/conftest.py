"""Web fixtures: the app on a fresh SQLite database with a seeded case, and a signed-in client."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sentinela.clock import FakeClock
from sentinela.services import accounts
from sentinela.services.auth import AuthPolicy
from sentinela.services.context import ServiceContext
from sentinela.services.credentials import PasswordPolicy, totp_code
from sentinela.web.app import create_app
from sentinela.web.config import WorkspaceConfig
from tests.services.workspace_helpers import SeededCase, ensure_retriage, seed_case

PASSWORD = "correct horse battery"
FAST = PasswordPolicy(time_cost=1, memory_cost_kib=8, parallelism=1)
CONFIG = WorkspaceConfig(auth=AuthPolicy(password=FAST, max_failures=3))
BASE_URL = "https://testserver"


@dataclass
class Web:
    """The app under test and what it needs to sign people in."""

    app: FastAPI
    ctx: ServiceContext
    clock: FakeClock
    case: SeededCase
    secrets: dict[str, str]

    def client(self) -> TestClient:
        return TestClient(self.app, base_url=BASE_URL, follow_redirects=False)

    def enrol(self, username: str) -> str:
        admin = self.ctx.with_actor("admin")
        accounts.set_password(admin, username, PASSWORD, policy=CONFIG.auth)
        self.secrets[username] = accounts.reset_totp(admin, username).secret
        return self.secrets[username]

    def code(self, username: str) -> str:
        return totp_code(self.secrets[username], self.clock.now)

    def sign_in(self, username: str, client: TestClient | None = None) -> SignedInClient:
        """A client signed in as ``username`` (enrolled on first use)."""
        if username not in self.secrets:
            self.enrol(username)
        self.clock.advance(timedelta(seconds=31))  # a fresh TOTP step (codes are single-use)
        c = client or self.client()
        form = c.get("/sign-in.json").json()
        response = c.post(
            "/sign-in",
            data={
                "username": username,
                "password": PASSWORD,
                "code": self.code(username),
                "csrf_token": form["csrf_token"],
            },
        )
        assert response.status_code == 303, response.text
        csrf = c.get("/account.json").json()["csrf_token"]
        return SignedInClient(c, csrf)


@dataclass
class SignedInClient:
    """A test client with a live session, and that session's CSRF token."""

    http: TestClient
    csrf: str

    def post(self, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        return self.http.post(url, data={"csrf_token": self.csrf, **(data or {})}, **kw)


@pytest.fixture
def web(sqlite_ctx: ServiceContext, clock: FakeClock) -> Iterator[Web]:
    """The app over a case C-1 (alice leads it, bob is a member) with 3 groups of media."""
    ensure_retriage()
    case = seed_case(sqlite_ctx)
    app = create_app(sqlite_ctx.settings, CONFIG, context=sqlite_ctx)
    yield Web(app, sqlite_ctx, clock, case, {})
