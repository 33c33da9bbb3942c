from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl

from fazhi.core.imports import Column, ImportSpec, parse_date, read_table, write_csv, write_xlsx

HEADERS = ["申请编号", "收到日期", "金额", "说明"]


def test_write_xlsx_types_and_header() -> None:
    aware = datetime.datetime(2026, 3, 1, 2, 0, tzinfo=datetime.UTC)
    rows: list[list[object]] = [
        ["YSQ-1", datetime.date(2026, 3, 1), Decimal("1200.50"), "=1+1"],
        ["YSQ-2", aware, 3, True],
        ["11010519491231002", None, 110105194912310021, "控制\x01字符"],
    ]
    wb = openpyxl.load_workbook(io.BytesIO(write_xlsx(HEADERS, iter(rows), "台账/2026")))
    ws = wb.active
    assert ws is not None
    assert ws.title == "台账2026"
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == HEADERS
    assert all(c.font.bold for c in ws[1])
    date_cell = ws["B2"]
    assert date_cell.value == datetime.datetime(2026, 3, 1)  # noqa: DTZ001 - Excel has no zones
    assert date_cell.number_format == "yyyy-mm-dd"
    assert ws["B3"].value == datetime.datetime(2026, 3, 1, 10, 0)  # noqa: DTZ001 - Beijing time
    assert ws["C2"].number_format == "#,##0.00"
    assert ws["D2"].value == "=1+1"
    assert ws["D2"].data_type == "s"
    assert ws["D3"].value == "是"
    assert ws["C4"].value == "110105194912310021"
    assert ws["D4"].value == "控制字符"


def test_write_xlsx_reads_back_through_read_table() -> None:
    spec = ImportSpec("测试", (Column("申请编号", "number"), Column("收到日期", "d", parse_date)))
    rows = (
        [f"YSQ-{n}", datetime.date(2026, 1, 1) + datetime.timedelta(days=n)] for n in range(500)
    )
    result = read_table(write_xlsx(["申请编号", "收到日期"], rows), "导出.xlsx", spec)
    assert result.ok
    assert len(result.rows) == 500
    assert result.rows[-1].values == {"number": "YSQ-499", "d": datetime.date(2027, 5, 15)}


def test_write_csv_bom_and_formula_guard() -> None:
    when = datetime.datetime(2026, 3, 1, 1, 30, tzinfo=ZoneInfo("UTC"))
    data = write_csv(
        HEADERS, [["=cmd|' /C calc'!A0", when, Decimal("5.00"), "-"], ["@x", None, -3, "a,b\nc"]]
    )
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [
        HEADERS,
        ["'=cmd|' /C calc'!A0", "2026-03-01 09:30:00", "5.00", "-"],
        ["'@x", "", "-3", "a,b\nc"],
    ]


def test_write_csv_reads_back() -> None:
    spec = ImportSpec("测试", (Column("申请编号", "number"), Column("收到日期", "d", parse_date)))
    data = write_csv(["申请编号", "收到日期"], [["甲", datetime.date(2026, 3, 1)]])
    result = read_table(data, "a.csv", spec)
    assert result.ok
    assert result.rows[0].values == {"number": "甲", "d": datetime.date(2026, 3, 1)}
