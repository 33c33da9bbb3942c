"""The 法治政府建设情况报告 editor in real Chromium: 街道 A's clerk writes a sentence with a
live figure (inserted from the editor's list by its static script, under the strict CSP),
saves, a record changes, and the report shows the new value with the stale warning.

The live server runs in another thread, so the dates are relative to the real today.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from conftest import require_in_ci
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS, Session

from .conftest import add_case


@pytest.mark.browser
@pytest.mark.usefixtures("toy_passages")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_live_figure_updates_and_warns_after_its_records_change(
    live_server: Any,
    transactional_db: Any,
    cast: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    if not os.path.exists(CHROMIUM):
        require_in_ci(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from fazhi.core.reports.models import ReportText

    today = timezone.localdate()
    year = today.year
    add_case(cast.street_a, cast.a_clerk, on=today)
    base = live_server.url
    shots: list[Path] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(TIMEOUT_MS)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            session = Session(page, base)

            def shot(name: str) -> None:
                shots.append(tmp_path / f"fazhi-{name}.png")
                page.screenshot(path=str(shots[-1]), full_page=True)

            session.login("a_clerk")
            page.goto(f"{base}/reports/fazhi/A1/{year}/")
            expect(page.locator("article.report")).to_contain_text("依法办理示例案件1件。")
            with page.expect_navigation():
                page.click("a:has-text('编辑文字部分')")
            area = page.locator("#id_measures")
            area.click()
            area.type("全年收到示例案件")
            page.click("button.token:has-text('收到示例案件：1')")
            area.press("End")
            area.type("件，数量保持平稳。")
            expect(area).to_have_value("全年收到示例案件{{toy.received=1}}件，数量保持平稳。")
            shot("edit")
            with page.expect_navigation():
                page.click("form button:has-text('保存')")
            expect(page.locator(".messages")).to_contain_text("报告文字已保存")
            typed = page.locator("article.report p[data-key='measures']")
            expect(typed).to_have_text("全年收到示例案件1件，数量保持平稳。")
            expect(page.locator(".report-warnings")).to_have_count(0)

            add_case(cast.street_a, cast.a_clerk, on=today)  # a record changes
            page.reload()
            expect(typed).to_have_text("全年收到示例案件2件，数量保持平稳。")
            expect(typed.locator("mark.stale")).to_have_attribute("title", "写入时为1，当前为2")
            warning = page.locator(".report-warnings")
            expect(warning).to_contain_text("写于该数据为1时，当前为2")
            expect(warning).to_contain_text("数量保持平稳")
            shot("stale")
            with page.expect_navigation():
                typed.locator("a.figure").click()
            expect(page.locator("table.grid tbody tr")).to_have_count(2)
            assert not errors, errors
        finally:
            connections.close_all()
            browser.close()

    stored = ReportText.objects.get(unit=cast.street_a, kind="fazhi", year=year, key="measures")
    assert stored.text == "全年收到示例案件{{toy.received=1}}件，数量保持平稳。"
    for path in shots:
        assert path.stat().st_size > 10_000, path
