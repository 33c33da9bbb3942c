"""The 主动公开 register in real Chromium: a clerk registers a published 行政处罚 entry, finds its
decisions in table 二 of the year's report and follows the figure back to the entry, fills in the
unit's 政府信息公开指南 and sees the entry in the 目录.

The live server runs in another thread, so the dates are relative to the real today.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import require_in_ci
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS, Session

SHOT_GUIDE = Path("/tmp/fazhi-browser-guide.png")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_register_entry_to_table_2_and_the_guide(
    live_server: Any, transactional_db: Any, cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not os.path.exists(CHROMIUM):
        require_in_ci(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    today = timezone.localdate()
    year = today.year
    made = max(today - dt.timedelta(days=3), dt.date(year, 1, 1))
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(TIMEOUT_MS)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            session = Session(page, base)
            session.login("a_clerk")

            # 1. Register an entry that is already published.
            page.click("nav a:has-text('主动公开政府信息')")
            with page.expect_navigation():
                page.click("a:has-text('登记主动公开信息')")
            page.fill("#id_title", "东湖街道行政处罚决定公开")
            page.select_option("#id_category", "art20_06")
            page.fill("#id_made_on", made.isoformat())
            page.select_option("#id_table2_kind", "penalty")
            page.fill("#id_quantity", "4")
            page.fill("#id_published_on", today.isoformat())
            page.select_option("#id_channel", "website")
            page.fill("#id_location", "区政府网站·信息公开专栏")
            with page.expect_navigation():
                page.click("button:has-text('登记')")
            expect(page.locator(".messages")).to_contain_text("已登记")
            number = page.locator("h1").inner_text().split()[0]
            assert number.startswith(f"A1/{made.year}-"), number
            expect(page.locator("dl.fields")).to_contain_text("是，公开期限")

            # 2. Table 二 counts its decisions; the figure leads back to the entry.
            page.goto(base + reverse("web:report", args=["xxgk", "A1", year]))
            cell = page.locator(f"a[href*='table2.penalty.decisions%3A{year}']")
            expect(cell).to_have_text("4")
            expect(page.locator(".report p.internal").first).to_contain_text("主动公开政府信息台账")
            expect(page.locator(".report")).to_contain_text(f"{year}年，本单位主动公开政府信息1条")
            with page.expect_navigation():
                cell.click()
            expect(page.locator("p.count")).to_have_text("共 1 条")
            expect(page.locator("table.grid tbody")).to_contain_text(number)

            # 3. The guide: defaults, then the address and telephone; saved.
            with page.expect_navigation():
                page.click("a:has-text('政府信息公开指南和目录')")
            with page.expect_navigation():
                page.locator("tr", has_text="东湖街道").get_by_role(
                    "link", name="查看"
                ).first.click()
            expect(page.locator(".note").first).to_contain_text("尚未保存指南")
            with page.expect_navigation():
                page.click("a:has-text('编辑指南')")
            page.fill("#id_address", "示例区东湖路1号")
            page.fill("#id_phone", "0000-1234567")
            with page.expect_navigation():
                page.click("button:has-text('保存')")
            expect(page.locator(".messages")).to_contain_text("政府信息公开指南已保存")
            expect(page.locator(".paper")).to_contain_text("办公地址：示例区东湖路1号")
            page.screenshot(path=str(SHOT_GUIDE), full_page=True)

            # 4. The 目录 lists the published entry.
            with page.expect_navigation():
                page.click(".actions a:has-text('政府信息公开目录')")
            expect(page.locator("table.grid tbody")).to_contain_text("东湖街道行政处罚决定公开")
            assert not errors, errors
        finally:
            browser.close()
