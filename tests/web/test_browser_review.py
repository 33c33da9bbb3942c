"""A reviewed 不予公开 reply in real Chromium: the leader turns on the unit's option on the
台账设置 page, the clerk's direct reply is refused, the clerk submits the draft, the 审核员
finds it on 待办 and approves it, and the clerk's reply form starts from the approved draft.
Then a second application is withdrawn by the applicant."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import require_in_ci
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS, Session

SHOT = Path("/tmp/fazhi-browser-review.png")
REASONS = "所申请的会议纪要属于行政机关内部讨论形成的过程性信息"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reviewed_withholding_reply_and_a_withdrawal(
    live_server: Any, transactional_db: Any, cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not os.path.exists(CHROMIUM):
        require_in_ci(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from fazhi.ledgers.disclosure import actions
    from fazhi.ledgers.disclosure.models import Application

    today = timezone.localdate()

    def new(name: str) -> Any:
        return actions.register(
            unit=cast.street_a,
            by=cast.a_clerk,
            received_on=today - dt.timedelta(days=3),
            applicant_category="natural_person",
            applicant_name=name,
            content="街道办事处主任办公会议纪要",
            contact="13900000000",
        )

    app, other = new("李四"), new("王五")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(TIMEOUT_MS)
            page.on("dialog", lambda dialog: dialog.accept())
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            s = Session(page, live_server.url)

            s.login("a_leader")
            page.goto(f"{live_server.url}/l/disclosure/")
            with page.expect_navigation():
                page.get_by_role("link", name="台账设置").click()
            page.check("input[name=review_withholding][value=yes]")
            with page.expect_navigation():
                page.get_by_role("button", name="保存").click()
            expect(page.locator(".messages")).to_contain_text("设置已保存")
            expect(page.locator("fieldset")).to_contain_text("当前适用：是（本单位设置）")
            s.logout()

            s.login("a_clerk")
            page.goto(f"{live_server.url}/l/disclosure/{app.pk}/")
            with page.expect_navigation():
                page.locator(".moves").get_by_role("link", name="答复", exact=True).click()
            expect(page.locator("main")).to_contain_text("须经审核员审核通过后发出")
            page.fill("#id_on", today.isoformat())
            page.select_option("#id_outcome", "withheld_6")
            page.fill("#id_reasons", REASONS)
            with page.expect_navigation():
                page.get_by_role("button", name="确认答复", exact=True).click()
            expect(page.locator(".errorlist").first).to_contain_text("提交答复审核")
            page.goto(f"{live_server.url}/l/disclosure/{app.pk}/")
            s.run_move(
                "提交答复审核",
                {"#id_on": today.isoformat(), "#id_reasons": REASONS},
                {"#id_outcome": "withheld_6"},
            )
            s.logout()

            s.login("a_reviewer")
            page.goto(live_server.url + "/")
            todo = page.locator("main")
            expect(todo).to_contain_text("待审核答复")
            with page.expect_navigation():
                page.get_by_role("link", name=app.number).first.click()
            s.run_move("审核通过答复（审核员）", {"#id_on": today.isoformat()})
            s.logout()

            s.login("a_clerk")
            page.goto(f"{live_server.url}/l/disclosure/{app.pk}/")
            with page.expect_navigation():
                page.locator(".moves").get_by_role("link", name="答复", exact=True).click()
            expect(page.locator("#id_reasons")).to_have_value(REASONS)
            expect(page.locator("#id_outcome")).to_have_value("withheld_6")
            page.fill("#id_on", today.isoformat())
            with page.expect_navigation():
                page.get_by_role("button", name="确认答复", exact=True).click()
            expect(page.locator(".messages")).to_contain_text("已完成「答复」")
            timeline = page.locator("ol.timeline")
            expect(timeline).to_contain_text("答复审核通过")
            expect(timeline).to_contain_text("送审稿：属于四类过程性信息")
            page.screenshot(path=str(SHOT), full_page=True)

            page.goto(f"{live_server.url}/l/disclosure/{other.pk}/")
            s.run_move("申请人撤回申请", {"#id_on": today.isoformat()}, {"#id_how": "written"})
            expect(page.locator("ol.timeline")).to_contain_text("书面撤回申请")
            assert not errors, errors
        finally:
            browser.close()
    assert Application.objects.get(pk=app.pk).outcome == "withheld_6"
    done = Application.objects.get(pk=other.pk)
    assert (done.status, done.outcome) == ("closed", "other_3")
