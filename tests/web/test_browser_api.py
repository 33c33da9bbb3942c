"""The API in real Chromium (issue 10, item 4): the district admin issues a token at 接口令牌 and
copies it from the page; the docs page at /api/docs renders Swagger UI with every operation from
this server alone (every request the page makes is to it; no CSP violation); the token then
reads through the API and, once revoked on the page, no longer does.

Screenshots go to pytest's tmp dir (run with --basetemp to keep them somewhere known).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from conftest import require_in_ci
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS, Session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_issues_a_token_the_docs_render_offline_and_revoking_stops_it(
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

    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(TIMEOUT_MS)
            page.on("dialog", lambda dialog: dialog.accept())
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            requested: list[str] = []
            page.on("request", lambda r: requested.append(r.url))
            session = Session(page, base)
            session.login("admin")

            page.goto(base + reverse("tokens:list"))
            page.fill("#id_add-name", "区12345平台")
            page.select_option("#id_add-unit", "A1")
            page.select_option("#id_add-scope", "read")
            with page.expect_navigation():
                page.click("button:has-text('新建令牌')")
            token = page.locator("#api-token").inner_text().strip()
            assert token.startswith("fz_")
            page.screenshot(path=str(tmp_path / "01-token.png"), full_page=True)

            requested.clear()
            page.goto(base + "/api/docs")
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("fazhi 数据接口")
            expect(
                page.locator(".opblock-summary-path", has_text="/api/v1/petitions").first
            ).to_be_visible()
            expect(
                page.locator(".opblock-summary-path", has_text="/api/v1/toy/{unit}/{number}").first
            ).to_be_visible()
            page.screenshot(path=str(tmp_path / "02-docs.png"), full_page=True)
            outside = [u for u in requested if not u.startswith(base) and not u.startswith("data:")]
            assert outside == [], outside
            assert any(u.endswith("/api/v1/openapi.json") for u in requested)
            assert errors == [], errors

            api = page.request
            headers = {"Authorization": f"Bearer {token}"}
            listed = api.get(base + "/api/v1/petitions", headers=headers)
            assert listed.status == 200 and listed.json() == {"items": [], "next_cursor": None}

            page.goto(base + reverse("tokens:list"))
            with page.expect_navigation():
                page.locator("#tokens button:has-text('吊销')").click()
            expect(page.locator(".messages")).to_contain_text("已吊销令牌「区12345平台」")
            refused = api.get(base + "/api/v1/petitions", headers=headers)
            assert refused.status == 401
            assert refused.json()["errors"][0]["loc"] == ["header", "Authorization"]
        finally:
            browser.close()
