"""Importing a year of disclosure applications from Excel/CSV (DESIGN invariant 7)."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.core.audit.models import AuditEvent
from fazhi.core.calendar.service import get_calendar
from fazhi.core.imports.writing import write_xlsx
from fazhi.ledgers.disclosure import actions, annual
from fazhi.ledgers.disclosure.bulk import import_file
from fazhi.ledgers.disclosure.models import Application, Outcome, Status
from fazhi.ledgers.disclosure.tests.importcase import (
    HEADERS,
    OPTIONAL,
    Row,
    bad_checksum,
    base_row,
    counts,
    csv_bytes,
    id_number,
    run_import,
    xlsx_bytes,
    year_of_rows,
)
from fazhi.ledgers.disclosure.tests.replycase import content

pytestmark = pytest.mark.usefixtures("import_day")


# --- a year of applications -------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "encode"),
    [
        pytest.param("台账.xlsx", xlsx_bytes, id="xlsx"),
        pytest.param("台账.csv", lambda rows: csv_bytes(rows, "utf-8-sig"), id="csv-utf8-bom"),
        pytest.param("台账.csv", lambda rows: csv_bytes(rows, "gb18030"), id="csv-gb18030"),
    ],
)
def test_a_year_imports_with_derived_statuses(cast: Any, filename: str, encode: Any) -> None:
    rows = year_of_rows(200)
    outcome = import_file(unit=cast.street_a, by=cast.a_clerk, data=encode(rows), filename=filename)
    assert outcome.ok, outcome.errors
    assert (outcome.rows, outcome.created, outcome.unchanged) == (200, 200, 0)
    assert outcome.summary() == "共 200 行：已导入新申请 200 件，已存在且无变化 0 件。"

    apps = {a.number: a for a in Application.objects.filter(unit=cast.street_a)}
    assert len(apps) == 200
    cal = get_calendar()
    for row in rows:
        app = apps[str(row["申请编号"])]
        received = row["收到日期"]
        assert app.received_on == received
        assert app.applicant_name == row["申请人"]
        assert app.get_applicant_category_display() == row["申请人类型"]
        assert app.get_channel_display() == row["收到方式"]
        assert app.id_number == row["证件号码"]
        assert app.created_by == cast.a_clerk
        replied = row["答复日期"]
        if replied:
            assert app.status == Status.CLOSED
            assert app.replied_on == replied
            assert app.get_outcome_display() == row["办理结果"]
            assert app.due_on is None
        elif row["补正通知日期"] and not row["补正完成日期"]:
            assert app.status == Status.AWAITING_CORRECTION
            assert app.due_kind == "correction"
        elif row["征求意见开始日期"] and not row["征求意见结束日期"]:
            assert app.status == Status.CONSULTING
            # The third party's 15 working days are the nearest clock (long past, here).
            assert app.due_kind == "third_party"
            assert app.third_party_due_on == cal.add_workdays(row["征求意见开始日期"], 15)
        else:
            assert app.status == Status.RECEIVED
            assert app.due_on == app.reply_due_on
        assert app.reply_due_on is not None
        corrected = row["补正完成日期"]
        if corrected:
            # 补正 restarts the 20-working-day reply period from the corrected application.
            assert isinstance(corrected, dt.date)
            assert app.reply_due_on == cal.add_workdays(corrected, 20)
            assert app.reply_due_on != cal.add_workdays(app.received_on, 20)
        elif not (row["征求意见开始日期"] or row["延期日期"] or row["收费通知日期"]):
            assert isinstance(received, dt.date)
            assert app.reply_due_on == cal.add_workdays(received, 20)
        if row["延期日期"] and not corrected:
            assert app.reply_due_on == cal.add_workdays(app.received_on, 40)
        fee = row["收费金额"]
        assert app.fee_amount == (Decimal(str(fee)) if fee else Decimal(0))

    statuses = {a.status for a in apps.values()}
    assert statuses == {
        Status.RECEIVED,
        Status.AWAITING_CORRECTION,
        Status.CONSULTING,
        Status.CLOSED,
    }
    one = apps["YSQ-2026-0011"]  # shape 1: registered, correction requested, corrected, replied
    assert list(one.events.values_list("kind", flat=True)) == [
        "registered",
        "correction_requested",
        "corrected",
        "replied",
    ]
    assert AuditEvent.objects.filter(code="disclosure.application.imported").count() == 200
    assert AuditEvent.objects.filter(code="disclosure.import.completed").count() == 1


def test_a_file_without_the_optional_columns_imports(cast: Any) -> None:
    headers = [h for h in HEADERS if h not in OPTIONAL]
    rows = year_of_rows(20, with_ids=False)
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes(rows, headers), filename="x.xlsx"
    )
    assert outcome.ok, outcome.errors
    assert outcome.created == 20
    app = Application.objects.get(unit=cast.street_a, number="YSQ-2026-0009")
    assert app.channel == "in_person"
    assert app.fee_amount == Decimal(0)
    assert app.id_number == "" and app.contact == ""


def test_a_title_row_above_the_header_is_skipped(cast: Any) -> None:
    rows = year_of_rows(3)
    data = xlsx_bytes(rows, title="东湖街道2026年政府信息公开申请台账")
    outcome = import_file(unit=cast.street_a, by=cast.a_clerk, data=data, filename="x.xlsx")
    assert outcome.ok, outcome.errors
    assert outcome.created == 3
    assert any("已跳过表头之前的 1 行" in w for w in outcome.warnings)


def test_corrected_application_restarts_the_reply_clock(cast: Any) -> None:
    received = dt.date(2026, 9, 1)
    corrected = dt.date(2026, 9, 10)
    row = base_row(1, received, 补正通知日期=dt.date(2026, 9, 3), 补正完成日期=corrected)
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes([row]), filename="x.xlsx"
    )
    assert outcome.ok, outcome.errors
    app = Application.objects.get(number="YSQ-2026-0001")
    # Thu 10 Sep 2026 + 20 working days: 中秋 (25 Sep) and 国庆 (1–7 Oct) off,
    # Sun 20 Sep and Sat 10 Oct worked -> Wed 14 Oct (counted from receipt: Tue 29 Sep).
    assert app.reply_due_on == dt.date(2026, 10, 14)
    assert app.due_on == app.reply_due_on
    assert app.status == Status.RECEIVED
    assert app.due_provisional is False


@pytest.mark.parametrize(("code", "label"), Outcome.choices)
def test_every_outcome_label_maps_to_its_code(cast: Any, code: str, label: str) -> None:
    row = base_row(1, dt.date(2026, 6, 1), 答复日期=dt.date(2026, 6, 10), 办理结果=label)
    # Closing for a lapsed correction or fee rests on the notice (the form's own rule).
    notice = {Outcome.OTHER_1: "补正通知日期", Outcome.OTHER_2: "收费通知日期"}.get(Outcome(code))
    if notice:
        row[notice] = dt.date(2026, 6, 2)
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=csv_bytes([row], "utf-8-sig"), filename="x.csv"
    )
    assert outcome.ok, outcome.errors
    app = Application.objects.get(number="YSQ-2026-0001")
    assert app.outcome == code
    assert app.status == Status.CLOSED
    assert annual.table3(Application.objects.all(), 2026)[code]["natural_person"] == 1


# --- idempotency ------------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes(year_of_rows(60)))
    out, _ = run_import(str(path), "--unit", "A1")
    assert "已导入新申请 60 件" in out
    before = counts()
    snapshot = list(Application.objects.order_by("id").values())

    out, _ = run_import(str(path), "--unit", "A1")
    assert "共 60 行：已导入新申请 0 件，已存在且无变化 60 件。" in out
    assert counts() == before
    assert list(Application.objects.order_by("id").values()) == snapshot

    again = import_file(unit=cast.street_a, by=cast.a_clerk, data=path, filename=path.name)
    assert (again.created, again.unchanged) == (0, 60)
    assert counts() == before


@pytest.mark.parametrize(
    ("index", "column", "shift"),
    [
        pytest.param(0, "补正完成日期", 1, id="corrected-on"),
        pytest.param(0, "补正通知日期", 1, id="correction-requested-on"),
        pytest.param(2, "征求意见结束日期", -1, id="consultation-ended-on"),
        pytest.param(3, "征求意见开始日期", 1, id="consultation-started-on"),
        pytest.param(4, "延期日期", -2, id="extended-on"),
        pytest.param(4, "答复日期", 1, id="replied-on"),
    ],
)
def test_reimport_with_a_changed_step_date_is_an_error(
    cast: Any, index: int, column: str, shift: int
) -> None:
    """A re-import must not report "无变化" for a row whose dates differ from the record."""
    rows = year_of_rows(10)
    import_file(unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes(rows), filename="x.xlsx")
    before = counts()
    snapshot = list(Application.objects.order_by("id").values())
    changed = [dict(r) for r in rows]
    value = changed[index][column]
    assert isinstance(value, dt.date), (index, column)
    changed[index][column] = value + dt.timedelta(days=shift)
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes(changed), filename="x.xlsx"
    )
    assert not outcome.ok
    number = changed[index]["申请编号"]
    assert outcome.errors == [
        f"第{index + 2}行「申请编号」「{number}」已存在，且内容与系统中的记录不同（修改请在系统中办理）"
    ]
    assert counts() == before
    assert list(Application.objects.order_by("id").values()) == snapshot


def test_reexporting_records_made_through_the_actions_reimports_unchanged(cast: Any) -> None:
    from fazhi.ledgers.disclosure.ui import UI as LEDGER

    app = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=dt.date(2026, 9, 1),
        applicant_category="business",
        applicant_name="某物业服务有限公司",
        content="街道环境卫生作业服务合同",
    )
    app = actions.request_correction(app=app, by=cast.a_clerk, on=dt.date(2026, 9, 2), items="文号")
    app = actions.record_correction(app=app, by=cast.a_clerk, on=dt.date(2026, 9, 8))
    app = actions.start_consultation(
        app=app, by=cast.a_clerk, on=dt.date(2026, 9, 9), party_kind="third_party", party="某公司"
    )
    app = actions.end_consultation(app=app, by=cast.a_clerk, on=dt.date(2026, 9, 18))
    actions.reply(
        app=app, by=cast.a_clerk, on=dt.date(2026, 9, 30), outcome="partial", **content("partial")
    )
    headers, rows = LEDGER.export(Application.objects.filter(unit=cast.street_a))
    before = counts()
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=write_xlsx(headers, rows), filename="x.xlsx"
    )
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.unchanged) == (0, 1)
    assert counts() == before


def test_same_numbers_in_another_unit_are_separate(cast: Any) -> None:
    data = xlsx_bytes(year_of_rows(5))
    import_file(unit=cast.street_a, by=cast.a_clerk, data=data, filename="x.xlsx")
    outcome = import_file(unit=cast.street_b, by=cast.b_clerk, data=data, filename="x.xlsx")
    assert (outcome.created, outcome.unchanged) == (5, 0)
    assert Application.objects.filter(unit=cast.street_b).count() == 5


# --- all or nothing ---------------------------------------------------------------------

GOOD_ROWS = 5
BAD_LINE = GOOD_ROWS + 2  # header is line 1, then the good rows, then the bad one


def _bad(**values: object) -> Row:
    return base_row(99, dt.date(2026, 5, 6), **values)


DEFECTS = [
    pytest.param(
        _bad(收到日期="2026-13-01"),
        f"第{BAD_LINE}行「收到日期」不是有效日期: 2026-13-01",
        id="impossible-date",
    ),
    pytest.param(
        _bad(答复日期="2026-05-01", 办理结果="予以公开"),
        f"第{BAD_LINE}行「答复日期」不能早于「收到日期」",
        id="reply-before-receipt",
    ),
    pytest.param(
        _bad(答复日期="2026-05-20", 办理结果=""),
        f"第{BAD_LINE}行「办理结果」已填写答复日期，但办理结果为空",
        id="reply-without-outcome",
    ),
    pytest.param(
        _bad(办理结果="予以公开"),
        f"第{BAD_LINE}行「答复日期」已填写办理结果，但答复日期为空",
        id="outcome-without-reply",
    ),
    pytest.param(
        _bad(答复日期="2026-05-20", 办理结果="同意公开"),
        f"第{BAD_LINE}行「办理结果」不是可选值之一: 「同意公开」",
        id="unknown-outcome",
    ),
    pytest.param(
        _bad(证件号码=bad_checksum(7)),
        f"第{BAD_LINE}行「证件号码」不是有效的身份证号码（校验位错误）",
        id="bad-id-checksum",
    ),
    pytest.param(
        _bad(申请人类型="外星人"),
        f"第{BAD_LINE}行「申请人类型」不是可选值之一: 「外星人」",
        id="unknown-category",
    ),
    pytest.param(
        _bad(申请内容=""),
        f"第{BAD_LINE}行「申请内容」不能为空",
        id="missing-content",
    ),
    pytest.param(
        _bad(收到日期="2026-12-01"),
        f"第{BAD_LINE}行「收到日期」不能晚于今天: 2026-12-01",
        id="future-date",
    ),
    pytest.param(
        _bad(补正完成日期="2026-05-10"),
        f"第{BAD_LINE}行「补正完成日期」已填写，但「补正通知日期」为空",
        id="corrected-without-notice",
    ),
    pytest.param(
        _bad(收费金额="-5"),
        f"第{BAD_LINE}行「收费金额」金额不能为负数",
        id="negative-fee",
    ),
    pytest.param(
        _bad(证件号码="1.10101E+17"),
        f"第{BAD_LINE}行「证件号码」是数字格式，Excel 只保留15位有效数字",
        id="id-number-saved-as-scientific-notation",
    ),
    pytest.param(
        _bad(申请编号="YSQ-" + "9" * 61),
        f"第{BAD_LINE}行「申请编号」过长（最多64个字符，实际65个字符）",
        id="number-too-long",
    ),
    pytest.param(
        _bad(申请人="某" * 201),
        f"第{BAD_LINE}行「申请人」过长（最多200个字符，实际201个字符）",
        id="name-too-long",
    ),
    pytest.param(
        _bad(答复日期="2026-05-20", 办理结果="予以公开", 收费金额="100000000"),
        f"第{BAD_LINE}行「收费金额」超出范围",
        id="fee-too-large",
    ),
    pytest.param(
        _bad(申请编号="YSQ-2026-0002"),
        f"第{BAD_LINE}行「申请编号」与第3行重复: YSQ-2026-0002",
        id="duplicate-number-in-file",
    ),
]


def _good_rows() -> list[Row]:
    return year_of_rows(GOOD_ROWS)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(("bad", "message"), DEFECTS)
def test_one_bad_row_writes_nothing(cast: Any, bad: Row, message: str, fmt: str) -> None:
    rows = [*_good_rows(), bad]
    data = xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows, "utf-8-sig")
    before = counts()
    outcome = import_file(unit=cast.street_a, by=cast.a_clerk, data=data, filename=f"台账.{fmt}")
    assert not outcome.ok
    assert any(e.startswith(message) for e in outcome.errors), outcome.errors
    for error in outcome.errors:
        assert re.match(r"第\d+行「[^」]+」", error), error
    assert outcome.created == 0
    assert outcome.summary().startswith("导入失败")
    assert counts() == before


def test_an_id_number_kept_as_a_number_in_excel_is_refused(cast: Any) -> None:
    """Excel keeps 15 significant digits: an 18-digit ID typed into a number cell is mangled."""
    rows = [*_good_rows(), _bad(证件号码=int(id_number(5)))]
    before = counts()
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes(rows), filename="x.xlsx"
    )
    assert not outcome.ok
    assert outcome.errors[0].startswith(
        f"第{BAD_LINE}行「证件号码」是数字格式，Excel 只保留15位有效数字"
    ), outcome.errors
    assert counts() == before


def test_same_number_with_different_content_is_an_error(cast: Any) -> None:
    rows = _good_rows()
    import_file(unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes(rows), filename="x.xlsx")
    before = counts()
    changed = [dict(r) for r in rows]
    changed[2]["申请内容"] = "另一项内容"
    changed.append(base_row(50, dt.date(2026, 6, 1)))  # a new row, which must not be written
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes(changed), filename="x.xlsx"
    )
    assert not outcome.ok
    assert outcome.errors == [
        "第4行「申请编号」「YSQ-2026-0003」已存在，且内容与系统中的记录不同（修改请在系统中办理）"
    ]
    assert counts() == before
    assert not Application.objects.filter(number="YSQ-2026-0050").exists()


def test_command_reports_row_errors_and_writes_nothing(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes(csv_bytes([*_good_rows(), _bad(收到日期="2026-13-01")], "gb18030"))
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="导入失败：发现 1 处错误，未写入任何记录"):
        call_command(
            "import", "disclosure", str(path), "--unit", "A1", stdout=io.StringIO(), stderr=err
        )
    assert f"第{BAD_LINE}行「收到日期」不是有效日期: 2026-13-01" in err.getvalue()
    assert counts() == before


def test_a_late_correction_notice_is_kept_but_does_not_restart_the_clock(cast: Any) -> None:
    """Ledgers record what happened; a notice after the 7 working days of Art. 30 is flagged and
    does not give the office a new 20-day period."""
    row = base_row(1, dt.date(2026, 3, 2))
    row.update({"补正通知日期": dt.date(2026, 3, 20), "补正完成日期": dt.date(2026, 3, 23)})
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes([row]), filename="x.xlsx"
    )
    assert outcome.ok, outcome.errors
    app = Application.objects.get(unit=cast.street_a)
    assert app.events.get(kind="correction_requested").data["late"] is True
    assert app.reply_due_on == dt.date(2026, 3, 30)  # from receipt, not from 3/23
