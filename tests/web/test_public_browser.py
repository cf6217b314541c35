"""The public report form in a real browser (Debian's chromium through Playwright): labels,
language, no third-party requests, escaping, the receipt and its status."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sentinela.clock import utc_now
from sentinela.services.context import ServiceContext
from sentinela.web.app import create_app
from sentinela.web.routes.reporting_site import install_site
from tests.conftest import build_ctx
from tests.reporting.helpers import runtime
from tests.services.reporting_helpers import add_takedown_users
from tests.web.conftest import CONFIG
from tests.web.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _require_browser, _Server

XSS = '<img src=x onerror="window.pwned=1">'


@pytest.fixture
def live(tmp_path: Path, sqlite_url: str) -> Iterator[tuple[str, ServiceContext]]:
    _require_browser()
    ctx = build_ctx(tmp_path, sqlite_url, utc_now)
    add_takedown_users(ctx)
    app = create_app(ctx.settings, CONFIG, context=ctx)
    install_site(app, runtime(ctx.settings, outbox=tmp_path / "outbox"))
    with _Server(app) as base:
        yield base, ctx
    ctx.close()


def test_public_report_form(live: tuple[str, ServiceContext]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _ = live
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="pt-PT").new_page()
            requested: list[str] = []
            page.on("request", lambda r: requested.append(r.url))
            page.goto(f"{base}/report")
            assert page.locator("html").get_attribute("lang") == "pt-PT"
            page.click("#other-language")
            assert page.locator("html").get_attribute("lang") == "en"
            # every field is reachable by its label
            page.get_by_label("Address(es) of the page or image (one per line)").fill(
                "http://203.0.113.10/gallery\nhttp://203.0.113.10/gallery"
            )
            page.get_by_label("What did you see? (optional)").fill(XSS)
            page.get_by_label("Your name").fill(XSS)
            page.get_by_role("button", name="Send report").click()
            expect(page.locator("h1")).to_have_text("Thank you: your report was received")
            expect(page.locator("#receipt-count")).to_have_text("1")
            code = page.locator("#receipt-code").inner_text()
            assert page.evaluate("window.pwned") is None
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "public-receipt.png"), full_page=True)
            # the status says the stage and nothing else
            page.click("text=Check a report")
            page.get_by_label("Receipt code").fill(code.lower())
            page.get_by_role("button", name="Check").click()
            expect(page.locator("#status-result")).to_contain_text("Received")
            assert "203.0.113.10" not in page.content()
            # a bad URL is refused with an accessible error, the input kept and escaped
            page.goto(f"{base}/report?lang=en")
            page.get_by_label("Address(es) of the page or image (one per line)").fill(
                f"javascript:{XSS}"
            )
            page.get_by_role("button", name="Send report").click()
            expect(page.get_by_role("alert")).to_contain_text(
                "Address 1 is not a valid web address"
            )
            assert page.locator("#urls").get_attribute("aria-invalid") == "true"
            assert page.evaluate("window.pwned") is None
            assert all(url.startswith(base) for url in requested), requested
            assert not [u for u in requested if u.endswith(".js")]
        finally:
            browser.close()
