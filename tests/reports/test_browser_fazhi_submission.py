"""Issue 11 item 8 in real Chromium, for the 法治政府建设情况报告: 街道 A's clerk writes a
sentence with a live figure and sends the report; the district supervisor comments on that
sentence and returns it; the clerk rewrites it (the live figure stays live) and sends it again;
the supervisor accepts and publishes; the public page offers it.

The live server runs in another thread, so the year is the real one."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import require_in_ci
from tests.web.browser import (
    ARGS,
    CHROMIUM,
    TIMEOUT_MS,
    Session,
    accept_and_publish,
    open_from_inbox,
    return_with_comment,
    send_generated,
)

from .conftest import add_case

LIVE = "{{toy.received=1}}"


@pytest.mark.browser
@pytest.mark.usefixtures("toy_passages")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_write_with_a_live_figure_send_return_fix_resend_accept_publish(
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
    from fazhi.core.submissions.models import Submission

    year = timezone.localdate().year
    add_case(cast.street_a, cast.a_clerk, on=timezone.localdate())
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

            def write(text_before: str, text_after: str) -> None:
                page.goto(f"{base}/reports/fazhi/A1/{year}/edit/")
                area = page.locator("#id_measures")
                area.fill("")
                area.type(text_before)
                page.click("button.token:has-text('收到示例案件：1')")
                area.press("End")
                area.type(text_after)
                expect(area).to_have_value(text_before + LIVE + text_after)
                with page.expect_navigation():
                    page.click("form button:has-text('保存')")
                expect(page.locator(".messages")).to_contain_text("报告文字已保存")

            # The clerk writes with a live figure and sends the report.
            session.login("a_clerk")
            write("全年收到示例案件", "件。")
            typed = page.locator("article.report p[data-key='measures']")
            expect(typed).to_have_text("全年收到示例案件1件。")
            send_generated(session, "fazhi", "A1", year)
            session.logout()

            # The supervisor comments on that sentence and returns the report.
            session.login("jiandu")
            open_from_inbox(session, "fazhi", "A1", "东湖街道", year, unsent=("B1",))
            sentence = page.locator("#paragraphs li", has_text="全年收到示例案件1件。")
            paragraph = "#" + sentence.get_attribute("id")
            return_with_comment(
                session, paragraph, "请写明案件的办理结果", "请按意见补充后重新报送"
            )
            session.logout()

            # The clerk reads the comment, rewrites the sentence and sends it again.
            session.login("a_clerk")
            page.goto(f"{base}/")
            with page.expect_navigation():
                page.locator("#todo-submissions").get_by_role("link", name="待修改重报").click()
            expect(page.locator(f"{paragraph} .comment")).to_contain_text("请写明案件的办理结果")
            write("全年收到示例案件", "件，均已依法办结。")
            expect(typed).to_have_text("全年收到示例案件1件，均已依法办结。")
            send_generated(session, "fazhi", "A1", year, note="已补充办理结果")
            expect(page.locator("#paragraphs")).to_contain_text("均已依法办结")
            detail_url = page.url
            session.logout()

            # Accepted and published; anyone may download it.
            session.login("jiandu")
            accept_and_publish(session, detail_url)
            session.logout()
            page.goto(f"{base}/public/reports/")
            public = page.locator("#public-reports")
            expect(public).to_contain_text("法治政府建设情况报告")
            with page.expect_download() as download:
                public.get_by_role("link", name="下载").click()
            assert Path(download.value.path()).read_bytes()[:2] == b"PK"
            page.screenshot(path=str(tmp_path / "fazhi-published.png"), full_page=True)
            assert errors == []
        finally:
            browser.close()
    record = Submission.objects.get(unit__code="A1", kind="fazhi", year=year)
    assert record.status == "published" and record.versions.count() == 2
    first, second = record.versions.order_by("pk")
    assert "全年收到示例案件1件。" in first.text and "均已依法办结" in second.text
    stored = ReportText.objects.get(unit=cast.street_a, kind="fazhi", year=year, key="measures")
    assert stored.text == "全年收到示例案件" + LIVE + "件，均已依法办结。"
