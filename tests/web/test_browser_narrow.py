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


DETAIL_SHOT = "/tmp/fazhi-browser-narrow-{}.png"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_detail_pages_fit_a_phone(
    live_server: Any, transactional_db: Any, cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 12345 work order's and a mediation case's detail pages (cards, the parties' table, long
    numbers and texts) are no wider than a 375 px screen: wide tables scroll in their own box."""
    if not os.path.exists(CHROMIUM):
        require_in_ci(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import datetime as dt

    from django.utils import timezone
    from playwright.sync_api import sync_playwright

    from fazhi.ledgers.hotline import actions as hotline
    from fazhi.ledgers.mediation.tests.world import make_med, new_case

    order = hotline.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        number="HX-20261206-000123456789",
        called_at=timezone.localtime() - dt.timedelta(hours=2),
        category="complaint",
        content="楼下烧烤店每晚营业至凌晨两点，油烟和噪声扰民，多次反映未果，请求相关部门尽快处理",
        phone="13900001111",
        requester="王某",
        address="东湖街道东湖路88号东湖花园小区12栋2单元1502室",
    )
    make_med(cast)
    parties = [
        {
            "kind": "person",
            "name": "张三丰",
            "id_number": "11010519491231002X",
            "contact": "13900001111",
            "address": "东湖街道东湖路88号东湖花园小区12栋2单元1502室",
        },
        {
            "kind": "org",
            "name": "示例市东湖物业服务有限责任公司第二分公司",
            "id_number": "91110105MA01ABCD2X",
            "contact": "010-88886666",
            "address": "东湖街道东湖路100号东湖商务中心写字楼A座",
        },
    ]
    case = new_case(cast.street_a, cast.a_clerk, on=timezone.localdate(), parties=parties)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 375, "height": 800}, locale="zh-CN")
            page.set_default_timeout(TIMEOUT_MS)
            Session(page, live_server.url).login("a_clerk")
            for slug, pk in (("hotline", order.pk), ("mediation", case.pk)):
                page.goto(f"{live_server.url}/l/{slug}/{pk}/")
                page.screenshot(path=DETAIL_SHOT.format(slug), full_page=True)
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= 375, (slug, wide)
                # A table's header is not broken one character a line.
                for th in page.locator("table th").all():
                    box = th.bounding_box()
                    assert box is None or box["width"] >= 30, (slug, th.inner_text())
        finally:
            browser.close()
