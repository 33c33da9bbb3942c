"""The task page in real Chromium: it follows a queued run while the worker works, then shows
the result without the user reloading (app.js; the CSP allows no inline script)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.urls import reverse

from conftest import PASSWORD, require_in_ci
from fazhi.core.tasks.actions import start_task
from fazhi.core.tasks.runner import run_queued

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
SHOT = Path("/tmp/fazhi-browser-task.png")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_page_follows_the_run_to_its_result(
    live_server: Any, cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not os.path.exists(CHROMIUM):
        require_in_ci(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    run = start_task("test_count", by=cast.a_clerk, unit=cast.street_a, n=250)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 800}, locale="zh-CN")
            page.set_default_timeout(20_000)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(live_server.url + reverse("login"))
            page.fill("#id_username", "a_clerk")
            page.fill("#id_password", PASSWORD)
            with page.expect_navigation():
                page.click("button:has-text('登录')")
            page.goto(live_server.url + reverse("tasks:detail", args=[run.pk]))
            expect(page.locator("[data-task-field=status_label]")).to_have_text("排队中")
            run_queued()  # the worker, while the page is open
            expect(page.locator(".result.ok h2")).to_have_text("结果")
            expect(page.locator("[data-task-field=status_label]")).to_have_text("已完成")
            expect(page.locator("[data-task-field=counts]")).to_have_text("250 / 250（100%）")
            expect(page.locator(".result.ok")).to_contain_text("已完成：处理 250 条")
            page.screenshot(path=str(SHOT), full_page=True)
            assert errors == []
        finally:
            # The ORM got a connection of its own inside Playwright's event loop: close it here,
            # or PostgreSQL refuses to drop the test database at the end of the session.
            connections.close_all()
            browser.close()
