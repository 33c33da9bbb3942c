"""督察整改 in real Chromium. 街道 A's clerk reads the statistics page (完成率 0.0%, no item),
registers a rectification item from a 督察 feedback whose 整改时限 has just passed, finds it on
待办 under 逾期 (and a second one, due in five days, under 临期), completes it with its evidence
from the record's page, and finds on the statistics page 督察整改事项数 2, 完成率 50.0% and
按期完成率 0.0% (it was late); the rate's link lists exactly the completed item.

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
def test_an_overdue_item_is_completed_with_evidence_and_the_rate_moves(
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

    from fazhi.ledgers.oversight import actions
    from fazhi.ledgers.oversight.models import Rectification

    today = timezone.localdate()
    fed = today - dt.timedelta(days=3)
    due = today - dt.timedelta(days=1)
    year = due.year
    soon = actions.register_rectification(
        unit=cast.street_a, by=cast.a_clerk, source="assessment", fed_back_on=today,
        problem="法律顾问参与合同审查记录不完整", measures="补齐合同审查意见书",
        department="党政办公室", owner="郑敏", deadline=today + dt.timedelta(days=5),
    )  # fmt: skip
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

            def figure(code: str) -> Any:
                return page.locator(f'#rectify tr[data-code="{code}"] td.num')

            def shot(name: str) -> None:
                shots.append(tmp_path / f"oversight-{name}.png")
                page.screenshot(path=str(shots[-1]), full_page=True)

            def stats() -> None:
                page.goto(f"{base}/oversight/stats/?unit=A1&year={year}")

            session.login("a_clerk")
            stats()
            expect(figure("oversight.rectify_done_rate")).to_have_text("0.0%")
            shot("before")

            page.goto(f"{base}/l/oversight_rectify/")
            with page.expect_navigation():
                page.click("a:has-text('登记整改事项')")
            page.select_option("#id_source", "inspection")
            page.fill("#id_source_doc", "区法督〔2026〕3号")
            page.fill("#id_fed_back_on", fed.isoformat())
            page.fill("#id_problem", "行政执法公示信息更新不及时，部分执法结果未按时公开")
            page.fill("#id_measures", "建立执法信息公示周报制度，补录上半年执法结果")
            page.fill("#id_department", "综合行政执法队")
            page.fill("#id_owner", "孙伟")
            page.fill("#id_deadline", due.isoformat())
            with page.expect_navigation():
                page.click("form button:has-text('登记')")
            expect(page.locator(".messages")).to_contain_text("已登记")
            item = Rectification.objects.get(source="inspection")
            detail = page.url

            page.click("header a:has-text('待办')")
            section = page.locator("section.card", has_text="督察整改事项")
            overdue = section.locator("table.grid").nth(0)
            expect(section.locator("h3").nth(0)).to_contain_text("逾期 1 件")
            expect(overdue).to_contain_text(item.number)
            expect(section.locator("h3").nth(1)).to_contain_text("临期 1 件")
            expect(section.locator("table.grid").nth(1)).to_contain_text(soon.number)
            shot("todo")

            page.goto(detail)
            session.run_move(
                "整改完成",
                {
                    "#id_on": today.isoformat(),
                    "#id_evidence": "已印发公示周报制度，附制度文件和公示截图",
                },
            )
            expect(page.locator("dl.fields")).to_contain_text("已完成")
            expect(page.locator("dl.fields")).to_contain_text("附制度文件和公示截图")
            page.click("header a:has-text('待办')")
            expect(page.locator("section.card", has_text="督察整改事项")).not_to_contain_text(
                item.number
            )

            stats()
            expect(figure("oversight.rectify_items")).to_have_text("2")
            expect(figure("oversight.rectify_done_rate")).to_have_text("50.0%")
            expect(figure("oversight.rectify_on_time_rate")).to_have_text("0.0%")
            shot("after")
            with page.expect_navigation():
                figure("oversight.rectify_done_rate").locator("a").click()
            expect(page.locator("table.grid tbody tr")).to_have_count(2)
            with page.expect_navigation():
                page.goto(page.url + ":num")
            expect(page.locator("table.grid tbody tr")).to_have_count(1)
            expect(page.locator("table.grid tbody")).to_contain_text(item.number)
            assert not errors, errors
        finally:
            connections.close_all()
            browser.close()

    done = Rectification.objects.get(pk=item.pk)
    assert (done.status, done.done_on, done.deadline) == ("done", today, due)
    for path in shots:
        assert path.stat().st_size > 10_000, path
