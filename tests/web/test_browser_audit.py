"""The audit trail in real Chromium: a 街道's leader goes from a record to its full trail, then
narrows it by event code; the clerk has no way there."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import require_in_ci
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS, Session

SHOT = Path("/tmp/fazhi-browser-audit.png")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_leader_follows_a_record_to_its_audit_trail(
    live_server: Any, transactional_db: Any, cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not os.path.exists(CHROMIUM):
        require_in_ci(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from fazhi.ledgers.disclosure import actions

    today = timezone.localdate()
    app = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=today - dt.timedelta(days=2),
        applicant_category="natural_person",
        applicant_name="张三",
        content="2025年辖区老旧小区改造项目清单",
    )
    actions.extend(app=app, by=cast.a_leader, on=today, reason="需要调取档案", told_on=today)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(TIMEOUT_MS)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            session = Session(page, live_server.url)

            session.login("a_clerk")
            expect(page.locator("nav")).not_to_contain_text("审计日志")
            session.logout()

            session.login("a_leader")
            page.goto(f"{live_server.url}/l/disclosure/{app.pk}/")
            with page.expect_navigation():
                page.click("a:has-text('查看本记录的审计日志')")
            expect(page.locator("h1")).to_have_text("审计日志")
            # Registration, the extension, and the extension's letter with its file.
            expect(page.locator("p.count")).to_have_text("共 4 条")
            rows = page.locator("table.audit tbody tr")
            expect(rows.filter(has_text="政府信息公开申请：批准延期")).to_have_count(1)
            expect(rows.filter(has_text="生成告知书")).to_have_count(1)
            expect(rows.last).to_contain_text("政府信息公开申请：登记")
            expect(rows.last).to_contain_text("a_clerk")

            page.select_option("select[name=code]", "disclosure.application.registered")
            with page.expect_navigation():
                page.click("button:has-text('筛选')")
            expect(page.locator("p.count")).to_have_text("共 1 条")
            expect(page.locator("select[name=code]")).to_have_value(
                "disclosure.application.registered"
            )
            expect(page.locator("input[name=object_id]")).to_have_value(str(app.pk))
            page.screenshot(path=str(SHOT), full_page=True)
            assert not errors, errors
        finally:
            browser.close()
