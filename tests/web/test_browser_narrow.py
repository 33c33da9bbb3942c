"""The top bar on a phone-sized screen (375 px) in real Chromium: the menu does not take half
the screen, and every menu item can still be reached (the menu scrolls sideways)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from conftest import require_in_ci
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS, Session

SHOT = Path("/tmp/fazhi-browser-narrow.png")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_top_bar_fits_a_phone(
    live_server: Any, transactional_db: Any, cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not os.path.exists(CHROMIUM):
        require_in_ci(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for width, most in ((375, 130), (1280, 130)):
                page = browser.new_page(viewport={"width": width, "height": 800}, locale="zh-CN")
                page.set_default_timeout(TIMEOUT_MS)
                session = Session(page, live_server.url)
                session.login("admin")
                height = page.locator("header.top").bounding_box()["height"]
                assert height <= most, (width, height)
                # No item is cut off for good: each can be scrolled into view and clicked.
                items = page.locator("header.top nav a")
                assert items.count() >= 8
                last = items.nth(items.count() - 1)
                last.scroll_into_view_if_needed()
                assert last.is_visible()
                # The page itself never scrolls sideways.
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                if width == 375:
                    page.screenshot(path=str(SHOT))
                    # Wide tables scroll inside themselves: no page widens the screen.
                    for path in ("/", "/dashboard/", "/inbox/", "/l/disclosure/"):
                        page.goto(live_server.url + path)
                        wide = page.evaluate("document.documentElement.scrollWidth")
                        assert wide <= width, (path, wide)
                session.logout()
                page.close()
        finally:
            browser.close()
