"""Export side: import templates, streaming .xlsx ledgers and Excel-friendly CSV."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from fazhi.core.imports.parsers import (
    ChoiceParser,
    parse_date,
    parse_id_number,
    parse_int,
    parse_money,
    parse_text,
)
from fazhi.core.imports.spec import Column, ImportSpec

__all__ = ["write_csv", "write_template", "write_xlsx"]

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONEY_FORMAT = "#,##0.00"
_BOLD = Font(bold=True)
_REQUIRED = Font(bold=True, color="C00000")
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_WIDTH_SAMPLE_ROWS = 200
_BAD_TITLE_CHARS = re.compile(r"[\[\]:*?/\\]")
# Spreadsheet apps evaluate text starting with these as a formula (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _display_width(text: str) -> int:
    longest = max((line for line in text.split("\n")), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def _column_width(samples: Iterable[str]) -> float:
    return float(min(max((_display_width(s) for s in samples), default=0) + 3, 50))


def _sheet_title(title: str, fallback: str) -> str:
    return _BAD_TITLE_CHARS.sub("", title).strip("'").strip()[:31] or fallback


def _local_naive(value: datetime.datetime) -> datetime.datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(LOCAL_TZ).replace(tzinfo=None)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return _local_naive(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _xlsx_value(value: object) -> tuple[Any, str | None]:
    """The value openpyxl should store and its number format; strings stay strings."""
    if value is None or isinstance(value, float):
        return value, None
    if isinstance(value, bool):
        return ("是" if value else "否"), None
    if isinstance(value, int):
        # Beyond 15 digits Excel silently rounds (ID numbers, long codes).
        return (value if abs(value) < 10**15 else str(value)), None
    if isinstance(value, datetime.datetime):
        return _local_naive(value), DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return value, DATE_FORMAT
    if isinstance(value, Decimal):
        fmt = MONEY_FORMAT if value.as_tuple().exponent == -2 else None
        return value, fmt
    return ILLEGAL_CHARACTERS_RE.sub("", str(value)), None


def _fill_cell(cell: Cell, value: object) -> None:
    stored, fmt = _xlsx_value(value)
    cell.value = stored
    if isinstance(stored, str):
        cell.data_type = "s"  # never let exported text become a formula
    if fmt:
        cell.number_format = fmt


def _write_only_value(ws: Any, value: object) -> object:
    """Plain values go in as they are (fast); anything needing a format or guard gets a cell."""
    if value is None or isinstance(value, float):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**15:
        return value
    if (
        isinstance(value, str)
        and not value.startswith("=")
        and not ILLEGAL_CHARACTERS_RE.search(value)
    ):
        return value
    cell = WriteOnlyCell(ws)
    _fill_cell(cell, value)
    return cell


def write_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[object]], sheet_title: str = "台账"
) -> bytes:
    """Stream rows into an .xlsx (openpyxl write-only mode) with a bold, frozen header."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(sheet_title, "台账"))
    row_iter = iter(rows)
    sample = list(itertools.islice(row_iter, _WIDTH_SAMPLE_ROWS))
    for index, header in enumerate(headers, start=1):
        texts = [header] + [_text(r[index - 1]) for r in sample if len(r) >= index]
        ws.column_dimensions[get_column_letter(index)].width = max(_column_width(texts), 8)
    ws.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws)
        _fill_cell(cell, header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        header_cells.append(cell)
    ws.append(header_cells)
    for row in itertools.chain(sample, row_iter):
        ws.append([_write_only_value(ws, value) for value in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _csv_text(value: object) -> str:
    text = _text(value)
    if isinstance(value, str) and len(text) > 1 and text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with BOM so that Excel on Chinese Windows does not assume GBK.

    Text starting with = + - @ is prefixed with an apostrophe against formula injection.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([_csv_text(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- templates -------------------------------------------------------------------------


def template_header(column: Column) -> str:
    return f"{column.header}（选填）" if column.allow_blank else f"{column.header}*"


def default_help(column: Column) -> str:
    if column.help:
        return column.help
    parser = column.parse
    if isinstance(parser, ChoiceParser):
        return "从下拉列表中选择"
    defaults: dict[object, str] = {
        parse_date: "日期，如 2026-03-01",
        parse_int: "非负整数",
        parse_money: "金额（元），最多两位小数，如 1200.50",
        parse_id_number: "18位居民身份证号码，请以文本格式填写",
        parse_text: "文本",
    }
    return defaults.get(parser, "")


def _column_format(column: Column) -> str | None:
    if column.parse is parse_date:
        return DATE_FORMAT
    if column.parse in (parse_text, parse_id_number):
        return "@"  # keeps leading zeros and 18-digit numbers as typed
    return None


def _add_choice_lists(wb: Workbook, ws: Worksheet, spec: ImportSpec) -> None:
    choices = [
        (index, col.parse)
        for index, col in enumerate(spec.columns, start=1)
        if isinstance(col.parse, ChoiceParser) and col.parse.options
    ]
    if not choices:
        return
    lists = wb.create_sheet("选项")
    lists.sheet_state = "hidden"
    for list_col, (index, parser) in enumerate(choices, start=1):
        letter = get_column_letter(list_col)
        for row, label in enumerate(parser.options, start=1):
            lists.cell(row=row, column=list_col, value=label).data_type = "s"
        validation = DataValidation(
            type="list",
            formula1=f"'选项'!${letter}$1:${letter}${len(parser.options)}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="无效的值",
            error="请从下拉列表中选择",
        )
        target = get_column_letter(index)
        validation.add(f"{target}2:{target}1048576")
        ws.add_data_validation(validation)


def _add_notes(wb: Workbook, spec: ImportSpec) -> None:
    notes = wb.create_sheet("说明")
    notes.append([f"「{spec.name}」导入模板说明"])
    notes["A1"].font = Font(bold=True, size=14)
    lines = [
        "1. 请在第一个工作表中填写，第一行为表头，请勿修改或删除；带 * 的列必须填写。",
        "2. 日期请填写为 2026-03-01 这样的格式；金额以元为单位。",
        "3. 文件中任何一处有误，整个文件都不会导入；请按提示改正后重新上传。",
    ]
    if spec.key is not None:
        key_header = spec.column(spec.key).header
        lines.append(f"4. 「{key_header}」在同一文件中不能重复；重复导入同一文件不会产生重复记录。")
    for line in lines:
        notes.append([line])
    notes.append([])
    notes.append(["列名", "是否必填", "说明", "示例", "可选值"])
    table_header_row = notes.max_row
    for cell in notes[table_header_row]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for column in spec.columns:
        options = "、".join(column.parse.options) if isinstance(column.parse, ChoiceParser) else ""
        row = [
            column.header,
            "选填" if column.allow_blank else "必填",
            default_help(column),
            column.example,
            options,
        ]
        notes.append(row)
        for cell in notes[notes.max_row]:
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (20, 10, 50, 24, 40), strict=True):
        notes.column_dimensions[letter].width = width


def write_template(spec: ImportSpec, examples: list[dict[str, object]] | None = None) -> bytes:
    """An .xlsx to fill in: header row, optional example rows, a 说明 sheet, dropdowns."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _sheet_title(spec.name, "数据")
    rows = examples or []
    for index, column in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=index, value=template_header(column))
        cell.font = _BOLD if column.allow_blank else _REQUIRED
        cell.fill = _HEADER_FILL
        letter = get_column_letter(index)
        samples = [str(cell.value), column.example] + [_text(r.get(column.key)) for r in rows]
        dimension = ws.column_dimensions[letter]
        dimension.width = max(_column_width(samples), 10)
        fmt = _column_format(column)
        if fmt:
            dimension.number_format = fmt
        for row_number, example in enumerate(rows, start=2):
            target = ws.cell(row=row_number, column=index)
            assert isinstance(target, Cell)
            _fill_cell(target, example.get(column.key))
            if fmt == "@" and target.number_format == "General":
                target.number_format = fmt
    ws.freeze_panes = "A2"
    _add_notes(wb, spec)
    _add_choice_lists(wb, ws, spec)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
