"""Accounts in real Chromium (issue 8, item 8): the district admin adds a 街道 and a clerk for
it; the clerk signs in with the one-time password and must set their own before anything else;
a wrong-password streak locks another user; the admin lifts the lock from the web and that user
signs in again.

Screenshots go to pytest's tmp dir (run with --basetemp to keep them somewhere known).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import PASSWORD, require_in_ci
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS, Session

NEW_PASSWORD = "Donghu-Shequ-2027"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_adds_a_street_and_a_clerk_and_lifts_a_lock(
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

    from fazhi.core.audit.models import AuditEvent
    from fazhi.core.tenancy.models import OrgUnit, UserProfile

    base = live_server.url
    shots: list[Path] = []
    limit = settings.AXES_FAILURE_LIMIT

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
                path = tmp_path / f"{len(shots):02d}-{name}.png"
                page.screenshot(path=str(path), full_page=True)
                shots.append(path)

            def sign_in(username: str, password: str) -> None:
                page.goto(base + reverse("login"))
                page.fill("#id_username", username)
                page.fill("#id_password", password)
                with page.expect_navigation():
                    page.click("button:has-text('登录')")

            # 1. The district admin adds a 街道 under the district.
            session.login("admin")
            with page.expect_navigation():
                page.click("header nav a:has-text('单位与用户')")
            with page.expect_navigation():
                page.click("nav.tabs a:has-text('单位')")
            page.select_option("#id_add-parent", "D1")
            page.fill("#id_add-code", "C1")
            page.fill("#id_add-name", "南湖街道")
            page.select_option("#id_add-kind", "street")
            with page.expect_navigation():
                page.click("#add-unit button")
            expect(page.locator(".messages")).to_contain_text("已添加单位：南湖街道（C1）")
            assert OrgUnit.objects.get(code="C1").parent == cast.district
            shot("unit-added")

            # 2. ... and a clerk for it; the one-time password is shown once.
            with page.expect_navigation():
                page.click("nav.tabs a:has-text('用户')")
            page.fill("#id_add-username", "nh_luru")
            page.fill("#id_add-name", "钱多多")
            page.select_option("#id_add-unit", "C1")
            page.select_option("#id_add-role", "clerk")
            with page.expect_navigation():
                page.click("#add-user button")
            expect(page.locator("h1")).to_have_text("已添加用户")
            one_time = page.locator("#one-time-password").inner_text().strip()
            assert len(one_time) >= 12
            shot("one-time-password")
            session.logout()

            # 3. The clerk signs in with it and must set a password before anything else.
            sign_in("nh_luru", one_time)
            expect(page.locator("#password-must-change")).to_be_visible()
            page.goto(base + reverse("web:list", args=["disclosure"]))
            expect(page.locator("#password-must-change")).to_be_visible()  # still held here
            page.fill("#id_old_password", one_time)
            page.fill("#id_new_password1", "12345678")
            page.fill("#id_new_password2", "12345678")
            with page.expect_navigation():
                page.click("#password-change-submit")
            body = page.locator("#password-change").inner_text()
            assert "数字" in body and "This password" not in body  # refused, in Chinese
            shot("password-refused")
            page.fill("#id_old_password", one_time)
            page.fill("#id_new_password1", NEW_PASSWORD)
            page.fill("#id_new_password2", NEW_PASSWORD)
            with page.expect_navigation():
                page.click("#password-change-submit")
            expect(page.locator("header .me")).to_have_text("钱多多")
            page.goto(base + reverse("web:list", args=["disclosure"]))
            expect(page.locator("h1")).to_contain_text("政府信息公开申请")
            profile = UserProfile.objects.get(user__username="nh_luru")
            assert not profile.must_change_password and profile.unit.code == "C1"
            session.logout()

            # 4. A wrong-password streak locks b_clerk.
            for _ in range(limit):
                sign_in("b_clerk", "wrong-password")
            expect(page.locator("body")).to_contain_text("登录已暂时锁定")
            sign_in("b_clerk", PASSWORD)  # the right password no longer helps
            expect(page.locator("body")).to_contain_text("登录已暂时锁定")
            shot("locked")
            # The lock page answers 429, which the console reports as a failed load.
            assert all("429" in e for e in errors), errors
            errors.clear()

            # 5. The admin lifts the lock from the web; b_clerk signs in again.
            session.login("admin")
            with page.expect_navigation():
                page.click("#nav-locks")
            row = page.locator("tr.lock[data-username='b_clerk']")
            expect(row).to_have_count(1)
            shot("locks")
            with page.expect_navigation():
                row.get_by_role("button", name="解锁").click()
            expect(page.locator("tr.lock[data-username='b_clerk']")).to_have_count(0)
            session.logout()
            session.login("b_clerk")
            assert errors == [], errors
        finally:
            browser.close()

    codes = set(AuditEvent.objects.values_list("code", flat=True))
    assert {
        "tenancy.unit.added",
        "tenancy.user.created",
        "accounts.password.changed",
        "accounts.lock.locked",
        "accounts.lock.lifted",
    } <= codes
    assert all(s.stat().st_size > 10_000 for s in shots)
