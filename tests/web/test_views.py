"""One client test per page for the happy path, then bad input through the web (DESIGN §6,
"Survives bad input"): a clear Chinese message, never a 500, never a partial write."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.imports.writing import write_xlsx
from fazhi.core.reports.models import ReportInput, ReportText
from fazhi.core.tasks.models import TaskRun
from fazhi.core.tasks.runner import run_queued
from fazhi.core.web.figures import figure_url
from fazhi.core.web.registry import get_report
from fazhi.ledgers.disclosure import actions
from fazhi.ledgers.disclosure.importing import SPEC
from fazhi.ledgers.disclosure.indicators import table3_code
from fazhi.ledgers.disclosure.models import Application, ApplicationEvent, EventKind, Status
from tests.data import NOTICE_2027

# WhiteNoise warns when var/static/ (STATIC_ROOT) has not been collected; tests serve from finders.

SLUG = "disclosure"
KIND = "xxgk"
YEAR = 2026
TZ = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 11, 25)  # a Wednesday; November 2026 has no holidays
MB = 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0), tzinfo=TZ), tick=False)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with at(TODAY):
        yield


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clerk(cast: Any) -> Client:
    return client_for(cast.a_clerk)


def counts() -> dict[str, int]:
    return {
        "applications": Application.objects.count(),
        "events": ApplicationEvent.objects.count(),
        "audit": AuditEvent.objects.count(),
        "report_texts": ReportText.objects.count(),
        "report_inputs": ReportInput.objects.count(),
    }


def register(cast: Any, on: dt.date, *, number: str = "", category: str = "natural_person") -> Any:
    return actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=on,
        applicant_category=category,
        applicant_name="张三",
        content="2025年辖区老旧小区改造项目清单",
        number=number,
    )


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


REGISTER_POST = {
    "unit": "A1",
    "received_on": "2026-11-20",
    "channel": "online",
    "applicant_category": "natural_person",
    "applicant_name": "李四",
    "id_type": "resident_id",
    "id_number": "110101199003070011",
    "contact": "13800000000",
    "confirmed_via": "system",
    "content": "本街道2026年老旧小区改造项目清单",
    "form_requested": "电子文档",
    "number": "",
}


# ---- happy paths -------------------------------------------------------------------------


def test_register_through_the_form_then_the_detail_page(cast: Any, clerk: Client) -> None:
    form = clerk.get(reverse("web:new", args=[SLUG]))
    assert form.status_code == 200
    assert "收到日期" in text(form) and "申请人类型" in text(form)
    response = clerk.post(reverse("web:new", args=[SLUG]), REGISTER_POST)
    assert response.status_code == 302
    app = Application.objects.get()
    assert response["Location"] == reverse("web:detail", args=[SLUG, app.pk])
    assert app.number == "YSQ-2026-0001" and app.unit == cast.street_a
    assert app.created_by == cast.a_clerk
    page = text(clerk.get(response["Location"]))
    assert "已登记：YSQ-2026-0001" in page
    assert "答复期限：" in page
    # The deadline's steps: the start, the 20 working days with their basis, the due date.
    assert (
        f"到期日：{app.reply_due_on.year}年{app.reply_due_on.month}月{app.reply_due_on.day}日"
        in page
    )
    due = app.reply_due_on
    assert due == dt.date(2026, 12, 18)
    assert "答复期限：2026年12月18日" in page
    assert "起算：收到申请之日 2026年11月20日（周五），当日不计入" in page
    assert "期限：20个工作日（《政府信息公开条例》第三十三条第二款）" in page
    assert "到期日：2026年12月18日（周五）" in page
    assert "登记" in page and "互联网渠道" in page  # timeline
    assert "发出补正通知" in page and "答复" in page  # the clerk's moves
    # The 7-working-day correction-notice window is a clock of its own.
    assert "补正告知期限：2026年12月1日" in page and "一次性告知" in page


def test_badges_due_soon_and_overdue(cast: Any) -> None:
    app = register(cast, dt.date(2026, 11, 2), number="YSQ-2026-0101")
    app.refresh_from_db()
    due = app.due_on
    assert due is not None and due > TODAY
    list_url = reverse("web:list", args=[SLUG])
    detail_url = reverse("web:detail", args=[SLUG, app.pk])
    with at(dt.date(2026, 11, 3)):
        clerk = client_for(cast.a_clerk)  # sessions last 8 hours: log in on the day
        assert "badge soon" not in text(clerk.get(list_url))
        assert "badge overdue" not in text(clerk.get(detail_url))
    with at(due):
        clerk = client_for(cast.a_clerk)
        listing = text(clerk.get(list_url))
        assert '<span class="badge soon">临期</span>' in listing
        assert '<span class="badge soon">临期</span>' in text(clerk.get(detail_url))
        home = text(clerk.get(reverse("web:home")))
        assert "YSQ-2026-0101" in home
        assert "临期</span> 1 件" in home
        assert "YSQ-2026-0101" in text(clerk.get(list_url, {"due": "due_soon"}))
    with at(due + dt.timedelta(days=1)):
        clerk = client_for(cast.a_clerk)
        assert '<span class="badge overdue">逾期</span>' in text(clerk.get(list_url))
        assert '<span class="badge overdue">逾期</span>' in text(clerk.get(detail_url))
        assert "逾期</span> 1 件" in text(clerk.get(reverse("web:home")))
        assert "YSQ-2026-0101" in text(clerk.get(list_url, {"due": "overdue"}))
        assert "YSQ-2026-0101" not in text(clerk.get(list_url, {"due": "due_soon"}))


def test_move_forms_walk_an_application_to_its_reply(cast: Any, clerk: Client) -> None:
    app = register(cast, dt.date(2026, 11, 16), number="YSQ-2026-0201")

    def move(client: Client, code: str, data: dict[str, str]) -> str:
        url = reverse("web:move", args=[SLUG, app.pk, code])
        form = client.get(url)
        assert form.status_code == 200, code
        assert 'name="on"' in text(form)
        done = client.post(url, data)
        assert done.status_code == 302, (code, text(done))
        return text(client.get(done["Location"]))

    page = move(
        clerk,
        "request_correction",
        {"on": "2026-11-17", "items": "请写明文件名称或文号", "service_method": "in_person"},
    )
    assert "已完成「发出补正通知」" in page and "请写明文件名称或文号" in page
    assert "补正期限" in page
    page = move(clerk, "record_correction", {"on": "2026-11-19", "note": "已补正"})
    assert "收到补正后申请之日" in page
    reply_form = text(clerk.get(reverse("web:move", args=[SLUG, app.pk, "reply"])))
    assert 'data-confirm="答复后申请即办结' in reply_form
    leader = client_for(cast.a_leader)
    page = move(
        leader,
        "extend",
        {"on": "2026-11-20", "told_on": "2026-11-20", "days": "15", "reason": "需调取档案"},
    )
    assert "延长15个工作日" in page and "已于2026-11-20告知申请人" in page
    assert EventKind.EXTENDED.label in page and "经负责人批准延期" in page
    page = move(clerk, "reply", {"on": "2026-11-24", "outcome": "granted", "note": "已提供"})
    assert "已办结" in page and "予以公开" in page
    app.refresh_from_db()
    assert app.status == Status.CLOSED and app.outcome == "granted"
    assert app.replied_on == dt.date(2026, 11, 24)
    # A closed application offers no moves, and a direct URL to one is refused.
    assert 'class="moves"' not in page
    refused = clerk.get(reverse("web:move", args=[SLUG, app.pk, "reply"]), follow=True)
    assert "当前状态「已办结」下不能执行「答复」" in text(refused)
    assert clerk.get(reverse("web:move", args=[SLUG, app.pk, "no-such-move"])).status_code == 404


def test_clerk_may_not_extend(cast: Any, clerk: Client) -> None:
    app = register(cast, dt.date(2026, 11, 16))
    before = counts()
    url = reverse("web:move", args=[SLUG, app.pk, "extend"])
    refused = clerk.post(url, {"on": "2026-11-20", "reason": "x"})
    assert refused.status_code == 302
    assert counts() == before


def spec_row(**by_header: object) -> list[object]:
    """A template row from its values by column header (blank elsewhere)."""
    headers = [c.header for c in SPEC.columns]
    assert set(by_header) <= set(headers), set(by_header) - set(headers)
    return [by_header.get(h, "") for h in headers]


def import_rows() -> list[list[object]]:
    return [
        spec_row(
            申请编号="YSQ-2026-0301",
            收到日期="2026-10-09",
            申请人类型="自然人",
            申请人="王五",
            申请内容="2025年财政预算",
            收到方式="互联网渠道",
            答复日期="2026-10-20",
            办理结果="予以公开",
        ),
        spec_row(
            申请编号="YSQ-2026-0302",
            收到日期=dt.date(2026, 11, 18),
            申请人类型="商业企业",
            申请人="某某公司",
            申请内容="某项目审批文件",
        ),
    ]


def xlsx_upload(content: bytes, name: str = "台账.xlsx") -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_import_form_all_then_idempotent(cast: Any, clerk: Client) -> None:
    url = reverse("web:import", args=[SLUG])
    assert clerk.get(url).status_code == 200
    content = write_xlsx([c.header for c in SPEC.columns], import_rows(), sheet_title="台账")
    checked = clerk.post(url, {"unit": "A1", "file": xlsx_upload(content), "dry_run": "on"})
    assert checked.status_code == 200
    assert "可导入新申请 2 件" in text(checked)
    assert Application.objects.count() == 0
    imported = clerk.post(url, {"unit": "A1", "file": xlsx_upload(content)})
    assert "已导入新申请 2 件" in text(imported)
    assert set(Application.objects.values_list("number", flat=True)) == {
        "YSQ-2026-0301",
        "YSQ-2026-0302",
    }
    before = counts()
    again = clerk.post(url, {"unit": "A1", "file": xlsx_upload(content)})
    assert "已存在且无变化 2 件" in text(again)
    assert counts() == before


def test_import_errors_are_per_row_and_write_nothing(cast: Any, clerk: Client) -> None:
    rows = import_rows()
    rows[1][1] = "2026-13-01"
    content = write_xlsx([c.header for c in SPEC.columns], rows, sheet_title="台账")
    before = counts()
    response = clerk.post(
        reverse("web:import", args=[SLUG]), {"unit": "A1", "file": xlsx_upload(content)}
    )
    assert response.status_code == 200
    page = text(response)
    assert "导入失败" in page and "未写入任何记录" in page
    assert "第3行" in page and "收到日期" in page
    assert counts() == before


def test_template_download_is_a_valid_workbook(clerk: Client) -> None:
    response = clerk.get(reverse("web:template", args=[SLUG]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [str(c.value) for c in wb.worksheets[0][1] if c.value]
    assert any("申请编号" in h for h in headers) and any("收到日期" in h for h in headers)
    # No example rows in the sheet that is imported (a kept example would become a record);
    # the examples are on the 说明 sheet.
    assert wb.worksheets[0].max_row == 1
    notes = " ".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "YSQ-2026-0001" in notes and "予以公开" in notes


def test_export_masks_id_numbers(cast: Any, clerk: Client) -> None:
    actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=dt.date(2026, 11, 20),
        applicant_category="natural_person",
        applicant_name="赵六",
        id_number="11010519491231002X",
        content="某文件",
        number="YSQ-2026-0401",
    )
    response = clerk.get(reverse("web:export", args=[SLUG]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    wb = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    assert rows[0][0] == "申请编号"
    assert rows[1][0] == "YSQ-2026-0401"
    flat = " ".join(str(v) for r in rows for v in r)
    assert "11010519491231002X" not in flat
    assert "110***" in flat
    detail = text(clerk.get(reverse("web:detail", args=[SLUG, Application.objects.get().pk])))
    assert "11010519491231002X" in detail  # full value on the detail page only


def test_report_figures_link_to_their_records(cast: Any, clerk: Client) -> None:
    granted = register(cast, dt.date(2026, 11, 2), number="YSQ-2026-0501")
    actions.reply(app=granted, by=cast.a_clerk, on=dt.date(2026, 11, 10), outcome="granted")
    register(cast, dt.date(2026, 11, 3), number="YSQ-2026-0502")  # still open: carried out
    page = text(clerk.get(reverse("web:report", args=[KIND, "A1", YEAR])))
    assert "东湖街道2026年政府信息公开工作年度报告" in page
    found = re.findall(r'<a href="([^"]*figure=[^"]*)">([^<]*)</a>', page)
    links = {html.unescape(href): shown for href, shown in found}
    cell = figure_url(SLUG, table3_code("granted", "natural_person"), cast.street_a, YEAR)
    new_cell = figure_url(SLUG, table3_code("new", "natural_person"), cast.street_a, YEAR)
    assert links[cell] == "1"
    assert links[new_cell] == "2"
    behind = text(clerk.get(cell))
    assert "YSQ-2026-0501" in behind and "YSQ-2026-0502" not in behind
    assert "共 1 条" in behind
    assert "表三 （一）予以公开 · 自然人" in behind  # the filter says what it lists
    new = text(clerk.get(new_cell))
    assert "YSQ-2026-0501" in new and "YSQ-2026-0502" in new
    data = clerk.get(reverse("web:report_json", args=[KIND, "A1", YEAR])).json()
    assert data["table3"]["granted"]["natural_person"] == 1
    assert data["table3"]["carried_out"]["total"] == 1


def test_report_index_and_docx(cast: Any, clerk: Client) -> None:
    index = clerk.get(reverse("web:reports"))
    assert index.status_code == 200 and "政府信息公开工作年度报告" in text(index)
    response = clerk.get(reverse("web:report_docx", args=[KIND, "A1", YEAR]))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert "wordprocessingml" in response["Content-Type"]
    document = docx.Document(io.BytesIO(response.content))
    assert any("政府信息公开工作年度报告" in p.text for p in document.paragraphs)


def test_report_edit_saves_the_narrative(cast: Any, clerk: Client) -> None:
    url = reverse("web:report_edit", args=[KIND, "A1", YEAR])
    assert clerk.get(url).status_code == 200
    saved = clerk.post(
        url,
        {
            "overview_proactive": "本年度主动公开政府信息120条，其中规范性文件3件。",
            "problems": "公开专栏更新不够及时。",
            "signed_on": "2027-01-20",
        },
    )
    assert saved.status_code == 302
    page = text(clerk.get(saved["Location"]))
    assert "报告文字已保存" in page
    assert "本年度主动公开政府信息120条，其中规范性文件3件。" in page
    assert "公开专栏更新不够及时。" in page
    assert "2027年1月20日" in page
    bad = clerk.post(url, {"signed_on": "2027-02-30"})
    assert bad.status_code == 200
    assert "日期" in text(bad) or "有效" in text(bad)


def test_report_input_table2_with_source_note(cast: Any, clerk: Client) -> None:
    found = get_report(KIND)
    assert found is not None
    spec = next(s for s in found[1].inputs if s.key == "table2")
    url = reverse("web:report_input", args=[KIND, "A1", YEAR, "table2"])
    assert clerk.get(url).status_code == 200
    data = {f"{g}__{i}": "0" for g, i, _ in spec.fields}
    group, item, _ = spec.fields[0]
    data[f"{group}__{item}"] = "7"
    missing_note = clerk.post(url, data)
    assert missing_note.status_code == 200 and "这个字段是必填项" in text(missing_note)
    assert ReportInput.objects.count() == 0
    data["source_note"] = "区司法局规范性文件备案台账"
    saved = clerk.post(url, data)
    assert saved.status_code == 302, text(saved)
    page = text(clerk.get(saved["Location"]))
    assert "数据来源：区司法局规范性文件备案台账" in page
    report = clerk.get(reverse("web:report_json", args=[KIND, "A1", YEAR])).json()
    assert report["table2"][group][item] == 7
    assert report["sources"]["table2"] == "区司法局规范性文件备案台账"
    negative = clerk.post(url, {**data, f"{group}__{item}": "-1"})
    assert negative.status_code == 200
    assert ReportInput.objects.get().data[group][item] == 7


def test_calendar_page_is_for_admins(cast: Any) -> None:
    admin = client_for(cast.admin)
    page = admin.get(reverse("web:calendar"))
    assert page.status_code == 200 and "工作日历 · 2026年" in text(page)
    assert "国庆节" in text(page)
    assert admin.get(reverse("web:calendar_year", args=[2027])).status_code == 200
    assert "2027年节假日安排尚未载入" in text(admin.get(reverse("web:calendar_year", args=[2027])))
    for user in (cast.a_clerk, cast.supervisor, cast.a_leader):
        assert client_for(user).get(reverse("web:calendar")).status_code == 404


# The recompute is a background task queued on commit: this test commits for real.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_loading_the_2027_notice_makes_deadlines_final(cast: Any) -> None:
    with at(dt.date(2026, 12, 21)):
        app = register(cast, dt.date(2026, 12, 18), number="YSQ-2026-0601")
        app.refresh_from_db()
        assert app.due_provisional
        assert app.reply_due_on is not None and app.reply_due_on.year == 2027
        old_due = app.reply_due_on
        clerk = client_for(cast.a_clerk)
        assert "暂定" in text(clerk.get(reverse("web:detail", args=[SLUG, app.pk])))
        admin = client_for(cast.admin)
        url = reverse("web:calendar_year", args=[2027])
        before_audit = AuditEvent.objects.count()
        response = admin.post(
            url,
            {
                "form": "notice",
                "notice-text": NOTICE_2027,
            },
        )
        assert response.status_code == 302
        task = TaskRun.objects.get()
        assert response["Location"] == reverse("tasks:detail", args=[task.pk])
        page = text(admin.get(response["Location"]))
        assert "已载入2027年节假日安排（33天），正在重新计算在办事项的期限" in page
        assert "重新计算在办事项的期限" in page and "排队中" in page
        app.refresh_from_db()
        assert app.due_provisional  # nothing recomputed inside the admin's request
        run_queued()  # the worker
        page = text(admin.get(response["Location"]))
        assert "已完成" in page and "1 件事项的期限已重新计算" in page
        calendar_page = text(admin.get(url))
        assert "元旦" in calendar_page
        assert f'最近一次重新计算期限：<a href="/tasks/{task.pk}/">已完成</a>' in calendar_page
        app.refresh_from_db()
        assert not app.due_provisional
        # 1月1日 (a Friday) is no longer counted as a working day: Fri 15 -> Mon 18 January.
        assert (old_due, app.reply_due_on) == (dt.date(2027, 1, 15), dt.date(2027, 1, 18))
        assert AuditEvent.objects.count() > before_audit
        detail = text(clerk.get(reverse("web:detail", args=[SLUG, app.pk])))
        assert "badge provisional" not in detail


def test_editing_one_day_schedules_the_recompute_and_links_it(cast: Any) -> None:
    admin = client_for(cast.admin)
    response = admin.post(
        reverse("web:calendar_year", args=[2027]),
        {"form": "day", "day-date": "2027-10-01", "day-kind": "holiday", "day-name": "国庆节"},
        follow=True,
    )
    page = text(response)
    task = TaskRun.objects.get()
    assert "已保存 2027-10-01，正在重新计算在办事项的期限" in page
    assert f'最近一次重新计算期限：<a href="/tasks/{task.pk}/">排队中</a>' in page
    assert (task.kind, task.by) == ("recompute_deadlines", cast.admin)


def test_calendar_rejects_a_mistyped_notice(cast: Any) -> None:
    admin = client_for(cast.admin)
    before = counts()
    response = admin.post(
        reverse("web:calendar_year", args=[2027]),
        {"form": "notice", "notice-text": "一、元旦：1月1日（周一）至3日（周日）放假，共3天。"},
    )
    assert response.status_code == 200
    assert "周" in text(response)
    assert counts() == before


# ---- bad input ---------------------------------------------------------------------------


def test_impossible_dates_in_forms(cast: Any, clerk: Client) -> None:
    before = counts()
    response = clerk.post(
        reverse("web:new", args=[SLUG]), {**REGISTER_POST, "received_on": "2026-02-30"}
    )
    assert response.status_code == 200
    assert "请输入有效日期" in text(response)
    assert counts() == before
    app = register(cast, dt.date(2026, 11, 16))
    before = counts()
    for code, data in [
        ("reply", {"on": "2026-02-30", "outcome": "granted"}),
        (
            "request_correction",
            {"on": "2026-11-17", "items": "x", "service_method": "post", "served_on": "2026-13-01"},
        ),
        ("record_payment", {"on": "not-a-date"}),
        ("extend", {"on": "99999-01-01", "reason": "x"}),
    ]:
        response = client_for(cast.a_leader).post(
            reverse("web:move", args=[SLUG, app.pk, code]), data
        )
        assert response.status_code in (200, 302), code
        if response.status_code == 200:
            assert "请输入有效日期" in text(response), code
    assert counts() == before


def test_reply_before_receipt_or_in_the_future(cast: Any, clerk: Client) -> None:
    app = register(cast, dt.date(2026, 11, 16))
    url = reverse("web:move", args=[SLUG, app.pk, "reply"])
    before = counts()
    early = clerk.post(url, {"on": "2026-11-10", "outcome": "granted"})
    assert early.status_code == 200
    assert "答复日期不能早于收到申请的日期（2026-11-16）" in text(early)
    future = clerk.post(url, {"on": "2026-12-01", "outcome": "granted"})
    assert future.status_code == 200 and "不能晚于今天" in text(future)
    assert counts() == before
    registered = clerk.post(
        reverse("web:new", args=[SLUG]), {**REGISTER_POST, "received_on": "2027-01-05"}
    )
    assert registered.status_code == 200 and "不能晚于今天" in text(registered)
    assert counts() == before


def test_unknown_outcome_is_refused(cast: Any, clerk: Client) -> None:
    app = register(cast, dt.date(2026, 11, 16))
    url = reverse("web:move", args=[SLUG, app.pk, "reply"])
    before = counts()
    for outcome in ("made_up", "other_1", "", "予以公开"):
        response = clerk.post(url, {"on": "2026-11-20", "outcome": outcome})
        assert response.status_code == 200, outcome
        assert "选择一个有效的选项" in text(response) or "这个字段是必填项" in text(response)
    assert counts() == before
    bad_category = clerk.post(
        reverse("web:new", args=[SLUG]), {**REGISTER_POST, "applicant_category": "alien"}
    )
    assert bad_category.status_code == 200 and "选择一个有效的选项" in text(bad_category)
    assert counts() == before


def test_fifty_megabyte_upload(cast: Any, clerk: Client, tmp_path: Path) -> None:
    big = tmp_path / "台账.xlsx"
    with big.open("wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(50 * MB)
    before = counts()
    with big.open("rb") as f:
        response = clerk.post(reverse("web:import", args=[SLUG]), {"unit": "A1", "file": f})
    assert response.status_code in (200, 400, 413)
    assert "文件过大" in text(response) and "上限为 10 MB" in text(response)
    assert counts() == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("截图.xlsx", PNG, "不是有效的 Excel 文件"),
        ("报告.xlsx", "docx", "Word 文档"),
        ("空.xlsx", b"", "文件"),
        ("乱码.csv", b"\xff\xfe\x00garbage\x00\x01", ""),
        ("台账.pdf", b"%PDF-1.4\n", ""),
    ],
)
def test_hostile_files_get_a_chinese_message(
    cast: Any, clerk: Client, name: str, content: Any, message: str
) -> None:
    if content == "docx":
        buffer = io.BytesIO()
        document = docx.Document()
        document.add_paragraph("这是一份 Word 文档")
        document.save(buffer)
        content = buffer.getvalue()
    before = counts()
    response = clerk.post(
        reverse("web:import", args=[SLUG]), {"unit": "A1", "file": xlsx_upload(content, name)}
    )
    assert response.status_code in (200, 400)
    page = text(response)
    assert message in page
    assert re.search(r"[\u4e00-\u9fff]", page)
    assert "导入失败" in page or "errorlist" in page
    assert counts() == before


GARBAGE_LIST_QUERIES = [
    {"page": "abc"},
    {"page": "-1"},
    {"page": "99999999999999999999"},
    {"year": "abc"},
    {"year": "99999"},
    {"cell": "x:y:z"},
    {"cell": "granted:natural_person:abc"},
    {"cell": "::::"},
    {"cell": "granted:natural_person:99999999999999999999"},
    {"cell": "granted:natural_person:-5"},
    {"due": "foo"},
    {"status": "nope"},
    {"outcome": "'; DROP TABLE x; --"},
    {"category": "\x00"},
    {"unit": "ZZ9"},
    {"q": "%" * 300},
    {"q": "\x00"},
]


def test_garbage_query_parameters_never_500(cast: Any, clerk: Client) -> None:
    register(cast, dt.date(2026, 11, 16))
    admin = client_for(cast.admin)
    for query in GARBAGE_LIST_QUERIES:
        for name in ("list", "export"):
            response = clerk.get(reverse(f"web:{name}", args=[SLUG]), query)
            assert response.status_code in (200, 400, 404), (name, query, response.status_code)
    report = reverse("web:report", args=[KIND, "A1", YEAR])
    for query in (
        {"year": "abc"},
        {"unit": "ZZ9"},
        {"unit": "../../x"},
        {"year": "1900"},
        {"year": "２０２６"},
        {"unit": "\x00"},
    ):
        response = clerk.get(report, query, follow=True)
        assert response.status_code in (200, 400, 404), (query, response.status_code)
    for url in (
        f"/reports/{KIND}/A1/1999/",
        f"/reports/{KIND}/A1/99999/",
        f"/reports/nope/A1/{YEAR}/",
        f"/reports/{KIND}/A1/{YEAR}/input/nope/",
        "/l/nope/",
        f"/l/{SLUG}/999999/",
        "/calendar/99999/",
        "/calendar/1999/",
        f"/reports/{KIND}/%00/{YEAR}/",
        f"/reports/{KIND}/A1%00/{YEAR}/json",
    ):
        assert admin.get(url).status_code == 404, url
    assert clerk.get(reverse("web:home"), {"page": "abc"}).status_code == 200


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"due": "zzz"}, "期限“zzz”"),
        ({"status": "nope"}, "状态“nope”"),
        ({"figure": "zzz"}, "统计数字“zzz”"),
        ({"figure": "xxgk.nope:2026"}, "统计数字“xxgk.nope:2026”"),
        ({"due": "overdue", "status": "nope"}, "状态“nope”"),
    ],
)
def test_a_filter_value_that_means_nothing_lists_nothing_and_says_so(
    cast: Any, clerk: Client, query: dict[str, str], named: str
) -> None:
    """Every bad filter value is treated alike: no records, and a message naming it (an ignored
    value would list everything under a filter the user believes is applied)."""
    register(cast, dt.date(2026, 11, 16))
    url = reverse("web:list", args=[SLUG])
    assert "共 1 条" in clerk.get(url).content.decode()
    page = clerk.get(url, query).content.decode()
    assert "共 0 条" in page
    assert "筛选条件无效" in page and named in page
    fine = clerk.get(url, {"due": "overdue"}).content.decode()
    assert "筛选条件无效" not in fine


PAGES = [
    ("home", []),
    ("list", [SLUG]),
    ("new", [SLUG]),
    ("import", [SLUG]),
    ("reports", []),
    ("report", [KIND, "A1", YEAR]),
    ("report_edit", [KIND, "A1", YEAR]),
    ("report_input", [KIND, "A1", YEAR, "table4"]),
    ("calendar", []),
]


def test_csp_header_and_no_external_assets(cast: Any) -> None:
    app = register(cast, dt.date(2026, 11, 16))
    clerk = client_for(cast.a_clerk)
    admin = client_for(cast.admin)
    urls = [reverse(f"web:{name}", args=args) for name, args in PAGES]
    urls += [
        reverse("web:detail", args=[SLUG, app.pk]),
        reverse("web:move", args=[SLUG, app.pk, "reply"]),
    ]
    for url in [*urls, reverse("login")]:
        client = admin if "calendar" in url else clerk
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        page = response.content.decode()
        external = re.findall(
            r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)="(?:https?:)?//[^"]*"', page
        )
        assert not external, (url, external)
        assert (
            "<script>" not in page
            and "onclick=" not in page
            and "style=" not in page.lower().split("</head>")[0]
        )
    for asset in ("fazhi/app.css", "fazhi/app.js"):
        path = finders.find(asset)
        assert path, asset
        body = Path(str(path)).read_text(encoding="utf-8")
        assert not re.search(r"(?:url\(|@import)\s*['\"]?(?:https?:)?//", body), asset
        assert "fonts.googleapis" not in body


def test_absurd_numbers_never_500(cast: Any, clerk: Client) -> None:
    app = register(cast, dt.date(2026, 11, 16))
    fee_url = reverse("web:move", args=[SLUG, app.pk, "issue_fee_notice"])
    before = counts()
    for quantity in ("10000000000", "-5", "1.5", "abc"):
        response = clerk.post(
            fee_url, {"on": "2026-11-17", "method": "per_page", "quantity": quantity}
        )
        assert response.status_code == 200, quantity
        assert "errorlist" in text(response), quantity
    assert counts() == before
    found = get_report(KIND)
    assert found is not None
    spec = next(s for s in found[1].inputs if s.key == "table2")
    url = reverse("web:report_input", args=[KIND, "A1", YEAR, "table2"])
    base = {f"{g}__{i}": "0" for g, i, _ in spec.fields} | {"source_note": "手工统计"}
    decimal_field = next(f"{g}__{i}" for g, i, _ in spec.fields if i in spec.decimal)
    integer_field = next(f"{g}__{i}" for g, i, _ in spec.fields if i not in spec.decimal)
    for field, value in [
        (decimal_field, "1e400"),
        (decimal_field, "NaN"),
        (decimal_field, "Infinity"),
        (integer_field, "1" + "0" * 40),
    ]:
        response = clerk.post(url, {**base, field: value})
        assert response.status_code == 200, (field, value)
        assert "errorlist" in text(response), (field, value)
    assert counts() == before


def test_list_counts_up_to_the_cap(cast: Any, settings: Any) -> None:
    """Past FAZHI_LIST_COUNT_CAP records the list stops counting: it says so and pages
    through the first ones (a city's two million work orders cost one LIMITed count)."""
    for i in range(5):
        register(cast, TODAY - dt.timedelta(days=5 - i))
    settings.FAZHI_LIST_COUNT_CAP = 3
    page = text(client_for(cast.supervisor).get("/l/disclosure/"))
    assert "超过 3 条，仅列出前 3 条" in page and "共 5 条" not in page
    numbers = sorted(Application.objects.values_list("number", flat=True))
    assert sum(n in page for n in numbers) == 3
    settings.FAZHI_LIST_COUNT_CAP = 5
    page = text(client_for(cast.supervisor).get("/l/disclosure/"))
    assert "共 5 条" in page and "超过" not in page
    assert all(n in page for n in numbers)


def test_the_list_counts_at_most_a_thousand_and_one_rows(cast: Any) -> None:
    """The default cap is 1,000 (twenty pages): the count reads at most 1,001 rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    register(cast, TODAY)
    with CaptureQueriesContext(connection) as ctx:
        page = text(client_for(cast.supervisor).get("/l/disclosure/"))
    assert "共 1 条" in page
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 1001" in counts[0], counts
