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


# The steps of sending an annual report to the supervisor and reviewing it (core.submissions),
# shared by the flows of the two report kinds.


def send_generated(session: Session, kind: str, unit: str, year: int, note: str = "") -> None:
    """The unit's clerk sends the report as fazhi generates it (first time or again)."""
    from playwright.sync_api import expect

    page = session.page
    page.click("#nav-submissions")
    page.select_option("select[name=year]", str(year))
    with page.expect_navigation():
        page.click("button:has-text('查看')")
    row = page.locator(f"#own-submissions tr[data-kind={kind}][data-unit={unit}]")
    with page.expect_navigation():
        row.get_by_role("link", name="报送").click()
    expect(page.locator("#submit-warnings")).to_be_visible()
    page.check("input[name=source][value=generated]")
    if note:
        page.fill("#id_note", note)
    page.check("#id_confirm")
    with page.expect_navigation():
        page.click("#submit-report")
    expect(page.locator("#submission-state")).to_have_text("已报送")


def open_from_inbox(
    session: Session, kind: str, unit: str, unit_name: str, year: int, unsent: tuple[str, ...] = ()
) -> None:
    """The supervisor opens a unit's report of `kind` from the inbox (where the units of
    `unsent` show as 未报送)."""
    from playwright.sync_api import expect

    page = session.page
    page.click("#nav-inbox")
    page.select_option("select[name=kind]", kind)
    page.select_option("select[name=year]", str(year))
    with page.expect_navigation():
        page.click("button:has-text('筛选')")
    inbox_row = page.locator(f"#inbox tr[data-unit={unit}]")
    expect(inbox_row.locator(".state")).to_have_text("已报送")
    for code in unsent:
        expect(page.locator(f"#inbox tr[data-unit={code}] .state")).to_have_text("未报送")
    with page.expect_navigation():
        inbox_row.get_by_role("link", name=unit_name).click()


def return_with_comment(session: Session, paragraph: str, comment: str, note: str) -> None:
    """On the submission's page: a comment on one paragraph (`#p1`…), then 退回."""
    from playwright.sync_api import expect

    page = session.page
    passage = page.locator(paragraph)
    passage.locator("summary").click()
    passage.locator("textarea").fill(comment)
    with page.expect_navigation():
        passage.get_by_role("button", name="提出意见").click()
    expect(page.locator(f"{paragraph} .comment")).to_contain_text(comment)
    page.fill("#return-note", note)
    with page.expect_navigation():
        page.click("#return-button")
    expect(page.locator("#submission-state")).to_have_text("已退回")


def accept_and_publish(session: Session, detail_url: str) -> None:
    """On the submission's page (its URL, not read from the database: an ORM query inside the
    playwright block opens a second connection that outlives the test on PostgreSQL)."""
    from django.utils import timezone
    from playwright.sync_api import expect

    page = session.page
    page.goto(detail_url)
    with page.expect_navigation():
        page.click("#accept-button")
    expect(page.locator("#submission-state")).to_have_text("已接收")
    with page.expect_navigation():
        page.click("#publish-button")
    expect(page.locator("#submission-state")).to_have_text("已公开")
    expect(page.locator("#published-on")).to_have_text(f"{timezone.localdate():%Y-%m-%d}")
