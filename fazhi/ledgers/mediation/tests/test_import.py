"""Importing a committee's case ledger: replayed through the table, all or nothing, per-row
Chinese errors, idempotent on 调解编号; the export imports back."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.test import Client
from django.urls import reverse

from fazhi.core.imports.writing import write_csv
from fazhi.core.records import bulk
from fazhi.core.records.bulk import ImportOutcome
from fazhi.ledgers.mediation.importing import DECLARATION, HEADERS
from fazhi.ledgers.mediation.ledger import LEDGER
from fazhi.ledgers.mediation.models import Case, CaseEvent, Party
from fazhi.ledgers.mediation.tests.world import Med, d

H = HEADERS


def import_rows(med: Med, rows: list[dict[str, object]]) -> ImportOutcome:
    headers = [c.header for c in DECLARATION.spec.columns]
    data = write_csv(headers, [[r.get(h, "") for h in headers] for r in rows])
    return bulk.import_file(
        LEDGER, DECLARATION, unit=med.community, by=med.c_clerk, data=data, filename="t.csv"
    )


def row(number: str, **cells: object) -> dict[str, object]:
    return {
        H["number"]: number,
        H["received_on"]: "2026-10-09",
        H["source"]: "当事人申请",
        H["dispute_type"]: "邻里纠纷",
        H["summary"]: "漏水纠纷",
        H["persons"]: "张三、李四",
        **cells,
    }


AGREED = {
    H["mediator"]: "王强",
    H["outcome"]: "书面协议",
    H["concluded_on"]: "2026-10-20",
    H["agreement"]: "赔偿2800元",
    H["confirmation_on"]: "2026-10-30",
    H["court"]: "示例区人民法院",
    H["followup_on"]: "2026-11-10",
    H["performance"]: "已履行",
}


def test_rows_replay_through_the_table_and_reimport_is_idempotent(med: Med) -> None:
    rows = [row("TJ-1", **AGREED), row("TJ-2")]
    first = import_rows(med, rows)
    assert first.ok, first.errors
    assert first.created == 2
    case = Case.objects.get(number="TJ-1")
    assert (case.status, case.outcome, case.mediator.name) == ("agreed", "written", "王强")  # type: ignore[union-attr]
    # Applied within the window, which then stops (no longer shown as open).
    assert (case.confirmation_applied_on, case.confirmation_due_on) == (d(10, 30), None)
    assert case.target_due_on == d(11, 9)  # 10-09 + 1 month, kept for 一个月内调结率
    kinds = list(CaseEvent.objects.filter(record=case).values_list("kind", flat=True))
    assert kinds == ["registered", "assigned", "written", "confirmation_applied", "followed_up"]
    assert Party.objects.filter(record=case).count() == 2
    again = import_rows(med, rows)
    assert (again.ok, again.created, again.unchanged) == (True, 0, 2)
    assert Case.objects.count() == 2


def test_cells_that_do_not_parse_are_named_and_nothing_is_written(med: Med) -> None:
    rows = [
        row("TJ-1", **AGREED),
        row("TJ-2", **{H["dispute_type"]: "吵架"}),
        row("TJ-6", **{H["received_on"]: "2026-13-01"}),
    ]
    outcome = import_rows(med, rows)
    text = "\n".join(outcome.errors)
    assert "第3行「纠纷类型」不是可选值之一" in text
    assert "第4行「受理日期」不是有效日期: 2026-13-01" in text
    assert Case.with_voided.count() == 0 and Party.objects.count() == 0


def test_rows_that_break_the_rules_are_named_and_nothing_is_written(med: Med) -> None:
    rows = [
        row("TJ-1", **AGREED),
        row("TJ-3", **{H["outcome"]: "调解不成", H["concluded_on"]: "2026-10-20"}),
        row("TJ-4", **{H["mediator"]: "无此人"}),
        row("TJ-5", **{H["persons"]: "张三"}),
        row("TJ-7", **{H["committee"]: "没有的调委会"}),
        row("TJ-8", **{H["followup_on"]: "2026-11-01", H["performance"]: "已履行"}),
    ]
    outcome = import_rows(med, rows)
    assert not outcome.ok
    text = "\n".join(outcome.errors)
    assert "第3行「已告知途径」调解不成的，请填写已告知的途径" in text
    assert "第4行「调解员」东湖社区人民调解委员会没有名为「无此人」的调解员" in text
    assert "第5行「自然人当事人」请至少填写两方当事人" in text
    assert "第6行「调解组织」本单位没有名为「没有的调委会」的在任调委会" in text
    assert "第7行「回访日期」只有达成协议的案件才有履行回访" in text
    assert Case.with_voided.count() == 0 and Party.objects.count() == 0


def test_the_export_masks_persons_and_imports_back_unchanged(med: Med) -> None:
    assert import_rows(med, [row("TJ-1", **AGREED)]).ok
    client = Client()
    client.force_login(med.c_clerk)
    content = client.get(reverse("web:export", args=["mediation"])).content
    ws = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    values: list[Any] = [list(r) for r in ws.iter_rows(values_only=True)]
    header, first = values[0], values[1]
    assert first[header.index("自然人当事人")] == "张*、李*"
    assert "张三" not in str(values)
    # The masked names import as no names, and the stored record is unchanged.
    upload = io.BytesIO(content)
    upload.name = "export.xlsx"
    outcome = bulk.import_file(
        LEDGER, DECLARATION, unit=med.community, by=med.c_clerk, data=upload, filename="e.xlsx"
    )
    assert (outcome.ok, outcome.unchanged, outcome.created) == (True, 1, 0), outcome.errors


def test_an_export_with_a_handed_up_case_imports_back_unchanged(med: Med) -> None:
    from fazhi.ledgers.mediation import actions
    from fazhi.ledgers.mediation.tests.test_actions import assigned, session

    assert import_rows(med, [row("TJ-1", **AGREED)]).ok
    case = assigned(med)
    session(case, med.c_clerk)
    actions.hand_up(case, by=med.c_clerk, on=d(11, 10))
    # 街道 A's committee takes it over, a committee the 社区 does not have.
    actions.take_over(
        Case.objects.get(pk=case.pk),
        by=med.cast.a_clerk,
        on=d(11, 11),
        committee=med.street_committee,
    )
    client = Client()
    client.force_login(med.c_clerk)
    content = client.get(reverse("web:export", args=["mediation"])).content
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    exported = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert any(case.number in r and "东湖街道人民调解委员会" in r for r in exported)
    before = (Case.objects.count(), CaseEvent.objects.count())
    upload = io.BytesIO(content)
    upload.name = "export.xlsx"
    outcome = bulk.import_file(
        LEDGER, DECLARATION, unit=med.community, by=med.c_clerk, data=upload, filename="e.xlsx"
    )
    assert (outcome.ok, outcome.unchanged, outcome.created) == (True, 2, 0), outcome.errors
    assert any(f"「{case.number}」已移交东湖街道办理" in w for w in outcome.warnings)
    assert (Case.objects.count(), CaseEvent.objects.count()) == before
