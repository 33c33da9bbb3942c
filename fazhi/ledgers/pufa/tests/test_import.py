"""Importing the four 普法 files: the ledger's own checks per row, all or nothing, idempotent
on the number; the template reads back as a file with no rows; exports import back."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.test import Client
from django.urls import reverse

from fazhi.core.imports.writing import write_csv, write_template, write_xlsx
from fazhi.core.records import bulk
from fazhi.core.records.bulk import ImportOutcome
from fazhi.ledgers.pufa.importing import (
    ACTIVITY_DECLARATION,
    ACTIVITY_HEADERS,
    DUTY_DECLARATION,
    DUTY_HEADERS,
    PERSON_DECLARATION,
    PERSON_HEADERS,
    STUDY_DECLARATION,
    STUDY_HEADERS,
)
from fazhi.ledgers.pufa.ledger import ACTIVITIES, DUTIES, PEOPLE, STUDIES
from fazhi.ledgers.pufa.models import Activity, Duty, Person, Study
from fazhi.ledgers.pufa.tests.world import World, person


def run(
    world: World, ledger: Any, declaration: Any, rows: list[dict[str, object]], xlsx: bool = False
) -> ImportOutcome:
    headers = [c.header for c in declaration.spec.columns]
    cells = [[r.get(h, "") for h in headers] for r in rows]
    data = write_xlsx(headers, cells) if xlsx else write_csv(headers, cells)
    return bulk.import_file(
        ledger, declaration, unit=world.cast.street_a, by=world.cast.a_clerk, data=data,
        filename="t.xlsx" if xlsx else "t.csv",
    )  # fmt: skip


A = ACTIVITY_HEADERS


def act(number: str, **cells: object) -> dict[str, object]:
    return {
        A["number"]: number,
        A["held_on"]: "2026-04-15",
        A["title"]: "国家安全教育日宣传",
        A["theme"]: "全民国家安全教育日",
        A["form"]: "法律咨询",
        A["venue"]: "东湖社区文化广场",
        A["audience"]: "社区居民、村民",
        A["attendance"]: "150",
        A["materials"]: "400",
        **cells,
    }


def test_activities_import_whole_or_not_at_all_with_errors_per_row(world: World) -> None:
    unreadable = run(world, ACTIVITIES, ACTIVITY_DECLARATION, [
        act("PF-1"),
        act("PF-2", **{A["attendance"]: -3}),  # a number cell, as Excel stores it
        act("PF-3", **{A["held_on"]: "2026-02-30"}),
    ], xlsx=True)  # fmt: skip
    assert unreadable.errors == [
        "第3行「参与人次」不能为负数: -3",
        "第4行「活动日期」不是有效日期: 2026-02-30",
    ]
    refused = run(world, ACTIVITIES, ACTIVITY_DECLARATION, [
        act("PF-1"),
        act("PF-4", **{A["form"]: "网络宣传", A["attendance"]: "", A["online_reach"]: ""}),
        act("PF-5", **{A["held_on"]: "2027-01-05"}),
    ])  # fmt: skip
    text = "\n".join(refused.errors)
    assert "第3行「线上覆盖人次」网络宣传活动请填写线上覆盖人次" in text
    assert "第4行「活动日期」" in text and "不能晚于今天" in text, text
    assert Activity.objects.count() == 0
    rows = [act("PF-1"), act("PF-2", **{A["theme"]: "安全生产月"})]
    good = run(world, ACTIVITIES, ACTIVITY_DECLARATION, rows)
    assert good.ok and good.created == 2, good.errors
    other = Activity.objects.get(number="PF-2")
    assert (other.theme, other.theme_note, other.theme_shown) == (
        "other",
        "安全生产月",
        "安全生产月",
    )
    again = run(world, ACTIVITIES, ACTIVITY_DECLARATION, rows)
    assert (again.ok, again.created, again.unchanged) == (True, 0, 2)
    changed = run(world, ACTIVITIES, ACTIVITY_DECLARATION, [act("PF-1", **{A["attendance"]: "9"})])
    assert not changed.ok and "已存在，且内容与系统中的记录不同" in changed.errors[0]


S = STUDY_HEADERS


def test_exam_counts_are_held_to_participants_on_import(world: World) -> None:
    exam = {S["number"]: "KS-1", S["held_on"]: "2026-10-15", S["kind"]: "学法用法考试",
            S["topic"]: "年度学法用法考试", S["expected"]: "60", S["participants"]: "58"}  # fmt: skip
    bad = run(world, STUDIES, STUDY_DECLARATION, [
        {**exam, S["passed"]: "59"},
        {**exam, S["number"]: "KS-2", S["participants"]: "61", S["passed"]: "50"},
        {**exam, S["number"]: "KS-3"},
    ])  # fmt: skip
    assert bad.errors == [
        "第2行「考试通过人数」考试通过人数（59）不能多于参考人数（58）",
        "第3行「实际参加人数」实际参加人数（61）不能多于应参加人数（60）",
        "第4行「考试通过人数」请填写考试通过人数",
    ]
    assert Study.objects.count() == 0
    good = run(world, STUDIES, STUDY_DECLARATION, [{**exam, S["passed"]: "55"}])
    assert good.ok and Study.objects.get().passed == 55


D = DUTY_HEADERS


def test_list_items_import_with_their_planned_dates(world: World) -> None:
    item = {D["number"]: "QD-2026-101", D["year"]: "2026", D["department"]: "市场监管所",
            D["content"]: "消费者权益保护法宣传", D["listed_on"]: "2026-01-10",
            D["planned_on"]: "2026-03-15"}  # fmt: skip
    bad = run(world, DUTIES, DUTY_DECLARATION, [{**item, D["planned_on"]: "2026-01-01"}])
    assert bad.errors == ["第2行「计划完成日期」计划完成日期不能早于列入清单日期（2026-01-10）"]
    good = run(world, DUTIES, DUTY_DECLARATION, [item])
    assert good.ok
    assert Duty.objects.get(number="QD-2026-101").due_on.isoformat() == "2026-03-15"


def test_the_rosters_export_is_masked_and_imports_back_unchanged(world: World) -> None:
    cast = world.cast
    p = person(cast.street_a, cast.a_clerk)
    client = Client()
    client.force_login(cast.a_clerk)
    exported = client.get(reverse("web:export", args=[PEOPLE.slug]))
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header, line = rows[0], rows[1]
    shown = dict(zip(header, line, strict=False))
    assert shown[PERSON_HEADERS["phone"]] == "139****1111"
    assert shown[PERSON_HEADERS["id_number"]] == "110***********002X"
    assert "13900001111" not in str(rows) and "11010519491231002X" not in str(rows)
    cells = {h: ("" if v is None else str(v)[:10]) for h, v in shown.items()}
    back = run(world, PEOPLE, PERSON_DECLARATION, [cells])
    assert (back.ok, back.unchanged) == (True, 1), back.errors
    assert Person.objects.get(pk=p.pk).phone == "13900001111"


def test_every_template_reads_back_with_its_headers_and_no_rows(world: World) -> None:
    for ledger, declaration in (
        (ACTIVITIES, ACTIVITY_DECLARATION),
        (DUTIES, DUTY_DECLARATION),
        (PEOPLE, PERSON_DECLARATION),
        (STUDIES, STUDY_DECLARATION),
    ):
        outcome = bulk.import_file(
            ledger, declaration, unit=world.cast.street_a, by=world.cast.a_clerk,
            data=write_template(declaration.spec), filename="模板.xlsx", dry_run=True,
        )  # fmt: skip
        # The headers are all recognised: the one complaint is that the rows are empty.
        assert outcome.errors == ["文件中没有数据行"], (ledger.slug, outcome.errors)
