"""Directory sign-in in real Chromium: the login page takes a directory password, and says so
when the directory cannot be reached."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.urls import reverse

from conftest import require_in_ci
from fazhi.core.directory.tests.conftest import enable_directory
from fazhi.core.directory.tests.slapd import PASSWORD, Slapd, free_port
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS

SHOT = Path("/tmp/fazhi-browser-directory-down.png")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_directory_sign_in_in_chromium(
    live_server: Any,
    transactional_db: Any,
    directory: Slapd,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not os.path.exists(CHROMIUM):
        require_in_ci(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    def sign_in(page: Any, username: str) -> None:
        page.goto(live_server.url + reverse("login"))
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("button:has-text('登录')")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700}, locale="zh-CN")
            page.set_default_timeout(TIMEOUT_MS)
            sign_in(page, "zhangsan")
            expect(page.locator("header form.logout")).to_be_visible()  # signed in
            expect(page.locator("#id_password")).to_have_count(0)
            with page.expect_navigation():
                page.click("header .logout button")

            enable_directory(
                settings, directory.env(FAZHI_LDAP_URI=f"ldap://127.0.0.1:{free_port()}")
            )
            sign_in(page, "zhangsan")
            expect(page.locator("form .error")).to_contain_text(
                "暂时无法连接统一身份认证（目录）服务器"
            )
            expect(page.locator("#id_username")).to_be_visible()
            page.screenshot(path=str(SHOT), full_page=True)
        finally:
            connections.close_all()  # the ORM's connection from Playwright's loop (see tasks)
            browser.close()
