"""A 不予公开 reply in real Chromium: the form offers the outcome's legal basis, refuses a reply
without reasons, and the 答复告知书 it produces downloads from the timeline with the reasons,
the basis and the remedies in it."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import docx
import pytest
from django.utils import timezone

from conftest import require_in_ci
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS, Session

SHOT = Path("/tmp/fazhi-browser-letter.png")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_withholding_reply_with_its_reasons_and_letter(
    live_server: Any, transactional_db: Any, cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not os.path.exists(CHROMIUM):
        require_in_ci(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from fazhi.core.letters.models import Letter
    from fazhi.ledgers.disclosure import actions

    today = timezone.localdate()
    app = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=today - dt.timedelta(days=3),
        applicant_category="natural_person",
        applicant_name="李四",
        content="街道办事处主任办公会议纪要",
        contact="13900000000",
        id_number="11010519491231002X",
    )
    detail_url = f"{live_server.url}/l/disclosure/{app.pk}/"
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
            with page.expect_navigation():
                page.locator(".moves").get_by_role("link", name="答复", exact=True).click()
            page.fill("#id_on", today.isoformat())
            page.select_option("#id_outcome", "withheld_6")
            # The basis of the outcome is offered, and may be edited.
            expect(page.locator("#id_basis")).to_have_value(
                "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项"
            )
            with page.expect_navigation():
                page.get_by_role("button", name="确认答复", exact=True).click()
            expect(page.locator("#id_reasons_error")).to_contain_text("请写明不予公开的理由")
            page.fill("#id_reasons", "所申请的会议纪要属于行政机关内部讨论形成的过程性信息")
            with page.expect_navigation():
                page.get_by_role("button", name="确认答复", exact=True).click()
            expect(page.locator(".messages")).to_contain_text("已完成「答复」")
            timeline = page.locator("ol.timeline")
            expect(timeline).to_contain_text("理由：所申请的会议纪要属于")
            link = timeline.get_by_role(
                "link", name=f"答复告知书（不予公开） 〔{today.year}〕第1号"
            )
            expect(link).to_have_count(1)
            page.screenshot(path=str(SHOT), full_page=True)
            with page.expect_download() as info:
                link.click()
            download = info.value
            assert (
                download.suggested_filename == f"答复告知书（不予公开）〔{today.year}〕第1号.docx"
            )
            data = Path(download.path()).read_bytes()
            assert not errors, errors
        finally:
            browser.close()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "李四：" in text
    assert "理由：所申请的会议纪要属于行政机关内部讨论形成的过程性信息" in text
    assert "第十六条第二款" in text and "六个月内向人民法院提起行政诉讼" in text
    assert Letter.objects.get().number == f"〔{today.year}〕第1号"
