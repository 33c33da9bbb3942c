"""One application from registration to the annual report, in real Chromium (acceptance item 9).

A 街道 clerk registers an application, sends a 补正 notice and records the correction; the
街道's leader approves an extension; the clerk answers 予以公开; the year's 政府信息公开工作年度报告
then counts it in table 三, and the figure links to the application.

The live server runs in another thread, so the dates are relative to the real today.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import require_in_ci
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS, Session

# WhiteNoise warns when var/static/ (STATIC_ROOT) has not been collected; tests serve from finders.

SHOT_DETAIL = Path("/tmp/fazhi-browser-detail.png")
SHOT_REPORT = Path("/tmp/fazhi-browser-report.png")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_application_from_registration_to_the_annual_report(
    live_server: Any, transactional_db: Any, cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not os.path.exists(CHROMIUM):
        require_in_ci(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls below are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from fazhi.core.workflow import moves_by_code
    from fazhi.ledgers.disclosure.models import EventKind
    from fazhi.ledgers.disclosure.workflow import MOVES

    labels = {code: move.label for code, move in moves_by_code(MOVES).items()}

    today = timezone.localdate()
    received = today - dt.timedelta(days=8)
    corrected_on = today - dt.timedelta(days=3)
    extended_on = today - dt.timedelta(days=1)
    year = today.year
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(TIMEOUT_MS)
            page.on("dialog", lambda dialog: dialog.accept())
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

            session = Session(page, base)
            login, logout, run_move = session.login, session.logout, session.run_move

            # 1. The clerk registers the application.
            login("a_clerk")
            page.click("nav a:has-text('政府信息公开申请')")
            with page.expect_navigation():
                page.click("a:has-text('登记申请')")
            page.fill("#id_received_on", received.isoformat())
            page.select_option("#id_channel", "in_person")
            page.select_option("#id_applicant_category", "natural_person")
            page.fill("#id_applicant_name", "张三")
            page.fill("#id_content", "2025年辖区老旧小区改造项目清单")
            # Art. 29: without the applicant's identity and contact nothing is registered.
            with page.expect_navigation():
                page.click("button:has-text('登记')")
            expect(page.locator("#id_contact_error")).to_contain_text("请填写联系方式")
            expect(page.locator("#id_id_number_error")).to_contain_text("身份证件号码")
            page.select_option("#id_id_type", "resident_id")
            page.fill("#id_id_number", "110101199003070011")
            page.fill("#id_contact", "13800000000")
            with page.expect_navigation():
                page.click("button:has-text('登记')")
            expect(page.locator(".messages")).to_contain_text("已登记")
            number = page.locator("h1").inner_text().split()[0]
            assert re.fullmatch(rf"YSQ-{received.year}-\d{{4}}", number), number
            detail_url = page.url
            expect(page.locator(".clock h2").first).to_contain_text("答复期限")
            # The 7-working-day 补正 window is a clock of its own beside the reply's.
            expect(page.locator(".clock h2").nth(1)).to_contain_text("补正告知期限")

            # 2. 补正: the notice, then the corrected application.
            run_move(
                labels["request_correction"],
                {
                    "#id_on": (received + dt.timedelta(days=1)).isoformat(),
                    "#id_items": "请写明所需信息的文件名称或文号",
                },
            )
            expect(page.locator(".status")).to_have_text("待补正")
            run_move(
                labels["record_correction"],
                {"#id_on": corrected_on.isoformat(), "#id_note": "已补正"},
            )
            expect(page.locator(".status")).to_have_text("办理中")
            expect(page.locator("ol.steps")).to_contain_text("补正后重新起算")

            # 3. The clerk asks for an extension; the leader sees it on the 待办 page and
            #    approves it (a confirm() dialog, accepted above).
            run_move(
                labels["request_extension"],
                {"#id_on": extended_on.isoformat(), "#id_reason": "需要调取历年档案"},
            )
            logout()
            login("a_leader")
            pending = page.locator("section.card", has_text="政府信息公开申请").filter(
                has_text="待批准延期"
            )
            expect(pending).to_contain_text(number)
            page.goto(detail_url)
            run_move(
                labels["extend"],
                {
                    "#id_on": extended_on.isoformat(),
                    "#id_told_on": extended_on.isoformat(),
                    "#id_reason": "需要调取历年档案",
                },
            )
            expect(page.locator("ol.steps")).to_contain_text("经负责人批准延期")
            expect(page.locator(".moves")).not_to_contain_text(labels["extend"])

            # 4. The clerk answers: 予以公开.
            logout()
            login("a_clerk")
            page.goto(detail_url)
            with page.expect_navigation():
                page.locator(".moves").get_by_role("link", name=labels["reply"], exact=True).click()
            page.fill("#id_on", today.isoformat())
            page.select_option("#id_outcome", "granted")
            page.fill("#id_note", "已通过电子邮件提供")
            with page.expect_navigation():
                page.get_by_role("button", name=f"确认{labels['reply']}", exact=True).click()
            expect(page.locator(".messages")).to_contain_text("已完成「答复」")
            expect(page.locator(".status")).to_have_text("已办结")
            expect(page.locator("dl.fields")).to_contain_text("予以公开")
            timeline = page.locator("ol.timeline")
            steps = (
                "登记",
                "发出补正通知",
                "收到补正",
                EventKind.EXTENSION_REQUESTED.label,
                EventKind.EXTENDED.label,
                "答复",
            )
            for step in steps:
                expect(timeline).to_contain_text(step)
            page.screenshot(path=str(SHOT_DETAIL), full_page=True)

            # 5. The year's report counts it in table 三, and the figure leads back to it.
            page.click("nav a:has-text('年度报告')")
            report_url = reverse("web:report", args=["xxgk", "A1", year])
            with page.expect_navigation():
                page.click(f"a[href='{report_url}']")
            expect(page.locator("h1").first).to_contain_text(f"{year}年政府信息公开工作年度报告")
            cell = page.locator(f"a[href*='table3.granted.natural_person%3A{year}']")
            expect(cell).to_have_count(1)
            expect(cell).to_have_text("1")
            total = page.locator(f"a[href*='table3.granted.total%3A{year}']")
            expect(total).to_have_text("1")
            cell.scroll_into_view_if_needed()
            page.screenshot(path=str(SHOT_REPORT), full_page=True)
            with page.expect_navigation():
                cell.click()
            expect(page.locator("p.count")).to_have_text("共 1 条")
            expect(page.locator("table.grid tbody")).to_contain_text(number)
            assert not errors, errors
        finally:
            browser.close()

    from fazhi.ledgers.disclosure.models import Application

    app = Application.objects.get(number=number)
    assert (app.status, app.outcome, app.replied_on) == ("closed", "granted", today)
    assert list(app.events.values_list("kind", flat=True)) == [
        "registered",
        "correction_requested",
        "corrected",
        "extension_requested",
        "extended",
        "replied",
    ]
