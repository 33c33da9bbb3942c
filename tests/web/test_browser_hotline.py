"""The 12345 hotline in real Chromium: a clerk maps a platform's own headers once (previewing a
sample file), imports an export with them, imports a second file of the same shape without
being asked which mapping, and finds the overdue order on 待办.

The live server runs in another thread, so the dates are relative to the real today. Screenshots
go to pytest's tmp dir and /tmp/fazhi-browser-hotline-*.png.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from conftest import require_in_ci
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS, Session

HEADERS = ["工单号", "受理时间", "诉求分类", "诉求描述", "承办部门", "转办时间", "坐席"]
MAPPED = {
    "number": "工单号",
    "called_at": "受理时间",
    "category": "诉求分类",
    "content": "诉求描述",
    "handler": "承办部门",
    "dispatched_at": "转办时间",
}


def platform_csv(path: Path, rows: list[list[str]]) -> Path:
    lines = [",".join(HEADERS)] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="gb18030")  # as many platforms write it
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_import_with_a_saved_mapping_then_the_overdue_order_on_todo(
    live_server: Any, cast: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if not os.path.exists(CHROMIUM):
        require_in_ci(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from fazhi.core.tasks.runner import run_queued
    from fazhi.ledgers.hotline.models import HeaderMapping, Status, WorkOrder

    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    old = now - dt.timedelta(days=12)  # a 咨询 dispatched then is long overdue (1 工作日)
    recent = now - dt.timedelta(hours=2)

    def stamp(t: dt.datetime) -> str:
        return t.strftime("%Y/%m/%d %H:%M")

    first = platform_csv(
        tmp_path / "区平台导出-1.csv",
        [
            [
                "HX-0001",
                stamp(old),
                "咨询",
                "咨询社保缴费标准及办理地点",
                "东湖街道",
                stamp(old + dt.timedelta(minutes=30)),
                "07",
            ],
            ["HX-0002", stamp(recent), "投诉", "楼下烧烤店油烟扰民", "东湖街道", "", "07"],
        ],
    )
    second = platform_csv(
        tmp_path / "区平台导出-2.csv",
        [["HX-0003", stamp(recent), "建议", "建议学校门口增设减速带", "东湖街道", "", "11"]],
    )
    shots: dict[str, Path] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(TIMEOUT_MS)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

            def shot(name: str) -> None:
                shots[name] = tmp_path / f"hotline-{name}.png"
                page.screenshot(path=str(shots[name]), full_page=True)
                page.screenshot(path=f"/tmp/fazhi-browser-hotline-{name}.png", full_page=True)

            session = Session(page, live_server.url)
            session.login("a_clerk")
            page.click("nav a:has-text('12345热线工单')")
            with page.expect_navigation():
                page.click("a:has-text('导入工单（表头映射）')")
            with page.expect_navigation():
                page.click("a:has-text('设置表头映射')")

            # 1. Map the platform's headers once, looking at a sample first.
            expect(page.locator("h1")).to_have_text("新建表头映射")
            page.fill("#id_name", "区12345平台")
            for key, header in MAPPED.items():
                page.fill(f"#id_col_{key}", header)
            page.set_input_files("#id_preview", str(first))
            with page.expect_navigation():
                page.click("button:has-text('预览样例')")
            preview = page.locator("section.card", has_text="样例文件的表头")
            expect(preview.locator("thead")).to_contain_text("受理时间")
            expect(preview.locator("tbody")).to_contain_text("咨询社保缴费标准")  # GB18030 read
            shot("mapping-preview")
            with page.expect_navigation():
                page.click("button:has-text('保存映射')")
            expect(page.locator("h1")).to_have_text("表头映射「区12345平台」")
            saved = HeaderMapping.objects.get()
            assert saved.unit == cast.street_a and saved.columns["number"] == "工单号"

            # 2. Import the first export: the saved mapping is recognised.
            def upload(path: Path) -> None:
                with page.expect_navigation():
                    page.click("a:has-text('导入')")
                expect(page.locator("#id_mapping")).to_have_value("__auto__")  # nothing to pick
                page.set_input_files("#id_file", str(path))
                with page.expect_navigation():
                    page.click("button:has-text('上传并导入')")
                expect(page.locator("[data-task-field=status_label]")).to_have_text("排队中")
                run_queued()  # the worker, while the page is open
                expect(page.locator("[data-task-field=status_label]")).to_have_text("已完成")

            upload(first)
            result = page.locator(".result.ok")
            expect(result).to_contain_text("按表头映射「区12345平台」读取")
            expect(result).to_contain_text("新工单 2 件")
            shot("import-done")

            # 3. A second file of the same shape imports without asking.
            page.click("nav a:has-text('12345热线工单')")
            upload(second)
            expect(result).to_contain_text(
                "按表头映射「区12345平台」读取，共 1 行：已导入新工单 1 件"
            )
            assert WorkOrder.objects.count() == 3

            # 4. The overdue order is on 待办.
            overdue = WorkOrder.objects.get(number="HX-0001")
            assert overdue.status == Status.HANDLING and overdue.due_on is not None
            assert overdue.due_on < now.date()
            with page.expect_navigation():
                page.click("nav a:has-text('待办')")
            card = page.locator("section.card").filter(
                has=page.locator("h2", has_text="12345热线工单")
            )
            expect(card.locator("h3", has_text="逾期")).to_contain_text("1 件")
            expect(card).to_contain_text("HX-0001")
            shot("todo")
            with page.expect_navigation():
                card.get_by_role("link", name="HX-0001").first.click()
            expect(page.locator(".status")).to_have_text("办理中")
            expect(page.locator("dl.fields")).to_contain_text("按本系统时限设置计算")
            batch = page.locator("dl.fields dd").last  # the batch, at local time like the rest
            expect(batch).to_contain_text(f"区平台导出-1.csv（{timezone.localtime():%Y-%m-%d} ")
            shot("detail")
            assert errors == []
        finally:
            connections.close_all()
            browser.close()
