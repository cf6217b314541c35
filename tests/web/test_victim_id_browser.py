"""Region search in a real browser: Playwright driving Debian's chromium against uvicorn.

A victim-identification specialist signs in, opens an item's region page, reveals it, drags a
rectangle over the planted object, searches the country, and sees the one match in her cases
plus the count of matches held by another unit. Then she opens the camera links and the GPS
plot drawn on the server. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

from sentinela.clock import utc_now
from sentinela.services import accounts, region_indexing
from tests.conftest import build_ctx
from tests.services.victim_id_helpers import (
    Camera,
    World,
    add_image,
    make_world,
    open_case,
    planted,
)
from tests.web.conftest import CONFIG, PASSWORD
from tests.web.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _require_browser, _Server


@pytest.fixture
def live(tmp_path: Path, sqlite_url: str) -> Iterator[tuple[str, World, str]]:
    _require_browser()
    ctx = build_ctx(tmp_path, sqlite_url, utc_now)
    world = make_world(ctx)
    open_case(world, "vera", "A-1", "Unit A")
    open_case(world, "viktor", "B-1", "Unit B")
    cam = Camera("Canon", "EOS 5D", "SN-123")
    img, box = planted(100, size=320)
    world.boxes["query"] = box
    add_image(world, "A-1", "query", img, camera=cam, gps=(38.72, -9.14))
    add_image(world, "A-1", "twin", planted(101, size=320)[0], camera=cam, gps=(38.75, -9.10))
    add_image(world, "B-1", "elsewhere", planted(102, size=320)[0])
    admin = ctx.with_actor("admin")
    region_indexing.index_regions(admin)
    accounts.set_password(admin, "vera", PASSWORD, policy=CONFIG.auth)
    secret = accounts.reset_totp(admin, "vera").secret
    from sentinela.web.app import create_app

    app = create_app(ctx.settings, CONFIG, context=ctx)
    with _Server(app) as base:
        yield base, world, secret
    ctx.close()


def test_region_search_journey(live: tuple[str, World, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, world, secret = live
    query = world.media["query"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context().new_page()
            page.goto(f"{base}/sign-in")
            page.fill("input[name=username]", "vera")
            page.fill("input[name=password]", PASSWORD)
            page.fill("input[name=code]", pyotp.TOTP(secret).now())
            page.click("#sign-in-form button[type=submit]")
            page.wait_for_url(f"{base}/cases")
            page.click("a[href='/victim-id']")
            expect(page.locator("h1")).to_have_text("Victim identification")
            page.goto(f"{base}/cases/A-1/media/{query}/region")
            page.locator(".reveal-form button").click()
            img = page.locator("#region-figure img.thumb.revealed")
            expect(img).to_have_count(1)
            shown = img.bounding_box()
            assert shown is not None
            x, y, w, h = world.boxes["query"]
            page.mouse.move(
                shown["x"] + x * shown["width"] + 1, shown["y"] + y * shown["height"] + 1
            )
            page.mouse.down()
            page.mouse.move(
                shown["x"] + (x + w) * shown["width"] - 1,
                shown["y"] + (y + h) * shown["height"] - 1,
                steps=5,
            )
            page.mouse.up()
            expect(page.locator("#region-figure .selection")).to_be_visible()
            assert 0 < float(page.input_value("input[name=w]")) <= 1
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "victim-id-region.png"), full_page=True)
            page.click("#region-submit")
            expect(page.locator("#hits .hit")).to_have_count(1)
            expect(page.locator(f"#hits .hit[data-media='{world.media['twin']}']")).to_have_count(1)
            expect(page.locator(".hidden-holders")).to_contain_text("owning units: Unit B")
            page.screenshot(path=str(ARTIFACTS / "victim-id-region-results.png"), full_page=True)
            page.goto(f"{base}/cases/A-1/media/{query}/camera-links")
            plot = page.locator("#gps-plot")
            expect(plot).to_be_visible()
            page.wait_for_function("document.getElementById('gps-plot').naturalWidth > 0")
            page.screenshot(path=str(ARTIFACTS / "victim-id-camera.png"), full_page=True)
        finally:
            browser.close()
