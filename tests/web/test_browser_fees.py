"""A fee notice served by post, in real Chromium: the clerk sends it by post (the payment clock
says 待送达 and counts from the presumed receipt), records the signed receipt (the clock counts
from it), then the payment; section 六 of the report states the fee and links to it.

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

SHOT = Path("/tmp/fazhi-browser-fee.png")
SHOT_FORM = Path("/tmp/fazhi-browser-fee-form.png")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_fee_notice_served_by_post(
    live_server: Any, transactional_db: Any, cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not os.path.exists(CHROMIUM):
        require_in_ci(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from fazhi.core.calendar.service import get_calendar
    from fazhi.core.workflow import moves_by_code
    from fazhi.ledgers.disclosure import actions
    from fazhi.ledgers.disclosure.models import Application
    from fazhi.ledgers.disclosure.workflow import MOVES

    labels = {code: move.label for code, move in moves_by_code(MOVES).items()}
    cal = get_calendar()
    today = timezone.localdate()
    received = today - dt.timedelta(days=8)
    noticed = received + dt.timedelta(days=1)
    signed = noticed + dt.timedelta(days=3)
    paid = today
    app = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=received,
        applicant_category="natural_person",
        applicant_name="张三",
        contact="13800000000",
        content="某小区加装电梯审批材料（纸质复印件）",
    )
    detail_url = live_server.url + reverse("web:detail", args=["disclosure", app.pk])

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(TIMEOUT_MS)
            page.on("dialog", lambda dialog: dialog.accept())
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            session = Session(page, live_server.url)
            session.login("a_clerk")
            page.goto(detail_url)

            # 1. The fee notice, by post: the form shows the ledger's 按件 count first.
            with page.expect_navigation():
                page.locator(".moves").get_by_role(
                    "link", name=labels["issue_fee_notice"], exact=True
                ).click()
            expect(page.locator(".preamble")).to_contain_text("本件为第 1 件")
            page.fill("#id_on", noticed.isoformat())
            page.select_option("#id_method", "per_page")
            page.fill("#id_quantity", "120")
            page.select_option("#id_service_method", "post")
            page.screenshot(path=str(SHOT_FORM), full_page=True)
            with page.expect_navigation():
                page.get_by_role("button", name=f"确认{labels['issue_fee_notice']}").click()
            expect(page.locator(".messages")).to_contain_text("已完成「发出收费通知」")
            expect(page.locator(".status")).to_have_text("待缴费")
            presumed = noticed + dt.timedelta(days=7)
            expect(page.locator("dl.fields")).to_contain_text(
                f"待送达，暂按 {presumed:%Y-%m-%d} 推定"
            )
            fee_clock = page.locator(".clock", has_text="缴费期限")
            expect(fee_clock).to_contain_text("待送达：邮寄送达，尚未登记签收")

            # 2. The signed receipt comes back: the 20 工作日 run from it.
            session.run_move(
                labels["record_service"], {"#id_on": signed.isoformat(), "#id_note": "EMS回执"}
            )
            expect(page.locator("dl.fields")).to_contain_text(f"已送达（{signed:%Y-%m-%d}）")
            expect(fee_clock).to_contain_text("已登记送达")
            due = cal.add_workdays(signed, 20)
            expect(fee_clock.locator("h2")).to_contain_text(f"{due.year}年{due.month}月{due.day}日")
            expect(page.locator("ol.timeline")).to_contain_text("金额 1100 元；邮寄送达")
            expect(page.locator("ol.timeline")).to_contain_text("收费通知已送达")

            # 3. The payment.
            session.run_move(labels["record_payment"], {"#id_on": paid.isoformat()})
            expect(page.locator(".status")).to_have_text("办理中")
            expect(page.locator("dl.fields")).to_contain_text("1100.00 元")
            page.screenshot(path=str(SHOT), full_page=True)

            # 4. Section 六 states the fee and links to the application.
            page.goto(live_server.url + reverse("web:report", args=["xxgk", "A1", paid.year]))
            fee = page.locator("p[data-key='fees'] a")
            expect(fee).to_contain_text("本年度共收取信息处理费1100.00元")
            with page.expect_navigation():
                fee.click()
            expect(page.locator("table.grid tbody")).to_contain_text(app.number)
            assert not errors, errors
        finally:
            browser.close()

    app = Application.objects.get(pk=app.pk)
    assert (app.fee_paid_on, str(app.fee_amount)) == (paid, "1100.00")
    assert list(app.events.values_list("kind", flat=True)) == [
        "registered",
        "fee_notice",
        "served",
        "fee_paid",
    ]
