"""One 信访事项 in real Chromium: the clerk registers and accepts it and asks for an extension;
the head of the 街道 sees the request on 待办 and approves it from the detail page; the clerk
issues the 信访处理意见书 and records the petitioner's request for a 复查.

The live server runs in another thread, so the dates are relative to the real today. Screenshots
go to pytest's tmp dir (run with --basetemp to keep them somewhere known).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from conftest import require_in_ci
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS, Session

# WhiteNoise warns when var/static/ (STATIC_ROOT) has not been collected; tests serve from finders.


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_petition_from_registration_to_a_review_request(
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

    from fazhi.core.workflow import moves_by_code
    from fazhi.ledgers.petitions.models import EventKind, Petition
    from fazhi.ledgers.petitions.workflow import MOVES

    labels = {code: move.label for code, move in moves_by_code(MOVES).items()}
    today = timezone.localdate()
    received = today - dt.timedelta(days=10)
    accepted = today - dt.timedelta(days=8)
    asked = today - dt.timedelta(days=3)
    approved = today - dt.timedelta(days=2)
    told = today - dt.timedelta(days=1)
    base = live_server.url
    shots: dict[str, Path] = {}

    def zh(day: dt.date) -> str:
        return f"{day.year}年{day.month}月{day.day}日"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(TIMEOUT_MS)
            confirms: list[str] = []

            def accept_dialog(dialog: Any) -> None:
                confirms.append(dialog.message)
                dialog.accept()

            page.on("dialog", accept_dialog)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

            session = Session(page, base)
            login, logout = session.login, session.logout

            def run_move(
                code: str, fields: dict[str, str], selects: dict[str, str] | None = None
            ) -> None:
                session.run_move(labels[code], fields, selects)

            def shot(name: str) -> None:
                shots[name] = tmp_path / f"petition-{name}.png"
                page.screenshot(path=str(shots[name]), full_page=True)

            clock = page.locator(".clock")

            # 1. The clerk registers the matter.
            login("a_clerk")
            page.click("nav a:has-text('信访事项')")
            with page.expect_navigation():
                page.click("a:has-text('登记信访事项')")
            page.fill("#id_received_on", received.isoformat())
            page.select_option("#id_form", "letter")
            page.select_option("#id_source", "direct")
            page.select_option("#id_category", "appeal")
            page.fill("#id_petitioner", "张三丰")
            page.fill("#id_address", "东湖街道幸福路8号")
            page.fill("#id_contact", "13912345678")
            page.fill("#id_content", "反映小区停车位被长期占用，要求物业整改")
            with page.expect_navigation():
                page.click("button:has-text('登记')")
            expect(page.locator(".messages")).to_contain_text("已登记")
            number = page.locator("h1").inner_text().split()[0]
            assert re.fullmatch(rf"XF-{received.year}-\d{{4}}", number), number
            detail_url = page.url
            expect(page.locator(".status")).to_have_text("待受理")
            expect(clock.first.locator("h2")).to_contain_text("书面告知期限")
            expect(clock.first).to_contain_text("期限：15日（《信访工作条例》第二十三条）")
            expect(page.locator("dl.fields")).to_contain_text("张三丰")  # full, to the clerk

            # The list masks the name.
            page.click("nav a:has-text('信访事项')")
            row = page.locator("table.grid tbody tr", has_text=number)
            expect(row).to_contain_text("张**")
            expect(row).not_to_contain_text("张三丰")
            page.goto(detail_url)

            # 2. 受理: the 60日 run from its date.
            run_move("accept", {"#id_on": accepted.isoformat(), "#id_note": "本街道职权范围内"})
            expect(page.locator(".status")).to_have_text("办理中")
            handle = clock.filter(has_text="办理期限")
            expect(handle).to_contain_text(f"起算：受理之日 {zh(accepted)}")
            expect(handle).to_contain_text("期限：60日（《信访工作条例》第三十四条）")

            # 3. The clerk asks the head for 20 more days.
            run_move(
                "request_extension",
                {
                    "#id_on": asked.isoformat(),
                    "#id_days": "20",
                    "#id_reason": "涉及住建、城管多部门",
                },
            )
            expect(page.locator("p.note")).to_contain_text("待批准延期：已提出申请，等待决定")
            expect(page.locator(".moves")).not_to_contain_text(labels["extend"])
            logout()

            # 4. The head sees it on 待办 and approves it from the detail page.
            login("a_leader")
            card = page.locator("section.card").filter(has=page.locator("h2", has_text="信访事项"))
            pending = card.locator("h3", has_text="待批准延期")
            expect(pending).to_contain_text("1 件")
            expect(card).to_contain_text(number)
            shot("todo")
            with page.expect_navigation():
                card.get_by_role("link", name=number).first.click()
            assert page.url == detail_url
            run_move(
                "extend",
                {
                    "#id_on": approved.isoformat(),
                    "#id_told_on": told.isoformat(),
                    "#id_reason": "涉及多部门协调，同意延长",
                },
            )
            assert confirms[-1].startswith("延期只能一次、最长30日"), confirms
            expect(handle).to_contain_text(
                "经本机关负责人批准延长：再延长20日（《信访工作条例》第三十四条）"
            )
            stored = Petition.objects.get(number=number)
            assert stored.handle_due_on is not None
            assert stored.handle_due_on >= accepted + dt.timedelta(days=80)
            expect(handle.locator("h2")).to_contain_text(f"办理期限：{zh(stored.handle_due_on)}")
            expect(handle).to_contain_text(f"到期日：{zh(stored.handle_due_on)}")
            expect(page.locator("p.note")).to_have_count(0)
            # Nothing else is the head's to do here: no hearing was held (nor can be, outside a
            # 复核), and the 意见书 is the handler's.
            expect(page.locator(".moves")).to_have_count(0)
            expect(page.locator("ol.timeline")).to_contain_text(
                f"延长20日，{told.isoformat()} 告知信访人"
            )
            shot("extended")
            logout()

            # 5. The clerk issues the 信访处理意见书, then records the request for a 复查.
            login("a_clerk")
            page.goto(detail_url)
            run_move(
                "opinion",
                {
                    "#id_on": today.isoformat(),
                    "#id_basis": "《某市物业管理条例》第三十五条",
                    "#id_note": "经调查，物业已整改",
                },
                {"#id_result": "support"},
            )
            assert confirms[-1].startswith("出具意见书后本事项即办结"), confirms
            expect(page.locator(".status")).to_have_text("已答复")
            expect(page.locator("dl.fields")).to_contain_text("支持")
            expect(page.locator("dl.fields")).to_contain_text("按期办结")
            expect(clock.filter(has_text="申请复查期限")).to_contain_text(
                "期限：30日（《信访工作条例》第三十五条）"
            )
            run_move("review_requested", {"#id_on": today.isoformat(), "#id_to": "示例区人民政府"})
            expect(page.locator(".status")).to_have_text("复查中")
            timeline = page.locator("ol.timeline")
            for step in (
                EventKind.REGISTERED.label,
                EventKind.ACCEPTED.label,
                EventKind.EXTENSION_REQUESTED.label,
                EventKind.EXTENDED.label,
                EventKind.OPINION.label,
                EventKind.REVIEW_REQUESTED.label,
            ):
                expect(timeline).to_contain_text(step)
            expect(timeline).to_contain_text("向 示例区人民政府 申请复查")
            shot("review")
            assert not errors, errors
        finally:
            # The ORM got a connection of its own inside Playwright's event loop: close it here,
            # or PostgreSQL refuses to drop the test database at the end of the session.
            connections.close_all()
            browser.close()

    p_ = Petition.objects.get(number=number)
    assert (p_.status, p_.result, p_.replied_on, p_.handler) == (
        "under_review",
        "support",
        today,
        cast.a_clerk,
    )
    assert list(p_.events.values_list("kind", "by__username")) == [
        ("registered", "a_clerk"),
        ("accepted", "a_clerk"),
        ("extension_requested", "a_clerk"),
        ("extended", "a_leader"),
        ("opinion", "a_clerk"),
        ("review_requested", "a_clerk"),
    ]
    for path in shots.values():
        assert path.stat().st_size > 10_000, path
