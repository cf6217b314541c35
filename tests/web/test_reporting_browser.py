"""The officer's decision page in a real browser: sign in, open the queue, decide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

from sentinela.clock import utc_now
from sentinela.services import accounts
from sentinela.services.context import ServiceContext
from sentinela.services.reporting_intake import ReportForm, submit_public_report
from sentinela.services.takedown_runtime import TakedownRuntime
from sentinela.services.takedown_worker import tick
from sentinela.web.app import create_app
from sentinela.web.routes.reporting_site import install_site
from tests.conftest import build_ctx
from tests.reporting.helpers import HostServer, body, host_server, png, runtime
from tests.services.reporting_helpers import INVESTIGATOR, add_takedown_users
from tests.web.conftest import CONFIG, PASSWORD
from tests.web.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _require_browser, _Server

Live = tuple[str, ServiceContext, TakedownRuntime, HostServer, Path]


@pytest.fixture
def live(tmp_path: Path, sqlite_url: str) -> Iterator[Live]:
    _require_browser()
    ctx = build_ctx(tmp_path, sqlite_url, utc_now)
    add_takedown_users(ctx)
    accounts.set_password(ctx.with_actor("admin"), INVESTIGATOR, PASSWORD, policy=CONFIG.auth)
    app = create_app(ctx.settings, CONFIG, context=ctx)
    rt = runtime(ctx.settings, outbox=tmp_path / "outbox")
    install_site(app, rt)
    with host_server() as host, _Server(app) as base:
        yield base, ctx, rt, host, tmp_path / "outbox"
    ctx.close()


def test_officer_decides_from_the_report_page(live: Live) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, ctx, rt, host, outbox = live
    host.routes["/img"] = body(png(42), "image/png")
    receipt = submit_public_report(ctx, ReportForm(urls=[host.url("/img")]), rt.config)
    rid = receipt.urls[0].report_id
    tick(ctx, rt)  # preserved before anyone decides
    secret = accounts.reset_totp(ctx.with_actor("admin"), INVESTIGATOR).secret
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context().new_page()
            page.goto(f"{base}/sign-in")
            page.fill("input[name=username]", INVESTIGATOR)
            page.fill("input[name=password]", PASSWORD)
            page.fill("input[name=code]", pyotp.TOTP(secret).now())
            page.click("#sign-in-form button[type=submit]")
            page.wait_for_url(f"{base}/cases")
            page.goto(f"{base}/takedown")
            expect(page.locator(".host-group")).to_have_count(1)
            page.click(f"a[href='/takedown/reports/{rid}']")
            expect(page.locator("#report-status")).to_have_text("awaiting_decision")
            expect(page.locator("#captures")).to_contain_text("preserved")
            page.check("#action-take_down")
            page.fill("#reason", "Confirmed by the unit")
            page.click("#decide")
            expect(page.locator("#report-status")).to_have_text("notice_pending")
            expect(page.locator("#decisions")).to_contain_text("Confirmed by the unit")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "takedown-decision.png"), full_page=True)
            tick(ctx, rt)
            page.reload()
            expect(page.locator("#report-status")).to_have_text("notified")
            expect(page.locator("#notices")).to_contain_text("abuse@loopback.test")
            assert list(outbox.glob("*.eml"))
        finally:
            browser.close()
