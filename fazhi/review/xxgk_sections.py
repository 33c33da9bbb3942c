"""Checks of a 政府信息公开工作年度报告 beyond the sums of its tables.

- tables: a report with no table at all, or a section 二/三/四 without its table;
- section 五 (存在的主要问题及改进情况) empty, "无", or a token sentence;
- section 六 saying no fees were collected while table 二 shows 行政事业性收费;
- cells left blank or written as "/" in tables 三 and 四 (the format wants a number, 0 for
  none) and in table 二 (where "/" is acceptable only for 规章 of a unit that cannot make them).
"""

from __future__ import annotations

import re

from fazhi.review.metadata import is_closing_line
from fazhi.review.model import Finding, Span
from fazhi.review.text import Text, han_count, is_table_line
from fazhi.review.xxgk_tables import Check, XxgkTables, _f

_FIVE = re.compile(
    r"^\s*[五5][、.．]\s*存在的?主要问题(?:[及和与]?(?:改进|整改)(?:情况|措施|计划)?)?(?:情况)?"
)
_SIX = re.compile(r"^\s*[六6][、.．]\s*其他需要报告的?(?:事项|情况)?")
_NOTHING = re.compile(r"^[：:。，,\s]*(?:无|暂无|没有|无问题|本年度无|/|／)?[。.\s]*$")
_IMPROVE = re.compile(
    r"改进|整改|措施|下一步|今后|将(?:进一步|继续|持续|加强|完善)|加强|完善|提升|健全"
)
MIN_SECTION5_HAN = 15
_NO_FEES = re.compile(
    r"(?:未|没有|不|无)(?:收取|产生|发生)(?:任何)?(?:相关)?(?:的)?(?P<what>信息处理费|费用|收费)"
    r"|(?:收取|收费)(?:金额)?(?:为)?(?:0|零)(?:元|万元)?"
)
_TABLE_NAMES = {"table2": "二、主动公开政府信息情况", "table3": "三、收到和处理政府信息公开申请情况",
                "table4": "四、政府信息公开行政复议、行政诉讼情况"}  # fmt: skip
_CELL_TABLE = {"table2": "表二", "table3": "表三", "table4": "表四"}


def _section(
    text: Text, start: re.Pattern[str], stop: re.Pattern[str] | None
) -> tuple[int, str] | None:
    """The heading line and the body of a section (the rest of the heading line included)."""
    lines = text.lines
    first = next((n for n, line in enumerate(lines, 1) if start.match(line)), None)
    if first is None:
        return None
    heading = start.match(lines[first - 1])
    assert heading is not None
    body = [heading.string[heading.end() :]]
    for number in range(first + 1, len(lines) + 1):
        line = lines[number - 1]
        if (stop is not None and stop.match(line)) or re.match(r"^\s*[六七6-7][、.．]", line):
            break
        if number in text.furniture or is_closing_line(line):
            continue
        body.append(line)
    return first, "\n".join(body).strip()


def _section_five(text: Text) -> list[Finding]:
    found = _section(text, _FIVE, _SIX)
    if found is None:
        return []
    line, body = found
    han = han_count(body)
    span = (text.line_span(line),)
    if han == 0 or _NOTHING.match(body):
        said = "为空" if han == 0 else f"只写“{body.strip()[:10]}”"
        return [
            Finding(
                "xxgk_section5_empty",
                "error",
                f"第五部分“存在的主要问题及改进情况”{said}，应写明存在的问题和改进措施。",
                span,
            )
        ]
    if han < MIN_SECTION5_HAN or not _IMPROVE.search(body):
        return [
            Finding(
                "xxgk_section5_token",
                "warning",
                f"第五部分“存在的主要问题及改进情况”只有一句套话（{han}字：“{body.strip()[:30]}”），"
                "未具体写明问题和改进措施。",
                span,
                (("chars", han),),
            )
        ]
    return []


def _fees(text: Text, tables: XxgkTables) -> list[Finding]:
    fees = (tables.table2 or {}).get("fees", {}).get("amount_wan")
    found = _section(text, _SIX, None)
    if not fees or found is None:
        return []
    line, body = found
    match = _NO_FEES.search(body)
    if match is None or match.group("what") == "信息处理费":
        # 信息处理费 (for answering requests) is not table 二's 行政事业性收费.
        return []
    return [
        Finding(
            "xxgk_fee_mismatch",
            "error",
            f"第六部分称未收取费用（“{match.group(0)}”），但表二“行政事业性收费”本年收费金额为{_f(fees)}万元。",
            (text.line_span(line), *_line_of(text, "table2", tables)),
            (("table2_fees_wan", fees),),
        )
    ]


def _line_of(text: Text, table: str, tables: XxgkTables) -> tuple[Span, ...]:
    line = tables.lines.get(table)
    return (text.line_span(line),) if line else ()


def _tables_present(text: Text, tables: XxgkTables) -> tuple[list[Check], list[Finding]]:
    parsed = {"table2": tables.table2, "table3": tables.table3, "table4": tables.table4}
    any_rows = any(is_table_line(line) for _, line in text.body_lines())
    if not any_rows and not any(parsed.values()) and tables.outdated is None:
        message = "政府信息公开年度报告中没有任何表格（应按国办规定格式填报表二、表三、表四）。"
        return [Check("tables_present", "fail", message)], [
            Finding("xxgk_no_tables", "error", message)
        ]
    checks: list[Check] = []
    findings: list[Finding] = []
    for table, heading in tables.headings.items():
        if parsed.get(table) is not None or (table == "table2" and tables.outdated is not None):
            continue
        message = f"有“{_TABLE_NAMES[table]}”部分，但其下没有可识别的{_CELL_TABLE[table]}。"
        span = (text.line_span(heading),)
        checks.append(Check(f"{table}_present", "fail", message, span))
        findings.append(Finding("xxgk_table_missing", "error", message, span, (("table", table),)))
    return checks, findings


def _blank_cells(
    text: Text, tables: XxgkTables, can_make_rules: bool
) -> tuple[list[Check], list[Finding]]:
    counted = {"table2": 0, "table3": 0, "table4": 0}
    wrong: dict[str, list[str]] = {}
    slash = blank = 0
    for table, row, _column, written in tables.blanks:
        counted[table] += 1
        if written:
            slash += 1
        else:
            blank += 1
        if table == "table2" and row == "regulations" and written and not can_make_rules:
            continue  # "/" for 规章 where the unit cannot make them
        wrong.setdefault(table, []).append(row)
    checks: list[Check] = []
    findings: list[Finding] = []
    if not any(counted.values()):
        if tables.table2 or tables.table3 or tables.table4:
            checks.append(Check("blank_cells", "pass", "表格各栏均填写了数字。"))
        return checks, findings
    summary = f"表格中有{blank}个空白栏、{slash}个“/”等非数字栏"
    if not wrong:
        checks.append(
            Check("blank_cells", "pass", summary + "，均为规章栏（本机关无规章制定权），可以接受。")
        )
        return checks, findings
    parts = "；".join(f"{_CELL_TABLE[t]}{len(rows)}栏" for t, rows in wrong.items())
    message = f"{summary}，其中应填数字（没有的填0）的有：{parts}。"
    spans = tuple(s for t in wrong for s in _line_of(text, t, tables))
    checks.append(Check("blank_cells", "fail", message, spans))
    findings.append(
        Finding(
            "xxgk_blank_cells",
            "warning",
            message,
            spans,
            (("blank", blank), ("slash", slash), ("tables", {t: len(r) for t, r in wrong.items()})),
        )
    )
    return checks, findings


def section_checks(
    text: Text, tables: XxgkTables, unit: str | None, tables_as_text: bool = False
) -> tuple[list[Check], list[Finding]]:
    """The checks above; ``unit`` decides whether "/" is acceptable for 规章 (only 省/设区的市
    governments and State Council departments make them). ``tables_as_text``: the tables came
    from a PDF's text layer or OCR, not as tables, so a table not recognised or a cell not
    read proves nothing (not assessable)."""
    if tables_as_text:
        message = "PDF 中的表格只能按文字读取，无法判断表格是否齐全、各栏是否填写。"
        checks = [Check("tables_present", "not_assessable", message)]
        findings = _section_five(text) + _fees(text, tables)
        return checks, findings
    can_make_rules = bool(
        unit and re.search(r"(?:省|自治区|市)(?:人民)?政府$|^(?:北京|上海|天津|重庆)市", unit)
    )
    checks, findings = _tables_present(text, tables)
    more_checks, more = _blank_cells(text, tables, can_make_rules)
    checks.extend(more_checks)
    findings.extend(more)
    findings.extend(_section_five(text))
    findings.extend(_fees(text, tables))
    return checks, findings
