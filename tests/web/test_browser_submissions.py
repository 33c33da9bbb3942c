"""Submission and review in real Chromium. 街道 A's clerk sends its 政府信息公开 report as
fazhi generates it (confirming the dialog); the district supervisor opens it from the inbox,
comments on a passage and returns it; the clerk reads the comment and the reasons, sends it
again; the supervisor accepts and publishes it; the public page (no login) lists it.

The live server runs in another thread, so the year is the real last year."""

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
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_submit_return_with_a_comment_resubmit_accept_publish(
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

    from fazhi.core.submissions.models import Submission

    year = timezone.localdate().year - 1
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

            def shot(name: str) -> None:
                page.screenshot(path=str(tmp_path / f"submissions-{name}.png"), full_page=True)

            # The clerk sends the generated report.
            session.login("a_clerk")
            page.click("#nav-submissions")
            page.select_option("select[name=year]", str(year))
            with page.expect_navigation():
                page.click("button:has-text('查看')")
            row = page.locator("#own-submissions tr[data-kind=xxgk][data-unit=A1]")
            expect(row.locator(".state")).to_have_text("未报送")
            with page.expect_navigation():
                row.get_by_role("link", name="报送").click()
            expect(page.locator("h1")).to_contain_text("政府信息公开工作年度报告")
            expect(page.locator("#submit-warnings")).to_be_visible()
            page.check("input[name=source][value=generated]")
            page.check("#id_confirm")
            with page.expect_navigation():
                page.click("#submit-report")
            expect(page.locator(".messages")).to_contain_text("已报送")
            expect(page.locator("#submission-state")).to_have_text("已报送")
            shot("sent")
            session.logout()

            # The supervisor finds it in the inbox, comments on a passage, returns it.
            session.login("jiandu")
            open_from_inbox(session, "xxgk", "A1", "东湖街道", year, unsent=("B1",))
            expect(page.locator("#figures, #paragraphs").first).to_be_visible()
            return_with_comment(
                session, "#p1", "标题应写明报告年度和单位全称", "请按第1段意见修改后重新报送"
            )
            shot("returned")
            session.logout()

            # The clerk reads the comment and sends it again.
            session.login("a_clerk")
            page.goto(f"{base}/")
            expect(page.locator("#todo-submissions")).to_contain_text("待修改重报")
            with page.expect_navigation():
                page.locator("#todo-submissions").get_by_role("link", name="待修改重报").click()
            expect(page.locator("#p1 .comment")).to_contain_text("标题应写明报告年度和单位全称")
            expect(page.locator("#return-notes")).to_contain_text("请按第1段意见修改")
            with page.expect_navigation():
                page.click("#resubmit")
            page.check("input[name=source][value=generated]")
            page.fill("#id_note", "已按意见修改")
            page.check("#id_confirm")
            with page.expect_navigation():
                page.click("#submit-report")
            expect(page.locator("#submission-state")).to_have_text("已报送")
            expect(page.locator("#timeline")).to_contain_text("修改后重新报送")
            # No ORM query inside the playwright block: its event loop would give this thread
            # a second database connection, left open past the test (PostgreSQL's DROP fails).
            detail_url = page.url
            session.logout()

            # The supervisor accepts and publishes.
            session.login("jiandu")
            accept_and_publish(session, detail_url)
            session.logout()

            # Anyone may read it on the public page.
            page.goto(f"{base}/public/reports/")
            public = page.locator("#public-reports")
            expect(public).to_contain_text("东湖街道")
            expect(public).to_contain_text("政府信息公开工作年度报告")
            with page.expect_download() as download:
                public.get_by_role("link", name="下载").click()
            assert download.value.suggested_filename.endswith(".docx")
            # Read to the end: the server's thread finishes (and closes its connection).
            assert Path(download.value.path()).read_bytes()[:2] == b"PK"
            shot("public")
            assert errors == []
        finally:
            browser.close()
    record = Submission.objects.get(unit__code="A1", kind="xxgk", year=year)
    assert record.status == "published" and record.versions.count() == 2
