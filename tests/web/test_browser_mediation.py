"""人民调解 in real Chromium. A 社区 clerk registers a dispute, assigns a mediator, records a
调解记录 and the written agreement: the 司法确认 30日 window appears on the detail page with
its explanation, and the case's dossier (一案一册) downloads with every part. A second dispute
the 社区 cannot resolve is handed up to the 街道 (an agreed case has nothing left to escalate:
`hand_up` runs from 调解中 only); the 街道 clerk takes it over with the 街道's committee; the
社区 clerk still opens it, read-only, with its parties masked.

The live server runs in another thread, so the dates are relative to the real today. Screenshots
go to pytest's tmp dir (run with --basetemp to keep them somewhere known).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from conftest import PASSWORD, require_in_ci
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS, Session


def zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(io.BytesIO(path.read_bytes()))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mediation_from_registration_to_agreement_and_hand_up(
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

    from fazhi.ledgers.mediation.models import Case, EventKind
    from fazhi.ledgers.mediation.tests.world import make_med
    from fazhi.ledgers.mediation.workflow import CASE_MOVES

    med = make_med(cast)
    med.c_clerk.set_password(PASSWORD)
    med.c_clerk.save(update_fields=["password"])
    community_mediator = med.community_committee.mediators.get(name="王强")
    street_mediator = med.street_committee.mediators.get(name="赵敏")
    labels = {m.code: m.label for m in CASE_MOVES}
    today = timezone.localdate()
    received = today - dt.timedelta(days=6)
    assigned = today - dt.timedelta(days=5)
    met = today - dt.timedelta(days=3)
    agreed = today - dt.timedelta(days=1)
    base = live_server.url
    shots: dict[str, Path] = {}

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True
            )
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            confirms: list[str] = []

            def accept_dialog(dialog: Any) -> None:
                confirms.append(dialog.message)
                dialog.accept()

            page.on("dialog", accept_dialog)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            session = Session(page, base)

            def run_move(
                code: str, fields: dict[str, str], selects: dict[str, str] | None = None
            ) -> None:
                session.run_move(labels[code], fields, selects)

            def shot(name: str) -> None:
                shots[name] = tmp_path / f"mediation-{name}.png"
                page.screenshot(path=str(shots[name]), full_page=True)

            def register(summary: str, person: str, org: str) -> str:
                page.click("nav a:has-text('人民调解案件')")
                with page.expect_navigation():
                    page.click("a:has-text('受理纠纷')")
                page.fill("#id_received_on", received.isoformat())
                page.select_option("#id_source", "application")
                page.select_option("#id_dispute_type", "neighbour")
                page.fill("#id_summary", summary)
                page.select_option("#id_p1_kind", "person")
                page.fill("#id_p1_name", person)
                page.fill("#id_p1_contact", "13900001111")
                page.fill("#id_p1_address", "东湖路1号3栋502")
                page.select_option("#id_p2_kind", "org")
                page.fill("#id_p2_name", org)
                with page.expect_navigation():
                    page.click("form button:has-text('登记')")
                expect(page.locator(".messages")).to_contain_text("已登记")
                return page.locator("h1").inner_text().split()[0]

            def add_session(on: dt.date, content: str, result: str) -> None:
                page.click("summary:has-text('添加调解记录')")
                page.fill("#id_sessions-on", on.isoformat())
                page.fill("#id_sessions-place", "东湖社区调解室")
                page.fill("#id_sessions-present", "双方当事人、调解员王强")
                page.fill("#id_sessions-content", content)
                page.select_option("#id_sessions-result", result)
                with page.expect_navigation():
                    page.click("form[action$='/c/sessions/add/'] button[type=submit]")
                expect(page.locator(".messages")).to_contain_text("已添加调解记录")

            clock = page.locator(".clock")

            # 1. The 社区 clerk registers a dispute: the one-month target runs.
            session.login("c_clerk")
            number = register("楼上卫生间漏水致楼下墙面受损", "张三丰", "东湖物业服务有限公司")
            assert re.fullmatch(rf"TJ-A1C1-{received.year}-\d{{4}}", number), number
            expect(page.locator(".status")).to_have_text("调解中")
            expect(clock.first.locator("h2")).to_contain_text("调结目标期限")
            fields = page.locator("dl.fields")
            expect(fields).to_contain_text("东湖社区人民调解委员会")
            expect(page.locator("table.grid").first).to_contain_text("张三丰")  # the handler

            # 2. Assign the mediator, then record a session (调解记录, a child row).
            run_move(
                "assign",
                {"#id_on": assigned.isoformat()},
                {"#id_mediator": str(community_mediator.pk)},
            )
            expect(fields).to_contain_text("王强")
            add_session(met, "听取双方陈述，查看漏水现场；楼上住户同意承担维修费用", "agreed")
            sessions = page.locator("h2:has-text('调解记录') + table.grid")
            expect(sessions).to_contain_text("东湖社区调解室")
            expect(sessions).to_contain_text("达成一致")

            # 3. The written agreement: the 司法确认 window of 30日 opens on its effective day.
            run_move(
                "written",
                {
                    "#id_on": agreed.isoformat(),
                    "#id_agreement": "楼上住户承担维修费用2800元，于本月20日前付清",
                },
            )
            assert confirms[-1].startswith("协议经各方当事人签名"), confirms
            expect(page.locator(".status")).to_have_text("已达成协议")
            stored = Case.objects.get(number=number)
            due = stored.confirmation_due_on
            assert due is not None and due >= agreed + dt.timedelta(days=30)
            window = clock.filter(has_text="司法确认申请期限")
            expect(window.locator("h2")).to_contain_text(f"司法确认申请期限：{zh(due)}")
            expect(window).to_contain_text(f"起算：书面调解协议生效之日 {zh(agreed)}")
            expect(window).to_contain_text(
                "期限：30日（《人民调解法》第三十三条、《民事诉讼法》第二百零五条）"
            )
            expect(window).to_contain_text("双方当事人可在此前共同向人民法院申请司法确认")
            expect(page.locator(".moves")).to_contain_text(labels["apply_confirmation"])
            expect(page.locator(".moves")).not_to_contain_text(labels["hand_up"])
            shot("agreed")

            # 4. 一案一册: the dossier downloads with its parts.
            with page.expect_download() as got:
                page.click("a.dossier")
            dossier = tmp_path / "dossier.docx"
            got.value.save_as(dossier)
            text = docx_text(dossier)
            for part in (
                "一、人民调解受理登记表",
                "二、调解记录",
                "三、人民调解协议书",
                "四、回访记录",
            ):
                assert part in text, part
            assert number in text and "张三丰（自然人）" in text
            assert "楼上住户承担维修费用2800元" in text
            assert f"{zh(due)}前）共同向人民法院申请司法确认" in text

            # 5. A second dispute the 社区 cannot resolve goes up to the 街道.
            second = register("相邻通道被长期占用，多次协商未果", "李四", "东湖建筑工程有限公司")
            second_url = page.url
            run_move(
                "assign",
                {"#id_on": assigned.isoformat()},
                {"#id_mediator": str(community_mediator.pk)},
            )
            add_session(met, "双方分歧较大，建议上报街道调委会", "continue")
            run_move("hand_up", {"#id_on": today.isoformat(), "#id_note": "涉及规划许可"})
            assert confirms[-1].startswith("上报后由上级单位的调解组织受理"), confirms
            expect(page.locator(".status")).to_have_text("已上报，待上级受理")
            expect(fields).to_contain_text("东湖社区 → 东湖街道")
            expect(page.locator(".moves")).to_have_count(0)
            session.logout()

            # 6. The 街道 clerk finds it in the list and takes it over with the 街道's committee.
            session.login("a_clerk")
            page.click("nav a:has-text('人民调解案件')")
            row = page.locator("table.grid tbody tr", has_text=second)
            expect(row).to_contain_text("东湖街道")
            expect(row).to_contain_text("李*")
            with page.expect_navigation():
                row.get_by_role("link", name=second).click()
            assert page.url == second_url
            run_move(
                "take_over",
                {"#id_on": today.isoformat()},
                {
                    "#id_committee": str(med.street_committee.pk),
                    "#id_mediator": str(street_mediator.pk),
                },
            )
            expect(page.locator(".status")).to_have_text("调解中")
            expect(fields).to_contain_text("东湖街道人民调解委员会")
            expect(fields).to_contain_text("赵敏")
            expect(page.locator("table.grid").first).to_contain_text("李四")
            timeline = page.locator("ol.timeline")
            for kind in (EventKind.REGISTERED, EventKind.HANDED_UP, EventKind.TAKEN_OVER):
                expect(timeline).to_contain_text(kind.label)
            expect(timeline).to_contain_text("上报至 东湖街道")
            expect(page.locator(".moves")).to_contain_text(labels["written"])
            shot("taken-over")
            session.logout()

            # 7. The 社区 still opens it, with its history, but cannot act; parties masked.
            session.login("c_clerk")
            page.goto(second_url)
            expect(page.locator(".status")).to_have_text("调解中")
            expect(fields).to_contain_text("东湖街道人民调解委员会")
            expect(page.locator(".moves")).to_have_count(0)
            expect(page.locator("summary:has-text('添加调解记录')")).to_have_count(0)
            parties = page.locator("table.grid").first
            expect(parties).to_contain_text("李*")
            expect(parties).to_contain_text("139****1111")
            expect(parties).not_to_contain_text("李四")
            expect(page.locator("h2:has-text('调解记录') + table.grid")).to_contain_text(
                "双方分歧较大"
            )
            shot("read-only")
            assert not errors, errors
        finally:
            # The ORM got a connection of its own inside Playwright's event loop: close it here,
            # or PostgreSQL refuses to drop the test database at the end of the session.
            connections.close_all()
            browser.close()

    first = Case.objects.get(number=number)
    assert (first.status, first.outcome, first.effective_on) == ("agreed", "written", agreed)
    handed = Case.objects.get(number=second)
    assert (handed.unit, handed.status, handed.committee) == (
        cast.street_a,
        "mediating",
        med.street_committee,
    )
    assert list(handed.events.order_by("id").values_list("kind", "by__username")) == [
        ("registered", "c_clerk"),
        ("assigned", "c_clerk"),
        ("child_added", "c_clerk"),
        ("handed_up", "c_clerk"),
        ("taken_over", "a_clerk"),
    ]
    for path in shots.values():
        assert path.stat().st_size > 10_000, path
