"""The import and the export carry the fee, service and consultation columns; files without
them import as before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from fazhi.core.imports.writing import write_xlsx
from fazhi.ledgers.disclosure import annual
from fazhi.ledgers.disclosure.bulk import import_file
from fazhi.ledgers.disclosure.importing import EXPORT_HEADERS
from fazhi.ledgers.disclosure.models import Application, Status
from fazhi.ledgers.disclosure.tests.importcase import (
    HEADERS,
    base_row,
    counts,
    run_import,
    xlsx_bytes,
)
from fazhi.ledgers.disclosure.ui import UI as LEDGER

D = dt.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_day")]
NEW = [
    "缴费日期",
    "计收方式",
    "计收数量",
    "收费通知送达方式",
    "收费通知送达日期",
    "补正通知送达方式",
    "补正通知送达日期",
    "征求意见对象类型",
    "征求意见送达方式",
    "征求意见送达日期",
    "减免批准日期",
    "减免后应缴金额",
    "减免批准人",
]
ALL = HEADERS + NEW
R = D(2026, 3, 2)  # received, a Monday


def rows() -> list[dict[str, object]]:
    return [
        # Fee by post, signed for 3/9, paid 3/20, then answered.
        base_row(
            1,
            R,
            收费通知日期=D(2026, 3, 4),
            计收方式="按量计收",
            计收数量=120,
            收费通知送达方式="邮寄送达",
            收费通知送达日期=D(2026, 3, 9),
            缴费日期=D(2026, 3, 20),
            收费金额="1100",
            答复日期=D(2026, 4, 10),
            办理结果="予以公开",
        ),
        # Correction notice by post, not yet signed for: 待送达.
        base_row(2, R, 补正通知日期=D(2026, 3, 3), 补正通知送达方式="邮寄"),
        # Another agency consulted, its receipt recorded.
        base_row(
            3,
            R,
            征求意见开始日期=D(2026, 3, 3),
            征求意见对象类型="其他机关",
            征求意见送达方式="电子送达",
            征求意见送达日期=D(2026, 3, 4),
        ),
        # Reduced by a named leader, then paid.
        base_row(
            4,
            R,
            收费通知日期=D(2026, 3, 4),
            计收方式="按件",
            计收数量=12,
            减免批准日期=D(2026, 3, 6),
            减免后应缴金额="50",
            减免批准人="刘洋",
            缴费日期=D(2026, 3, 10),
            收费金额="50",
        ),
        # Waived: no payment; the application goes on.
        base_row(
            5,
            R,
            收费通知日期=D(2026, 3, 4),
            减免批准日期=D(2026, 3, 6),
            减免后应缴金额="0",
            减免批准人="刘洋",
        ),
    ]


def test_new_columns_import_into_the_steps_and_fields(cast: Any) -> None:
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes(rows(), ALL), filename="x.xlsx"
    )
    assert outcome.ok, outcome.errors
    apps = {a.number: a for a in Application.objects.filter(unit=cast.street_a)}
    paid = apps["YSQ-2026-0001"]
    assert (paid.status, paid.fee_amount, paid.fee_paid_on) == (
        Status.CLOSED,
        Decimal(1100),
        D(2026, 3, 20),
    )
    notice = paid.events.get(kind="fee_notice").data
    assert (notice["method"], notice["quantity"], notice["amount"]) == ("per_page", 120, "1100")
    assert (notice["service_method"], notice["served_on"]) == ("post", "2026-03-09")
    pending = apps["YSQ-2026-0002"]
    assert pending.status == Status.AWAITING_CORRECTION
    assert pending.correction_due_on == D(2026, 3, 31)  # presumed received 3/10, + 15 工作日
    consulted = apps["YSQ-2026-0003"]
    data = consulted.events.get(kind="consultation_started").data
    assert data["party_kind"] == "other_agency"
    assert consulted.third_party_due_on == D(2026, 3, 25)  # from 3/4, 15 工作日
    reduced = apps["YSQ-2026-0004"]
    step = reduced.events.get(kind="fee_reduced")
    assert (step.data["amount"], step.data["approver"]) == ("50.00", "刘洋")
    assert (reduced.status, reduced.fee_paid_on) == (Status.RECEIVED, D(2026, 3, 10))
    waived = apps["YSQ-2026-0005"]
    assert waived.status == Status.RECEIVED and waived.fee_due_on is None
    assert annual.fees_collected(Application.objects.all(), 2026) == Decimal(1150)


def test_an_old_file_dates_its_fees_by_the_reply(cast: Any) -> None:
    row = base_row(1, R, 答复日期=D(2026, 3, 20), 办理结果="予以公开", 收费金额="120.50")
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes([row]), filename="old.xlsx"
    )
    assert outcome.ok, outcome.errors
    app = Application.objects.get()
    assert app.fee_paid_on == D(2026, 3, 20)


BAD = [
    ({"缴费日期": D(2026, 3, 20), "收费金额": "10"}, "「缴费日期」已填写，但「收费通知日期」为空"),
    (
        {
            "收费通知日期": D(2026, 3, 4),
            "收费通知送达日期": D(2026, 3, 3),
            "收费通知送达方式": "邮寄",
        },
        "「收费通知送达日期」不能早于「收费通知日期」",
    ),
    (
        {"收费通知日期": D(2026, 3, 4), "收费通知送达日期": D(2026, 3, 5)},
        "已填写，但「收费通知送达方式」为空",
    ),
    ({"补正通知送达方式": "邮寄"}, "「补正通知送达方式」已填写，但「补正通知日期」为空"),
    ({"收费通知日期": D(2026, 3, 4), "计收方式": "按页"}, "「计收方式」"),
    ({"收费通知日期": D(2026, 3, 4), "减免批准日期": D(2026, 3, 6)}, "减免后应缴金额为空"),
    (
        {
            "收费通知日期": D(2026, 3, 4),
            "减免批准日期": D(2026, 3, 6),
            "减免后应缴金额": "0",
            "缴费日期": D(2026, 3, 9),
            "收费金额": "10",
        },
        "已免收信息处理费，不应有缴费日期",
    ),
    (
        {
            "收费通知日期": D(2026, 3, 4),
            "计收方式": "按量计收",
            "计收数量": 10,
            "缴费日期": D(2026, 3, 9),
            "收费金额": "99999",
        },
        "与收费通知不符（按量计收、数量10应收0.00元），文件中为99999.00元",
    ),
    (
        {
            "收费通知日期": D(2026, 3, 4),
            "计收方式": "按量计收",
            "计收数量": 120,
            "减免批准日期": D(2026, 3, 6),
            "减免后应缴金额": "500",
            "缴费日期": D(2026, 3, 9),
            "收费金额": "1100",
        },
        "减免后应缴500.00元），文件中为1100.00元",
    ),
    ({"征求意见开始日期": D(2026, 3, 3), "征求意见对象类型": "外国政府"}, "「征求意见对象类型」"),
    (
        {
            "补正通知日期": D(2026, 3, 3),
            "补正通知送达方式": "邮寄",
            "补正通知送达日期": D(2026, 3, 9),
            "补正完成日期": D(2026, 3, 6),
        },
        "「补正完成日期」不能早于「补正通知送达日期」",
    ),
]


@pytest.mark.parametrize(("values", "message"), BAD)
def test_inconsistent_fee_and_service_columns_are_row_errors(
    cast: Any, values: dict[str, object], message: str
) -> None:
    before = counts()
    good = base_row(1, R)
    bad = base_row(2, R, **values)
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes([good, bad], ALL), filename="x.xlsx"
    )
    assert not outcome.ok
    assert any(e.startswith("第3行") and message in e for e in outcome.errors), outcome.errors
    assert counts() == before


def test_the_export_carries_the_new_columns_and_round_trips(cast: Any) -> None:
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes(rows(), ALL), filename="x.xlsx"
    )
    assert outcome.ok, outcome.errors
    headers, exported = LEDGER.export(Application.objects.filter(unit=cast.street_a))
    assert headers == EXPORT_HEADERS and set(NEW) <= set(headers)
    table = [dict(zip(headers, r, strict=True)) for r in exported]
    first = next(r for r in table if r["申请编号"] == "YSQ-2026-0001")
    assert (first["缴费日期"], first["计收方式"], first["计收数量"]) == (
        D(2026, 3, 20),
        "按量计收",
        120,
    )
    assert (first["收费通知送达方式"], first["收费通知送达日期"]) == ("邮寄送达", D(2026, 3, 9))
    second = next(r for r in table if r["申请编号"] == "YSQ-2026-0002")
    # 待送达: the presumed day is not written, so a re-import keeps it presumed.
    assert (second["补正通知送达方式"], second["补正通知送达日期"]) == ("邮寄送达", None)
    third = next(r for r in table if r["申请编号"] == "YSQ-2026-0003")
    assert third["征求意见对象类型"] == "其他机关"
    fourth = next(r for r in table if r["申请编号"] == "YSQ-2026-0004")
    assert (fourth["减免后应缴金额"], fourth["减免批准人"]) == (Decimal(50), "刘洋")
    headers, exported = LEDGER.export(Application.objects.filter(unit=cast.street_a))
    again = import_file(
        unit=cast.street_b, by=cast.b_clerk, data=write_xlsx(headers, exported), filename="e.xlsx"
    )
    assert again.ok, again.errors
    copy = {a.number: a for a in Application.objects.filter(unit=cast.street_b)}
    original = {a.number: a for a in Application.objects.filter(unit=cast.street_a)}
    for number, app in original.items():
        twin = copy[number]
        fields = (
            "status",
            "fee_amount",
            "fee_paid_on",
            "correction_due_on",
            "third_party_due_on",
            "fee_due_on",
        )
        assert [getattr(twin, f) for f in fields] == [getattr(app, f) for f in fields], number


def test_the_command_line_import_takes_the_new_columns(cast: Any, tmp_path: Any) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes(rows(), ALL))
    out, _ = run_import(str(path), "--unit", "A1", "--as", "a_clerk")
    assert "已导入新申请 5 件" in out
    app = Application.objects.get(number="YSQ-2026-0001")
    assert (app.fee_paid_on, app.fee_amount) == (D(2026, 3, 20), Decimal(1100))


def test_a_withholding_reply_without_reasons_imports_flagged(cast: Any) -> None:
    """Old ledgers often lack the reasons; the form would refuse the reply, the import keeps it
    as the file has it and says so."""
    row = base_row(1, R, 答复日期=D(2026, 3, 20), 办理结果="属于国家秘密")
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes([row]), filename="x.xlsx"
    )
    assert outcome.ok, outcome.errors
    assert any("第2行「答复日期」答复未写明理由" in w for w in outcome.warnings), outcome.warnings
    reply = Application.objects.get().events.get(kind="replied")
    assert reply.data["flags"] == ["答复未写明理由（条例第三十六条第（三）项、第三十七条）"]
