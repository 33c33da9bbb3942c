"""Tables 二, 三, 四 of a 政府信息公开工作年度报告, from table rows or flattened text, and their checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fazhi.review.model import Finding, Span
from fazhi.review.text import Text
from fazhi.review.xxgk_labels import (
    OUTCOME_ROWS,
    TABLE2_ROWS,
    TABLE3_COLUMNS,
    TABLE3_ROW_CODES,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    squeeze,
    table2_row_code,
    table3_row_code,
)

Number = int | float | None
MAX_WRAPPED = 3
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_BLANK = {"", "/", "-", "—", "－", "无", "／", "——", "\\"}
_SECTIONS = (
    ("table2", re.compile(r"^\s*[二2][、.．]\s*主动公开政府信息(?:情况)?\s*$")),
    ("table3", re.compile(r"^\s*[三3][、.．]\s*收到和处理政府信息公开申请(?:情况)?\s*$")),
    (
        "table4",
        re.compile(r"^\s*[四4][、.．]\s*政府信息公开行政复议[、，,]?\s*行政诉讼(?:情况)?\s*$"),
    ),
    ("end", re.compile(r"^\s*[五5][、.．]\s*存在的?主要问题")),
)


@dataclass(frozen=True)
class Cell:
    text: str
    line: int


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    message: str
    evidence: tuple[Span, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "message": self.message,
            "evidence": [s.to_json() for s in self.evidence],
        }


@dataclass(frozen=True)
class XxgkTables:
    table2: dict[str, dict[str, Number]] | None
    table3: dict[str, dict[str, Number]] | None
    table4: dict[str, dict[str, Number]] | None
    lines: dict[str, int]
    outdated: int | None
    # Cells left blank or written as "/" (or "-", "无"): (table, row, column, as written).
    blanks: tuple[tuple[str, str, str, str], ...] = ()
    # Sections 二/三/四 whose heading is there (line), whatever their table.
    headings: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"table2": self.table2, "table3": self.table3, "table4": self.table4}


# A table row that a PDF's text layer gave as one line: "2.重复申请 1 0 0 0 0 0 1".
_FLAT_ROW = re.compile(
    r"^(?P<label>.*?[^\d\s.．、])\s*(?P<numbers>(?:-?\d+(?:\.\d+)?\s+)+-?\d+(?:\.\d+)?)$"
)
_FLAT_NUMBERS = re.compile(r"^(?:-?\d+(?:\.\d+)?\s+)+-?\d+(?:\.\d+)?$")


def cells_of(text: Text, start: int, end: int) -> list[Cell]:
    cells: list[Cell] = []
    for number in range(start, end + 1):
        line = text.lines[number - 1].strip()
        if not line:
            continue
        if "|" not in line:
            flat = _FLAT_ROW.match(line)
            if flat or _FLAT_NUMBERS.match(line):
                if flat:
                    cells.append(Cell(flat.group("label").strip(), number))
                numbers = flat.group("numbers") if flat else line
                cells.extend(Cell(n, number) for n in numbers.split())
                continue
            cells.append(Cell(line, number))
            continue
        parts = line.split("|")
        if not line.replace("|", "").strip():
            if line == "|":
                cells.append(Cell("", number))
            continue
        if line.startswith("|") and line.endswith("|") and len(parts) >= 3:
            cells.extend(Cell(p.strip(), number) for p in parts[1:-1])
            continue
        cells.extend(Cell(p.strip(), number) for p in parts if p.strip())
    return cells


def _value(cell: str) -> tuple[bool, Number]:
    text = cell.replace(",", "").replace("，", "").strip()
    if _NUMBER.match(text):
        number = float(text)
        return True, int(number) if number.is_integer() and "." not in text else number
    if text in _BLANK:
        return True, None
    return False, None


def table_section_lines(text: Text) -> set[int]:
    """The lines under the headings of sections 二, 三 and 四 (the tables' own lines)."""
    return {n for first, stop in _sections(text).values() for n in range(first, stop + 1)}


def _sections(text: Text) -> dict[str, tuple[int, int]]:
    found: dict[str, int] = {}
    for number, line in enumerate(text.lines, 1):
        for name, pattern in _SECTIONS:
            if name not in found and pattern.match(line.replace("|", " ")):
                found[name] = number
    bounds: dict[str, tuple[int, int]] = {}
    order = sorted(found.items(), key=lambda kv: kv[1])
    for i, (name, first) in enumerate(order):
        if name == "end":
            continue
        stop = order[i + 1][1] - 1 if i + 1 < len(order) else min(len(text.lines), first + 400)
        bounds[name] = (first + 1, stop)
    return bounds


def _row_values(
    cells: list[Cell], index: int, width: int, is_label: Any
) -> tuple[list[Number], list[str]]:
    """The row's values, and each cell as written ("" for a cell left out of the row)."""
    values: list[Number] = []
    raw: list[str] = []
    seen_number = False
    wrapped = 0
    for cell in cells[index + 1 :]:
        ok, value = _value(cell.text)
        if not ok and not values and wrapped < MAX_WRAPPED and not is_label(cell.text):
            wrapped += 1  # the rest of a label that a PDF's text layer wrapped onto more lines
            continue
        if not ok or is_label(cell.text):
            break
        if value is not None:
            seen_number = True
        values.append(value)
        raw.append(cell.text.strip())
    if not seen_number:
        return [None] * width, (raw + [""] * width)[:width]
    if len(values) > width and values[width:] and all(v is None for v in values[width:]):
        values, raw = values[:width], raw[:width]
    if len(values) < width:
        numbers = [v for v in values if v is not None]
        if len(numbers) == 1 and values[-1] is not None:
            # Only the 总计 cell filled in; the others were left blank.
            values = [None] * (width - 1) + [numbers[0]]
            raw = [""] * (width - 1) + [raw[-1]]
        else:
            values = values + [None] * (width - len(values))
            raw = raw + [""] * (width - len(raw))
    return values[:width], raw[:width]


def _blanks(
    table: str, row: str, columns: tuple[str, ...], values: list[Number], raw: list[str]
) -> list[tuple[str, str, str, str]]:
    return [
        (table, row, column, written)
        for column, value, written in zip(columns, values, raw, strict=True)
        if value is None
    ]


def parse_tables(text: Text) -> XxgkTables:
    bounds = _sections(text)
    lines: dict[str, int] = {}
    outdated = None
    table2 = table3 = table4 = None
    blanks: list[tuple[str, str, str, str]] = []
    if "table2" in bounds:
        start, end = bounds["table2"]
        cells = cells_of(text, start, end)
        joined = "".join(squeeze(c.text) for c in cells)
        if re.search(r"本年新制作数量|对外公开总数量|上一年项目数量", joined):
            outdated = start - 1
        else:
            table2 = _parse_table2(cells, blanks)
            lines["table2"] = start - 1
    if "table3" in bounds:
        start, end = bounds["table3"]
        table3 = _parse_table3(cells_of(text, start, end), blanks)
        lines["table3"] = start - 1
    if "table4" in bounds:
        start, end = bounds["table4"]
        table4 = _parse_table4(cells_of(text, start, end), blanks)
        lines["table4"] = start - 1
    headings = {name: first - 1 for name, (first, _) in bounds.items()}
    return XxgkTables(table2, table3, table4, lines, outdated, tuple(blanks), headings)


def _parse_table2(
    cells: list[Cell], blanks: list[tuple[str, str, str, str]]
) -> dict[str, dict[str, Number]] | None:
    out: dict[str, dict[str, Number]] = {}
    for index, cell in enumerate(cells):
        code = table2_row_code(cell.text)
        if code is None or code in out:
            continue
        columns = next(cols for c, _, cols in TABLE2_ROWS if c == code)
        values, raw = _row_values(
            cells, index, len(columns), lambda t: table2_row_code(t) is not None
        )
        out[code] = dict(zip(columns, values, strict=True))
        blanks.extend(_blanks("table2", code, columns, values, raw))
    return out or None


def _parse_table3(
    cells: list[Cell], blanks: list[tuple[str, str, str, str]]
) -> dict[str, dict[str, Number]] | None:
    out: dict[str, dict[str, Number]] = {}
    seen_other = False
    for index, cell in enumerate(cells):
        code = table3_row_code(cell.text)
        if code is None:
            continue
        if code == "other_3" and not seen_other:
            continue
        if code.startswith("other_"):
            seen_other = True
        if squeeze(cell.text).endswith("其他处理"):
            seen_other = True
            continue
        if code in out:
            continue
        values, raw = _row_values(
            cells, index, len(TABLE3_COLUMNS), lambda t: table3_row_code(t) is not None
        )
        out[code] = dict(zip(TABLE3_COLUMNS, values, strict=True))
        blanks.extend(_blanks("table3", code, TABLE3_COLUMNS, values, raw))
    if not out:
        return None
    return {code: out[code] for code in TABLE3_ROW_CODES if code in out}


def _parse_table4(
    cells: list[Cell], blanks: list[tuple[str, str, str, str]]
) -> dict[str, dict[str, Number]] | None:
    values: list[Number] = []
    raw: list[str] = []
    for cell in cells:
        ok, value = _value(cell.text)
        if ok and (value is not None or values):
            values.append(value)
            raw.append(cell.text.strip())
        elif not ok:
            if len(values) >= 15:
                break  # the table's data row is complete; text after it (a source note) ends it
            values, raw = [], []
    numbers = list(values)
    while numbers and numbers[-1] is None and len(numbers) > 15:
        numbers.pop()
    if len(numbers) < 15:
        return None
    numbers, raw = numbers[:15], raw[:15]
    for i, group in enumerate(TABLE4_GROUPS):
        part = slice(i * 5, i * 5 + 5)
        blanks.extend(_blanks("table4", group, TABLE4_COLUMNS, numbers[part], raw[part]))
    return {
        group: dict(zip(TABLE4_COLUMNS, numbers[i * 5 : i * 5 + 5], strict=True))
        for i, group in enumerate(TABLE4_GROUPS)
    }


def table_checks(
    text: Text, tables: XxgkTables, previous: XxgkTables | None = None
) -> tuple[list[Check], list[Finding]]:
    checks: list[Check] = []
    findings: list[Finding] = []

    def where(name: str) -> tuple[Span, ...]:
        line = tables.lines.get(name)
        return (text.line_span(line),) if line else ()

    def add(name: str, code: str, ok: bool | None, message: str, table: str) -> None:
        status = "not_assessable" if ok is None else ("pass" if ok else "fail")
        checks.append(Check(name, status, message, where(table)))
        if ok is False:
            findings.append(Finding(code, "error", message, where(table)))

    t3 = tables.table3
    if t3 is None:
        checks.append(
            Check(
                "table3_identity",
                "not_assessable",
                "未能识别表三（收到和处理政府信息公开申请情况）。",
            )
        )
    else:
        for column, name in zip(TABLE3_COLUMNS, _COLUMN_NAMES, strict=True):
            new, carried, total, out = (
                t3.get(r, {}).get(column) for r in ("new", "carried_in", "total", "carried_out")
            )
            if None in (new, carried, total, out):
                add(
                    f"identity:{column}",
                    "xxgk_identity",
                    None,
                    f"表三“{name}”列数据不全，无法核对勾稽关系。",
                    "table3",
                )
                continue
            assert new is not None and carried is not None and total is not None and out is not None
            ok = abs(new + carried - total - out) < 1e-6
            add(
                f"identity:{column}",
                "xxgk_identity",
                ok,
                f"表三“{name}”列：新收{_f(new)}+上年结转{_f(carried)}"
                + ("=" if ok else "≠")
                + f"办理结果总计{_f(total)}+结转下年度{_f(out)}。",
                "table3",
            )
        for row, values in t3.items():
            parts = [values.get(c) for c in TABLE3_COLUMNS[:-1]]
            total = values.get("total")
            if total is None or any(p is None for p in parts):
                if total is not None and all(p is None for p in parts):
                    continue
                continue
            summed = sum(p for p in parts if p is not None)
            if abs(summed - total) > 1e-6:
                add(
                    f"row_sum:{row}", "xxgk_row_sum", False,
                    f"表三“{_ROW_NAMES.get(row, row)}”行：各类申请人之和{_f(summed)}≠总计{_f(total)}。", "table3",
                )  # fmt: skip
            else:
                add(
                    f"row_sum:{row}",
                    "xxgk_row_sum",
                    True,
                    f"表三“{_ROW_NAMES.get(row, row)}”行合计一致。",
                    "table3",
                )
        for column, name in zip(TABLE3_COLUMNS, _COLUMN_NAMES, strict=True):
            outcomes = [t3[r].get(column) for r in OUTCOME_ROWS if r in t3]
            total = t3.get("total", {}).get(column)
            if (
                total is None
                or len(outcomes) < len(OUTCOME_ROWS)
                or any(v is None for v in outcomes)
            ):
                if total is not None and outcomes and all(v is None for v in outcomes) is False:
                    summed = sum(v for v in outcomes if v is not None)
                    if summed > total + 1e-6:
                        add(f"column_sum:{column}", "xxgk_column_sum", False,
                            f"表三“{name}”列：各办理结果之和至少为{_f(summed)}，大于（七）总计{_f(total)}。", "table3")  # fmt: skip
                        continue
                add(
                    f"column_sum:{column}",
                    "xxgk_column_sum",
                    None,
                    f"表三“{name}”列办理结果数据不全，无法核对。",
                    "table3",
                )
                continue
            summed = sum(v for v in outcomes if v is not None)
            ok = abs(summed - total) < 1e-6
            add(f"column_sum:{column}", "xxgk_column_sum", ok,
                f"表三“{name}”列：各办理结果之和{_f(summed)}" + ("=" if ok else "≠") + f"（七）总计{_f(total)}。", "table3")  # fmt: skip
    t4 = tables.table4
    if t4 is None:
        checks.append(
            Check("table4_sum", "not_assessable", "未能识别表四（行政复议、行政诉讼情况）。")
        )
    else:
        for group, name in zip(
            TABLE4_GROUPS, ("行政复议", "未经复议直接起诉", "复议后起诉"), strict=True
        ):
            values = t4[group]
            parts = [values[c] for c in TABLE4_COLUMNS[:-1]]
            if values["total"] is None or any(p is None for p in parts):
                add(f"table4:{group}", "xxgk_table4_sum", None, f"表四“{name}”数据不全。", "table4")
                continue
            summed = sum(p for p in parts if p is not None)
            ok = abs(summed - values["total"]) < 1e-6
            add(f"table4:{group}", "xxgk_table4_sum", ok,
                f"表四“{name}”：维持、纠正、其他、尚未审结之和{_f(summed)}" + ("=" if ok else "≠") + f"总计{_f(values['total'])}。", "table4")  # fmt: skip
    if previous is not None and t3 is not None:
        last = (previous.table3 or {}).get("carried_out")
        now = t3.get("carried_in")
        if not last or not now:
            checks.append(
                Check(
                    "carry_over",
                    "not_assessable",
                    "上年报告或本年报告缺少结转数据，无法核对。",
                    where("table3"),
                )
            )
        else:
            diffs = [
                c
                for c in TABLE3_COLUMNS
                if last.get(c) is not None and now.get(c) is not None and last[c] != now[c]
            ]
            ok = not diffs
            message = (
                "本年“上年结转”与上年报告“结转下年度继续办理”一致。"
                if ok
                else "本年“上年结转”与上年报告“结转下年度继续办理”不一致："
                + "；".join(
                    f"{_COLUMN_NAMES[TABLE3_COLUMNS.index(c)]} {_f(now[c])}≠{_f(last[c])}"
                    for c in diffs
                )
                + "。"
            )
            add("carry_over", "xxgk_carry_over", ok, message, "table3")
    return checks, findings


_COLUMN_NAMES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
_ROW_NAMES = {
    "new": "本年新收",
    "carried_in": "上年结转",
    "granted": "予以公开",
    "partial": "部分公开",
    "total": "（七）总计",
    "carried_out": "结转下年度继续办理",
}


def _f(value: float | None) -> str:
    if value is None:
        return "空"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
