"""The workspace in a real browser: Playwright driving Debian's chromium against uvicorn.

One journey, as an analyst lives it: sign in with TOTP, open a case, reveal an item, grade a
near-duplicate group from the keyboard, see the consensus take effect once a second analyst
agrees, sign out. A screenshot is saved in ``test-artifacts/``.

Never run ``playwright install``: the browser is the Debian ``chromium`` package. Where it is
missing the test is skipped with the reason, unless ``SENTINELA_REQUIRE_BROWSER=1`` (CI).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
import uvicorn

from sentinela.clock import utc_now
from sentinela.services import accounts
from sentinela.services.context import ServiceContext
from sentinela.web.app import create_app
from tests.conftest import build_ctx
from tests.services.workspace_helpers import SeededCase, ensure_retriage, seed_case
from tests.web.conftest import CONFIG, PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _require_browser() -> None:
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} not found (apt-get install chromium)"
    elif shutil.which("true") is None:  # pragma: no cover - a broken PATH
        missing = "no shell tools"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "the playwright package is not installed"
    if missing:
        if os.environ.get("SENTINELA_REQUIRE_BROWSER") == "1":
            pytest.fail(missing)
        pytest.skip(missing)


class _Server:
    """uvicorn on 127.0.0.1, on a free port, in a thread."""

    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", ws="none", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live(tmp_path: Path, sqlite_url: str) -> Iterator[tuple[str, ServiceContext, SeededCase]]:
    _require_browser()
    ensure_retriage()
    ctx = build_ctx(tmp_path, sqlite_url, utc_now)
    case = seed_case(ctx, group_sizes=(3, 1))
    admin = ctx.with_actor("admin")
    for user in ("alice", "bob"):
        accounts.set_password(admin, user, PASSWORD, policy=CONFIG.auth)
    app = create_app(ctx.settings, CONFIG, context=ctx)
    with _Server(app) as base:
        yield base, ctx, case
    ctx.close()


def _sign_in(page: Any, base: str, username: str, secret: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_url(f"{base}/cases")


def test_analyst_journey(live: tuple[str, ServiceContext, SeededCase]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, ctx, case = live
    admin = ctx.with_actor("admin")
    secrets = {u: accounts.reset_totp(admin, u).secret for u in ("alice", "bob")}
    group = case.groups[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            alice = browser.new_context().new_page()
            # 1. sign in with TOTP
            _sign_in(alice, base, "alice", secrets["alice"])
            # 2. open the case
            alice.click("a[href='/cases/C-1']")
            expect(alice.locator("td[data-class=new]")).to_have_text("4")
            alice.click("#open-review")
            expect(alice.locator(".group")).to_have_count(2)
            # 3. reveal one item of the first group
            first = alice.locator(".group").first
            first.locator(".reveal-form button").first.click()
            expect(first.locator("img.thumb.revealed")).to_have_count(1)
            assert first.locator("img.thumb.revealed").get_attribute("src").startswith("blob:")
            expect(first.locator("img.thumb.blurred")).to_have_count(len(group) - 1)
            ARTIFACTS.mkdir(exist_ok=True)
            alice.screenshot(path=str(ARTIFACTS / "workspace-review.png"), full_page=True)
            # 4. grade the whole group from the keyboard
            first.focus()
            alice.keyboard.press("1")
            alice.wait_for_load_state()
            expect(alice.locator(".group")).to_have_count(1)
            # 5. a second analyst agrees: the consensus takes effect
            bob = browser.new_context().new_page()
            _sign_in(bob, base, "bob", secrets["bob"])
            bob.goto(f"{base}/cases/C-1/review")
            expect(bob.locator(".group").first.locator(".item")).to_have_count(len(group))
            bob.locator(".group").first.focus()
            bob.keyboard.press("1")
            expect(bob.locator(".group")).to_have_count(1)
            alice.goto(f"{base}/cases/C-1/media/{group[0]}")
            expect(alice.locator("#national")).to_contain_text("consensus")
            expect(alice.locator("#triage-class")).to_have_text("known_categorised")
            alice.screenshot(path=str(ARTIFACTS / "workspace-consensus.png"), full_page=True)
            # 6. sign out
            alice.click("#sign-out")
            alice.wait_for_url(f"{base}/sign-in")
            alice.goto(f"{base}/cases")
            assert alice.url == f"{base}/sign-in"
        finally:
            browser.close()
