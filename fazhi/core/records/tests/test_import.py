"""Import replay (core.records.bulk) on the toy ledger: every row validated like the register
form, its steps replayed through the transition table; guards broken in history are kept and
flagged; all or nothing; idempotent on the number."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from fazhi.core.audit.models import AuditEvent
from fazhi.core.imports.spec import ParsedRow, RowError
from fazhi.core.imports.writing import write_csv
from fazhi.core.records import bulk
from fazhi.core.records.bulk import ImportRow, ImportStep
from fazhi.core.records.tests.helpers import (
    LEDGER,
    counts,
    d,
    import_rows,
    kinds,
    row,
    step,
)
from fazhi.core.records.tests.toy.models import Case, CaseEvent, Status
from fazhi.core.records.tests.toy.ui import DECLARATION, UI
from fazhi.core.web.timeline import timeline
from fazhi.core.workflow import ActionError

S = Status
pytestmark = pytest.mark.usefixtures("now")


def test_a_row_becomes_a_record_with_its_steps_and_clocks(cast: Any) -> None:
    outcome = import_rows(
        cast,
        [
            row("IMP-1", 征询日期="2026-11-04", 答复日期="2026-11-06"),
            row("IMP-2", 提交审核日期="2026-11-05"),
        ],
    )
    assert (outcome.ok, outcome.created, outcome.warnings) == (True, 2, [])
    assert outcome.summary() == "共 2 行：已导入新案件 2 件，已存在且无变化 0 件。"
    first, second = Case.objects.get(number="IMP-1"), Case.objects.get(number="IMP-2")
    assert kinds(first) == ["registered", "asked", "answered"]
    assert (first.status, first.handle_due_on, first.window_due_on) == (
        S.RECEIVED,
        d(11, 18),
        d(11, 9),
    )
    assert (second.status, second.due_on, second.due_kind) == (S.SUBMITTED, d(11, 16), "handle")
    event = CaseEvent.objects.get(record=first, kind="asked")
    assert event.by is None and event.data["imported_by"] == "a_clerk"
    assert event.data["column"] == "征询日期"
    assert AuditEvent.objects.filter(code="toy.case.imported").count() == 2
    assert AuditEvent.objects.get(code="toy.import.completed").data == {
        "file": "t.csv",
        "created": 2,
    }


def test_a_step_that_breaks_a_guard_is_imported_and_flagged(cast: Any) -> None:
    outcome = import_rows(
        cast,
        [row("IMP-1", 补充材料日期="2026-11-12", 提交审核日期="2026-11-13", 审核日期="2026-11-16")],
    )
    assert outcome.ok and outcome.created == 1
    assert outcome.warnings == [
        "第2行「补充材料日期」补充材料应在2026-11-09前提交，已超过期限（已如实导入并标注）",
        # The importing clerk counts as the submitter, and so as the reviewer too.
        "第2行「审核日期」提交审核的人不能审核自己办理的案件（已如实导入并标注）",
    ]
    case = Case.objects.get(number="IMP-1")
    assert (case.status, case.closed_on) == (S.CLOSED, d(11, 16))
    late = CaseEvent.objects.get(record=case, kind="supplemented")
    assert late.data["flags"] == ["补充材料应在2026-11-09前提交，已超过期限"]
    shown = {t.label: t.flags for t in timeline(UI, case)}
    assert shown["补充材料"] == ("补充材料应在2026-11-09前提交，已超过期限",)
    assert shown["提交审核"] == ()


# (steps of the row, the error)
IMPOSSIBLE = [
    (
        {"答复日期": "2026-11-06"},
        "第2行「答复日期」「登记答复」不能在「办理中」状态下发生（请核对各环节的日期和顺序）",
    ),
    (
        {"提交审核日期": "2026-11-05", "审核日期": "2026-11-06", "征询日期": "2026-11-09"},
        "第2行「征询日期」「发出征询」不能在「已办结」状态下发生（请核对各环节的日期和顺序）",
    ),
    ({"征询日期": "2026-11-01"}, "第2行「征询日期」早于上一办理环节的日期（2026-11-02）"),
    ({"征询日期": "2026-11-26"}, "第2行「征询日期」不能晚于今天（2026-11-25）"),
]


@pytest.mark.parametrize(("steps", "error"), IMPOSSIBLE)
def test_a_step_impossible_in_the_replayed_order_is_a_row_error(
    cast: Any, steps: dict[str, str], error: str
) -> None:
    written = counts()
    outcome = import_rows(cast, [row("OK-1"), row("BAD-1", **steps)])
    assert outcome.errors == [error.replace("第2行", "第3行")]
    assert not outcome.ok and outcome.created == 0
    assert counts() == written


# (fields of the row, the error)
INVALID = [
    ({"证件号码": "12345"}, "第2行「证件号码」证件号码应为18位"),
    ({"事项": "长" * 101}, "第2行「事项」过长（最多100个字符，实际101个字符）"),
    ({"案件编号": "N" * 65}, "第2行「案件编号」过长（最多64个字符，实际65个字符）"),
]


@pytest.mark.parametrize(("fields", "error"), INVALID)
def test_a_row_is_validated_like_the_register_form(
    cast: Any, fields: dict[str, str], error: str
) -> None:
    written = counts()
    outcome = import_rows(cast, [{**row("BAD-1"), **fields}])
    assert outcome.errors == [error]
    assert counts() == written


def test_a_future_start_date_is_refused_as_when_registering(cast: Any) -> None:
    written = counts()
    outcome = import_rows(cast, [row("BAD-1", "2026-11-26")])
    assert len(outcome.errors) == 1
    assert outcome.errors[0].startswith("第2行「收到日期」")
    assert outcome.errors[0].endswith("不能晚于今天（2026-11-25）")
    assert counts() == written


def test_an_approval_records_the_approver_the_file_names_else_it_is_flagged(cast: Any) -> None:
    outcome = import_rows(
        cast,
        [
            row("IMP-1", 批准延期日期="2026-11-10", 批准人="李主任"),
            row("IMP-2", 批准延期日期="2026-11-10"),
        ],
    )
    assert outcome.ok
    assert outcome.warnings == ["第3行「批准延期日期」文件未注明批准人（已如实导入并标注）"]
    named = CaseEvent.objects.get(record__number="IMP-1", kind="extended")
    assert (named.by, named.data["approver"], named.data.get("flags")) == (None, "李主任", None)
    unnamed = CaseEvent.objects.get(record__number="IMP-2", kind="extended")
    assert "approver" not in unnamed.data and unnamed.data["flags"] == ["文件未注明批准人"]
    case = Case.objects.get(number="IMP-1")
    assert case.handle_due_on == d(11, 23)
    who = {t.label: t.by for t in timeline(UI, case)}
    assert who["批准延期"] == "Excel 导入（a_clerk，批准人：李主任）"


def test_all_or_nothing(cast: Any) -> None:
    written = counts()
    outcome = import_rows(
        cast, [row("IMP-1"), row("IMP-2", 答复日期="2026-11-06"), row("IMP-3", 证件号码="1")]
    )
    assert len(outcome.errors) == 2 and outcome.summary().startswith("导入失败：发现 2 处错误")
    assert counts() == written
    # A cell that cannot be read stops the file before any row is replayed.
    outcome = import_rows(cast, [row("IMP-1"), row("IMP-3", 类型="机器人")])
    assert outcome.errors == ["第3行「类型」不是可选值之一: 「机器人」，可选值为「个人」、「单位」"]
    assert counts() == written
    dry = bulk.import_file(
        LEDGER,
        DECLARATION,
        unit=cast.street_a,
        by=cast.a_clerk,
        data=_csv([row("IMP-1")]),
        filename="t.csv",
        dry_run=True,
    )
    assert (dry.ok, dry.created) == (True, 1) and counts() == written


def _csv(rows: list[dict[str, object]]) -> bytes:
    headers = [c.header for c in DECLARATION.spec.columns]
    return write_csv(headers, [[r.get(h, "") for h in headers] for r in rows])


def test_reimporting_the_same_file_is_idempotent(cast: Any) -> None:
    rows = [
        row("IMP-1", 征询日期="2026-11-04"),
        row("IMP-2", 批准延期日期="2026-11-10", 批准人="李"),
    ]
    assert import_rows(cast, rows).created == 2
    written = counts()
    again = import_rows(cast, rows)
    assert (again.ok, again.created, again.unchanged) == (True, 0, 2)
    assert counts() == written
    changed = import_rows(cast, [row("IMP-1", 征询日期="2026-11-05")])
    assert changed.errors == [
        "第2行「案件编号」「IMP-1」已存在，且内容与系统中的记录不同（修改请在系统中办理）"
    ]
    # A step taken in fazhi since, of a kind the file does not describe, changes nothing.
    step(Case.objects.get(number="IMP-2"), "suspend", cast.a_clerk, d(11, 11))
    assert import_rows(cast, rows).unchanged == 2


def test_importing_needs_the_register_permission(cast: Any) -> None:
    with pytest.raises(ActionError, match="您没有向该单位导入台账的权限"):
        import_rows(cast, [row("IMP-1")], by=cast.a_reviewer)
    with pytest.raises(ActionError, match="您没有向该单位导入台账的权限"):
        import_rows(cast, [row("IMP-1")], by=cast.b_clerk)


def test_a_declared_step_may_not_set_the_status(cast: Any) -> None:
    def to_row(parsed: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
        found, errors = DECLARATION.to_row(parsed, today)
        assert found is not None
        wrong = ImportStep("supplement", d(11, 3), "补充材料日期", changes={"status": S.CLOSED})
        return dataclasses.replace(found, steps=[wrong]), errors

    declaration = dataclasses.replace(DECLARATION, to_row=to_row)
    written = counts()
    with pytest.raises(ValueError, match="status"):
        bulk.import_file(
            LEDGER,
            declaration,
            unit=cast.street_a,
            by=cast.a_clerk,
            data=_csv([row("IMP-1")]),
            filename="t.csv",
        )
    assert counts() == written


def test_a_reference_is_resolved_within_the_importing_unit(cast: Any) -> None:
    outcome = import_rows(cast, [row("IMP-1", 承办人="a_clerk"), row("IMP-2")])
    assert outcome.errors == [] and outcome.created == 2
    assert Case.objects.get(number="IMP-1").handler == cast.a_clerk
    assert Case.objects.get(number="IMP-2").handler is None


@pytest.mark.parametrize("name", ["b_clerk", "nobody", "jiandu"])
def test_an_unresolved_reference_is_a_row_error_and_nothing_is_written(
    cast: Any, name: str
) -> None:
    """Another unit's clerk, a login that does not exist and one who cannot handle cases in the
    unit read alike; every row's reference is checked before anything is written."""
    written = counts()
    outcome = import_rows(
        cast,
        [
            row("IMP-1", 承办人="a_clerk"),
            row("IMP-2", 承办人=name),
            row("IMP-3", 承办人="a_leader"),
        ],
    )
    assert outcome.errors == [f"第3行「承办人」本单位没有可以办理案件的人员「{name}」"]
    assert outcome.summary() == "导入失败：发现 1 处错误，未写入任何记录。"
    assert counts() == written
