"""普法 in real Chromium. 街道 A's clerk reads the statistics page (责任清单完成率 0.0%: two
items, none ticked), registers a 宪法宣传周 activity naming one item of the list, sees the item
ticked off on the activity's page, and finds the 完成率 at 50.0% on the statistics page, the
department's row at 100.0%; the rate's link lists exactly the ticked item.

The live server runs in another thread, so the dates are relative to the real today.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from conftest import require_in_ci
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS, Session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_activity_ticks_an_item_and_the_completion_rate_moves(
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

    from fazhi.ledgers.pufa import actions
    from fazhi.ledgers.pufa.models import Activity, Duty

    today = timezone.localdate()
    listed = today - dt.timedelta(days=20)

    def item(department: str, content: str) -> Duty:
        return actions.register_duty(
            unit=cast.street_a, by=cast.a_clerk, year=today.year, department=department,
            content=content, listed_on=max(listed, dt.date(today.year, 1, 1)),
            backdate_reason="补录年初的责任清单",
        )  # fmt: skip

    law = item("司法所", "开展宪法宣传周集中宣传")
    item("安全生产办", "开展安全生产法宣传")
    held = max(today - dt.timedelta(days=2), law.listed_on)
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

            def rate() -> Any:
                return page.locator("#headline tr", has_text="普法责任清单完成率").locator("td.num")

            def shot(name: str) -> None:
                shots.append(tmp_path / f"pufa-{name}.png")
                page.screenshot(path=str(shots[-1]), full_page=True)

            session.login("a_clerk")
            page.goto(f"{base}/pufa/stats/?unit=A1&year={today.year}")
            expect(rate()).to_have_text("0.0%")
            expect(page.locator("#departments")).to_contain_text("司法所")
            shot("before")

            page.click("nav a:has-text('普法活动')")
            with page.expect_navigation():
                page.click("a:has-text('登记普法活动')")
            page.fill("#id_held_on", held.isoformat())
            page.fill("#id_title", "“宪法进社区”主题宣传活动")
            page.select_option("#id_theme", "constitution_week")
            page.select_option("#id_form", "consultation")
            page.fill("#id_venue", "东湖社区文化广场")
            page.select_option("#id_audience", "residents")
            page.fill("#id_attendance", "160")
            page.fill("#id_materials", "500")
            page.fill("#id_duty_number", law.number)
            with page.expect_navigation():
                page.click("form button:has-text('登记')")
            expect(page.locator(".messages")).to_contain_text("已登记")
            fields = page.locator("dl.fields")
            expect(fields).to_contain_text(law.number)
            expect(page.locator("ol.timeline")).to_contain_text(
                f"落实责任清单事项：清单事项 {law.number}"
            )
            shot("activity")

            page.goto(f"{base}/pufa/stats/?unit=A1&year={today.year}")
            expect(rate()).to_have_text("50.0%")
            department = page.locator("#departments tr", has_text="司法所")
            expect(department.locator("td").nth(3)).to_have_text("100.0%")
            expect(page.locator("#headline tr", has_text="普法活动参与人次")).to_contain_text("160")
            shot("after")
            with page.expect_navigation():
                rate().locator("a").click()
            rows = page.locator("table.grid tbody tr")
            expect(rows).to_have_count(2)  # the rate's records: the list's two items
            with page.expect_navigation():
                page.goto(page.url + ":num")
            expect(page.locator("table.grid tbody tr")).to_have_count(1)
            expect(page.locator("table.grid tbody")).to_contain_text(law.number)
            assert not errors, errors
        finally:
            connections.close_all()
            browser.close()

    activity = Activity.objects.get()
    assert activity.duty_id == law.pk and activity.held_on == held
    assert Duty.objects.get(pk=law.pk).status == "done"
    for path in shots:
        assert path.stat().st_size > 10_000, path
