"""Importing the two files: the ledger's own checks per row with Chinese messages, all or
nothing, idempotent on the number; a completed rectification row replays 整改完成; the
templates read back as files with no rows; an export imports back unchanged."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.test import Client
from django.urls import reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.imports.writing import write_csv, write_template, write_xlsx
from fazhi.core.records import bulk
from fazhi.core.records.bulk import ImportOutcome
from fazhi.ledgers.oversight.importing import (
    DUTY_DECLARATION,
    DUTY_HEADERS,
    RECTIFY_DECLARATION,
    RECTIFY_HEADERS,
)
from fazhi.ledgers.oversight.ledger import DUTIES, RECTIFICATIONS
from fazhi.ledgers.oversight.models import (
    LeaderDuty,
    LeaderDutyEvent,
    Rectification,
    RectificationEvent,
)
from fazhi.ledgers.oversight.tests import pufa
from fazhi.ledgers.oversight.tests.world import d


def run(
    cast: Any, ledger: Any, declaration: Any, rows: list[dict[str, object]], xlsx: bool = False
) -> ImportOutcome:
    headers = [c.header for c in declaration.spec.columns]
    cells = [[r.get(h, "") for h in headers] for r in rows]
    data = write_xlsx(headers, cells) if xlsx else write_csv(headers, cells)
    return bulk.import_file(
        ledger, declaration, unit=cast.street_a, by=cast.a_clerk, data=data,
        filename="t.xlsx" if xlsx else "t.csv",
    )  # fmt: skip


def written() -> tuple[int, ...]:
    return (
        LeaderDuty.with_voided.count(),
        LeaderDutyEvent.objects.count(),
        Rectification.with_voided.count(),
        RectificationEvent.objects.count(),
        AuditEvent.objects.count(),
    )


D = DUTY_HEADERS


def duty_row(number: str, **cells: object) -> dict[str, object]:
    return {
        D["number"]: number,
        D["held_on"]: "2026-03-16",
        D["leader"]: "王建国",
        D["post"]: "党工委书记",
        D["kind"]: "研究法治工作的会议",
        D["subject"]: "党工委会议专题研究法治政府建设工作",
        D["attendance"]: "12",
        **cells,
    }


def test_duties_import_whole_or_not_at_all_with_chinese_errors(cast: Any, now: Any) -> None:
    before = written()
    unreadable = run(cast, DUTIES, DUTY_DECLARATION, [
        duty_row("LZ-1"),
        duty_row("LZ-2", **{D["kind"]: "座谈会"}),
        duty_row("LZ-3", **{D["held_on"]: "2026-02-30"}),
        duty_row("LZ-4", **{D["attendance"]: -3}),
    ], xlsx=True)  # fmt: skip
    text = "\n".join(unreadable.errors)
    assert "第3行「履职类别」" in text
    assert "第4行「履职日期」不是有效日期: 2026-02-30" in text
    assert "第5行「参加人数」不能为负数: -3" in text
    refused = run(cast, DUTIES, DUTY_DECLARATION, [
        duty_row("LZ-1"),
        duty_row("LZ-5", **{D["kind"]: "出庭应诉", D["attendance"]: ""}),
        duty_row("LZ-6", **{D["kind"]: "批示"}),
        duty_row("LZ-7", **{D["held_on"]: "2027-01-05"}),
    ])  # fmt: skip
    text = "\n".join(refused.errors)
    assert "第3行「案号」出庭应诉请填写案号" in text, text
    assert "第4行「参加人数」只有会议、述法和带头学法需要填写参加人数" in text, text
    assert "第5行「履职日期」" in text and "不能晚于今天" in text, text
    assert written() == before
    rows = [
        duty_row("LZ-1"),
        duty_row("LZ-5", **{D["kind"]: "出庭应诉", D["attendance"]: "",
                            D["case_number"]: "（2026）沪0105行初9号"}),
    ]  # fmt: skip
    good = run(cast, DUTIES, DUTY_DECLARATION, rows)
    assert (good.ok, good.created) == (True, 2), good.errors
    assert LeaderDuty.objects.get(number="LZ-5").case_number == "（2026）沪0105行初9号"
    again = run(cast, DUTIES, DUTY_DECLARATION, rows)
    assert (again.ok, again.created, again.unchanged) == (True, 0, 2)
    changed = run(cast, DUTIES, DUTY_DECLARATION, [duty_row("LZ-1", **{D["attendance"]: "9"})])
    assert not changed.ok and "已存在，且内容与系统中的记录不同" in changed.errors[0]


R = RECTIFY_HEADERS


def item_row(number: str, **cells: object) -> dict[str, object]:
    return {
        R["number"]: number,
        R["source"]: "督察",
        R["source_doc"]: "区法督〔2026〕3号",
        R["fed_back_on"]: "2026-04-10",
        R["problem"]: "行政执法公示信息更新不及时",
        R["measures"]: "建立执法信息公示周报制度",
        R["department"]: "综合行政执法队",
        R["owner"]: "孙伟",
        R["deadline"]: "2026-06-30",
        **cells,
    }


def test_items_import_and_a_completed_row_replays_its_completion(cast: Any, now: Any) -> None:
    before = written()
    unreadable = run(cast, RECTIFICATIONS, RECTIFY_DECLARATION, [
        item_row("ZG-1"), item_row("ZG-4", **{R["source"]: "群众举报"}),
    ])  # fmt: skip
    assert unreadable.errors == [
        "第3行「问题来源」不是可选值之一: 「群众举报」，可选值为「督察」、「考核」、「审计」、「巡视巡察」、「其他」"
    ]
    bad = run(cast, RECTIFICATIONS, RECTIFY_DECLARATION, [
        item_row("ZG-1", **{R["deadline"]: "2026-04-01"}),
        item_row("ZG-2", **{R["done_on"]: "2026-06-20"}),
        item_row("ZG-3", **{R["evidence"]: "已完成"}),
        item_row("ZG-5", **{R["done_on"]: "2026-04-01", R["evidence"]: "已完成"}),
        item_row("ZG-6", **{R["deadline"]: "9999-12-31"}),
    ])  # fmt: skip
    text = "\n".join(bad.errors)
    assert "第6行「整改时限」整改时限（9999-12-31）不能晚于反馈日期后5年（2031-04-10）" in text, (
        text
    )
    assert "第2行「整改时限」整改时限不能早于反馈日期（2026-04-10）" in text, text
    assert "第3行「整改成效及佐证材料」填写了完成日期的，请填写整改成效及佐证材料" in text, text
    assert "第4行「完成日期」填写了整改成效的，请填写完成日期" in text, text
    assert "第5行「完成日期」" in text and "不能早于" in text, text
    assert written() == before
    rows = [
        item_row("ZG-1"),
        item_row("ZG-2", **{R["done_on"]: "2026-06-20", R["evidence"]: "公示周报制度文件"}),
    ]
    good = run(cast, RECTIFICATIONS, RECTIFY_DECLARATION, rows)
    assert (good.ok, good.created) == (True, 2), good.errors
    done = Rectification.objects.get(number="ZG-2")
    assert (done.status, done.done_on.isoformat(), done.evidence) == (
        "done",
        "2026-06-20",
        "公示周报制度文件",
    )
    assert Rectification.objects.get(number="ZG-1").due_on.isoformat() == "2026-06-30"
    again = run(cast, RECTIFICATIONS, RECTIFY_DECLARATION, rows)
    assert (again.ok, again.unchanged) == (True, 2), again.errors


def test_an_export_imports_back_unchanged(cast: Any, now: Any) -> None:
    run(cast, RECTIFICATIONS, RECTIFY_DECLARATION, [
        item_row("ZG-1"),
        item_row("ZG-2", **{R["done_on"]: "2026-06-20", R["evidence"]: "公示周报制度文件"}),
    ])  # fmt: skip
    client = Client()
    client.force_login(cast.a_clerk)
    exported = client.get(reverse("web:export", args=[RECTIFICATIONS.slug]))
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    cells = [
        {h: ("" if v is None else str(v)[:10] if "日期" in str(h) or "时限" in str(h) else str(v))
         for h, v in zip(header, line, strict=False)}
        for line in rows[1:]
    ]  # fmt: skip
    back = run(cast, RECTIFICATIONS, RECTIFY_DECLARATION, cells)
    assert (back.ok, back.unchanged) == (True, 2), back.errors


def test_every_template_reads_back_with_its_headers_and_no_rows(cast: Any, now: Any) -> None:
    for ledger, declaration in ((DUTIES, DUTY_DECLARATION), (RECTIFICATIONS, RECTIFY_DECLARATION)):
        outcome = bulk.import_file(
            ledger, declaration, unit=cast.street_a, by=cast.a_clerk,
            data=write_template(declaration.spec), filename="模板.xlsx", dry_run=True,
        )  # fmt: skip
        assert outcome.errors == ["文件中没有数据行"], (ledger.slug, outcome.errors)
    client = Client()
    client.force_login(cast.a_clerk)
    got = client.get(reverse("web:template", args=[RECTIFICATIONS.slug]))
    assert got.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(got.content)).worksheets[0]
    headers = [str(c.value) for c in sheet[1]]
    wanted = ("整改事项编号", "问题来源", "反馈文件文号")
    assert all(headers[i].startswith(w) for i, w in enumerate(wanted)), headers


def test_a_row_names_a_record_of_another_ledger_by_its_name(cast: Any, now: Any) -> None:
    mine = pufa.study(cast.street_a, cast.a_clerk, held_on=d(3, 16))
    pufa.study(cast.street_b, cast.b_clerk, held_on=d(3, 16), number="XC-1")
    before = written()
    bad = run(cast, DUTIES, DUTY_DECLARATION, [
        duty_row("LZ-1", **{D["linked_slug"]: "学法与考试", D["linked_number"]: "XC-1"}),
        duty_row("LZ-2", **{D["linked_slug"]: "学法台账", D["linked_number"]: mine.number}),
        duty_row("LZ-3", **{D["linked_slug"]: "学法与考试"}),
    ])  # fmt: skip
    assert bad.errors == [
        "第2行「关联记录编号」东湖街道的学法与考试台账中没有编号为「XC-1」的记录",
        "第3行「关联记录所在台账」没有名为「学法台账」的台账",
        "第4行「关联记录编号」请填写关联记录的编号",
    ]
    assert written() == before
    rows = [duty_row("LZ-1", **{D["kind"]: "带头学法", D["linked_slug"]: "学法与考试",
                                D["linked_number"]: mine.number})]  # fmt: skip
    good = run(cast, DUTIES, DUTY_DECLARATION, rows)
    assert good.ok, good.errors
    stored = LeaderDuty.objects.get(number="LZ-1")
    assert (stored.linked_slug, stored.linked_pk) == ("pufa_studies", mine.pk)
    assert run(cast, DUTIES, DUTY_DECLARATION, rows).unchanged == 1
