"""What the browser flows share: how to launch Debian's Chromium, sign in and out, and make a
move from a record's detail page (its confirm() dialogs are accepted by the page's handler)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 20_000


@dataclass
class Session:
    page: Any
    base: str

    def login(self, username: str) -> None:
        from playwright.sync_api import expect

        self.page.goto(self.base + reverse("login"))
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("button:has-text('登录')")
        expect(self.page.locator("header .logout .me")).to_have_attribute(
            "title", f"登录名：{username}"
        )

    def logout(self) -> None:
        from playwright.sync_api import expect

        with self.page.expect_navigation():
            self.page.click("header .logout button")
        expect(self.page.locator("#id_username")).to_be_visible()

    def run_move(
        self, label: str, fields: dict[str, str], selects: dict[str, str] | None = None
    ) -> None:
        """Open a move from the detail page, fill its form, confirm."""
        from playwright.sync_api import expect

        page = self.page
        with page.expect_navigation():
            page.locator(".moves").get_by_role("link", name=label, exact=True).click()
        expect(page.locator("h1")).to_have_text(label)
        for selector, value in fields.items():
            page.fill(selector, value)
        for selector, value in (selects or {}).items():
            page.select_option(selector, value)
        with page.expect_navigation():
            page.get_by_role("button", name=f"确认{label}", exact=True).click()
        expect(page.locator(".messages")).to_contain_text(f"已完成「{label}」")
