"""Importing: dry runs, hostile files, permissions and the export round trip."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.core.audit.models import AuditEvent
from fazhi.core.imports.writing import write_xlsx
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure import actions, annual
from fazhi.ledgers.disclosure.bulk import import_file
from fazhi.ledgers.disclosure.models import Application
from fazhi.ledgers.disclosure.tests.importcase import (
    counts,
    id_number,
    run_import,
    xlsx_bytes,
    year_of_rows,
)

pytestmark = pytest.mark.usefixtures("import_day")


# --- dry run ----------------------------------------------------------------------------


def test_dry_run_writes_nothing(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes(year_of_rows(30)))
    before = counts()
    out, _ = run_import(str(path), "--unit", "A1", "--dry-run")
    assert "共 30 行：可导入新申请 30 件，已存在且无变化 0 件。" in out
    assert counts() == before

    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=path, filename=path.name, dry_run=True
    )
    assert outcome.ok and outcome.dry_run
    assert (outcome.created, outcome.unchanged) == (30, 0)
    assert counts() == before


def test_dry_run_after_import_reports_unchanged(cast: Any, tmp_path: Path) -> None:
    rows = year_of_rows(10)
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes(rows[:6]))
    run_import(str(path), "--unit", "A1")
    path.write_bytes(xlsx_bytes(rows))
    before = counts()
    out, _ = run_import(str(path), "--unit", "A1", "--dry-run")
    assert "共 10 行：可导入新申请 4 件，已存在且无变化 6 件。" in out
    assert counts() == before


# --- hostile files ----------------------------------------------------------------------


def test_a_50_mb_file_is_refused(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    with path.open("wb") as fp:
        fp.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="导入失败"):
        call_command(
            "import", "disclosure", str(path), "--unit", "A1", stdout=io.StringIO(), stderr=err
        )
    assert "文件过大（50 MB），上限为 10 MB" in err.getvalue()
    assert counts() == before

    outcome = import_file(unit=cast.street_a, by=cast.a_clerk, data=path, filename=path.name)
    assert outcome.errors == ["文件过大（50 MB），上限为 10 MB"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            b"this is not a spreadsheet\n" * 100, "文件不是有效的 Excel 文件（.xlsx）", id="text"
        ),
        pytest.param(
            b"PK\x03\x04" + b"\x00" * 200, "文件不是有效的 Excel 文件（.xlsx）", id="bad-zip"
        ),
        pytest.param(b"", "文件不是有效的 Excel 文件（.xlsx）", id="empty"),
    ],
)
def test_a_non_excel_file_named_xlsx_is_refused(
    cast: Any, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(content)
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="导入失败"):
        call_command(
            "import", "disclosure", str(path), "--unit", "A1", stdout=io.StringIO(), stderr=err
        )
    assert message in err.getvalue()
    assert counts() == before


def test_command_argument_errors_are_chinese(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes(year_of_rows(2)))
    with pytest.raises(CommandError, match="未知台账「nope」"):
        call_command("import", "nope", str(path), "--unit", "A1", stdout=io.StringIO())
    with pytest.raises(CommandError, match="未找到单位代码「ZZ」"):
        call_command("import", "disclosure", str(path), "--unit", "ZZ", stdout=io.StringIO())
    with pytest.raises(CommandError, match="找不到文件"):
        call_command(
            "import",
            "disclosure",
            str(tmp_path / "missing.xlsx"),
            "--unit",
            "A1",
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match="无权向 东湖街道 导入"):
        call_command(
            "import",
            "disclosure",
            str(path),
            "--unit",
            "A1",
            "--as",
            "b_clerk",
            stdout=io.StringIO(),
        )
    assert Application.objects.count() == 0


def test_command_as_a_named_user_records_the_importer(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes(year_of_rows(2)))
    run_import(str(path), "--unit", "A1", "--as", "a_clerk")
    assert set(Application.objects.values_list("created_by", flat=True)) == {cast.a_clerk.pk}
    event = AuditEvent.objects.get(code="disclosure.import.completed")
    assert event.actor == "a_clerk"


# --- permissions ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["b_clerk", "supervisor", "a_reviewer"])
def test_only_the_units_registrars_may_import(cast: Any, who: str) -> None:
    data = xlsx_bytes(year_of_rows(3))
    before = counts()
    with pytest.raises(ActionError, match="没有向该单位导入台账的权限"):
        import_file(unit=cast.street_a, by=getattr(cast, who), data=data, filename="x.xlsx")
    assert counts() == before


# --- export round trip ------------------------------------------------------------------


def _comparable(app: Application) -> tuple[object, ...]:
    return (
        app.received_on,
        app.applicant_category,
        app.applicant_name,
        app.contact,
        app.content,
        app.channel,
        app.status,
        app.outcome,
        app.replied_on,
        app.fee_amount,
        app.due_on,
        app.due_kind,
        app.reply_due_on,
        app.due_provisional,
        tuple(app.events.values_list("kind", "on")),
    )


def test_export_round_trips_into_an_empty_unit(cast: Any) -> None:
    from fazhi.ledgers.disclosure.ui import UI as LEDGER

    rows = year_of_rows(120, with_ids=False)
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes(rows), filename="x.xlsx"
    )
    assert outcome.ok, outcome.errors
    # And one made through the actions, with a consultation and an extension.
    app = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=dt.date(2026, 10, 12),
        applicant_category="research",
        applicant_name="某大学法学院课题组",
        content="街道垃圾分类工作实施方案",
        channel="email",
        number="YSQ-2026-0900",
    )
    app = actions.start_consultation(
        app=app, by=cast.a_clerk, on=dt.date(2026, 10, 14), party_kind="third_party", party="某公司"
    )
    app = actions.end_consultation(app=app, by=cast.a_clerk, on=dt.date(2026, 10, 23))
    app = actions.extend(
        app=app,
        by=cast.a_leader,
        on=dt.date(2026, 11, 9),
        reason="档案较多",
        told_on=dt.date(2026, 11, 9),
    )

    source = Application.objects.filter(unit=cast.street_a)
    headers, exported = LEDGER.export(source)
    data = write_xlsx(headers, exported)

    assert not Application.objects.filter(unit=cast.street_b).exists()
    result = import_file(unit=cast.street_b, by=cast.b_clerk, data=data, filename="导出.xlsx")
    assert result.ok, result.errors
    assert result.created == 121
    # The export's own columns (状态, 当前期限, 期限暂定) are not import columns.
    assert any("状态" in w for w in result.warnings)

    a = {x.number: x for x in Application.objects.filter(unit=cast.street_a)}
    b = {x.number: x for x in Application.objects.filter(unit=cast.street_b)}
    assert set(a) == set(b)
    for number, original in a.items():
        assert _comparable(b[number]) == _comparable(original), number
    for year in (2025, 2026):
        assert annual.table3(Application.objects.filter(unit=cast.street_b), year) == (
            annual.table3(Application.objects.filter(unit=cast.street_a), year)
        )


def test_export_masks_id_numbers(cast: Any) -> None:
    from fazhi.ledgers.disclosure.ui import UI as LEDGER

    full = id_number(123)
    actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=dt.date(2026, 11, 2),
        applicant_category="natural_person",
        applicant_name="张某",
        content="本人房屋征收补偿安置协议及评估报告",
        id_number=full,
    )
    headers, exported = LEDGER.export(Application.objects.filter(unit=cast.street_a))
    rows = list(exported)
    column = headers.index("证件号码")
    masked = rows[0][column]
    assert masked == full[:3] + "*" * 11 + full[-4:]
    assert re.fullmatch(r"110\*{11}\d{3}[\dX]", str(masked))
    data = write_xlsx(headers, rows)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    ws = wb.active
    assert ws is not None
    values = [c for r in ws.iter_rows(values_only=True) for c in r]
    wb.close()
    assert full not in values
    assert masked in values
    # The export imports back (e.g. into another unit), but a masked number is no number: the
    # record comes in without one rather than with a fake.
    outcome = import_file(unit=cast.street_b, by=cast.b_clerk, data=data, filename="x.xlsx")
    assert outcome.ok, outcome.errors
    assert Application.objects.get(unit=cast.street_b).id_number == ""


def test_channel_wordings_are_read_but_only_the_canonical_ones_are_offered() -> None:
    from fazhi.core.imports.parsers import ChoiceParser
    from fazhi.ledgers.disclosure.importing import SPEC

    parser = SPEC.column("channel").parse
    assert isinstance(parser, ChoiceParser)
    assert parser("网上") == "online" and parser("互联网渠道") == "online"
    assert "网上" not in parser.options and "互联网渠道" in parser.options


def test_import_tests_run_on_a_fixed_day() -> None:
    from django.utils import timezone

    assert timezone.localdate() == dt.date(2026, 11, 25)
