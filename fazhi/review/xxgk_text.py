"""Numbers quoted in the narrative of a 政府信息公开 report against its tables."""

from __future__ import annotations

import re

from fazhi.review.model import Finding
from fazhi.review.text import Text, is_table_line
from fazhi.review.xxgk_labels import TABLE3_ROW_CODES
from fazhi.review.xxgk_tables import XxgkTables, _f

_N = r"(\d+)\s*(?:件|份|条|个|起|次)"
_PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "new",
        re.compile(
            r"(?:共|累计|新)?(?:收到|受理|接到|新收)(?:[^。，,；;]{0,12}?)"
            + _N
            + r"[^。，,；;]{0,8}?申请"
        ),
        "收到申请",
    ),
    (
        "new",
        re.compile(r"(?:收到|受理|接到|新收)[^。，,；;]{0,14}?申请(?:共|合计|数量)?(?:为)?" + _N),
        "收到申请",
    ),
    (
        "carried_in",
        re.compile(r"上年(?:度)?结转(?:[^。，,；;]{0,14}?申请)?(?:共|合计|数量)?(?:为)?" + _N),
        "上年结转",
    ),
    ("granted", re.compile(r"(?<!部分)(?<!不)(?<!不予)予以公开" + _N), "予以公开"),
    ("partial", re.compile(r"部分公开" + _N), "部分公开"),
    ("withheld", re.compile(r"不予公开" + _N), "不予公开"),
    ("unable", re.compile(r"无法提供" + _N), "无法提供"),
    ("not_processed", re.compile(r"不予处理" + _N), "不予处理"),
    (
        "carried_out",
        re.compile(r"结转(?:至|到)?(?:下一?年度?|20\d\d年)(?:继续)?(?:办理)?" + _N),
        "结转下年度",
    ),
)
# Figures of tables 二 and 四 that narratives quote: (pattern, name, table, lookup). Kept to
# wordings that can only mean the table's figure (e.g. 处罚*决定*, not every 处罚 mentioned).
_OTHER_TABLES: tuple[tuple[re.Pattern[str], str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        re.compile(r"(?:被申请|申请|提起|发生)?行政复议(?:案件)?(?:共|合计)?" + _N),
        "行政复议",
        "表四",
        (("review", "total"),),
    ),
    (
        re.compile(r"(?:被提起|提起|发生)?行政诉讼(?:案件)?(?:共|合计)?" + _N),
        "行政诉讼",
        "表四",
        (("litigation_direct", "total"), ("litigation_after_review", "total")),
    ),
    (
        re.compile(r"(?:制发|印发|出台)(?:行政)?规范性文件(?:共)?" + _N),
        "制发规范性文件",
        "表二",
        (("normative_documents", "issued"),),
    ),
    (
        re.compile(r"行政处罚决定(?:共|书)?" + _N),
        "行政处罚决定",
        "表二",
        (("penalty", "decisions"),),
    ),
    (
        re.compile(r"行政许可决定(?:共|书)?" + _N),
        "行政许可决定",
        "表二",
        (("licensing", "decisions"),),
    ),
)
_NONE_RECEIVED = re.compile(
    r"(?:未|没有)(?:收到|受理|接到)[^。，,]{0,10}?(?:政府信息公开|依申请公开)[^。，,]{0,6}?申请"
)


def _table_value(table3: dict[str, dict[str, float | None]], key: str) -> float | None:
    if key in table3:
        return table3[key].get("total")
    rows = [r for r in TABLE3_ROW_CODES if r.startswith(key + "_")]
    values = [table3.get(r, {}).get("total") for r in rows]
    if not rows or any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def _lookup(
    table: dict[str, dict[str, float | None]] | None, cells: tuple[tuple[str, str], ...]
) -> float | None:
    if not table:
        return None
    values = [table.get(row, {}).get(col) for row, col in cells]
    if any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def other_table_checks(text: Text, tables: XxgkTables) -> list[Finding]:
    """Figures of tables 二 and 四 quoted in the narrative, each checked once (its first mention)."""
    findings: list[Finding] = []
    seen: set[str] = set()
    for number, line in text.body_lines():
        if is_table_line(line) or len(line) < 6:
            continue
        base = text.offset_of(number)
        for pattern, name, table_name, cells in _OTHER_TABLES:
            if name in seen:
                continue
            match = pattern.search(line)
            if match is None:
                continue
            table = tables.table4 if table_name == "表四" else tables.table2
            expected = _lookup(table, cells)
            if expected is None:
                continue
            seen.add(name)
            quoted = float(match.group(1))
            if quoted != expected:
                findings.append(
                    Finding(
                        "xxgk_text_table_mismatch",
                        "error",
                        f"正文写“{name}”{_f(quoted)}件，{table_name}对应数字为{_f(expected)}，文表不一致。",
                        (text.span(base + match.start(), base + match.end()),),
                        (("quoted", quoted), ("table", expected)),
                    )
                )
    return findings


def narrative_checks(text: Text, tables: XxgkTables) -> list[Finding]:
    findings = other_table_checks(text, tables)
    table3 = tables.table3
    if not table3:
        return findings
    seen: set[str] = set()
    new_total = _table_value(table3, "new")
    carried = _table_value(table3, "carried_in") or 0
    for number, line in text.body_lines():
        if is_table_line(line) or len(line) < 8:
            continue
        base = text.offset_of(number)
        if "none" not in seen and new_total and _NONE_RECEIVED.search(line):
            match = _NONE_RECEIVED.search(line)
            assert match is not None
            seen.add("none")
            findings.append(
                Finding(
                    "xxgk_text_table_mismatch",
                    "error",
                    f"正文称未收到政府信息公开申请，但表三本年新收申请总计为{_f(new_total)}件。",
                    (text.span(base + match.start(), base + match.end()),),
                )
            )
        for key, pattern, name in _PATTERNS:
            if key in seen:
                continue
            for match in pattern.finditer(line):
                quoted = float(match.group(1))
                expected = _table_value(table3, key)
                if expected is None:
                    continue
                # "收到申请N件" may count last year's carried-over requests too; "新收" may not.
                also = () if "新收" in match.group(0) else (expected + carried,)
                if key == "new" and quoted in (expected, *also):
                    seen.add(key)
                    break
                seen.add(key)
                if quoted != expected:
                    findings.append(
                        Finding(
                            "xxgk_text_table_mismatch",
                            "error",
                            f"正文写“{name}”{_f(quoted)}件，表三对应总计为{_f(expected)}件，文表不一致。",
                            (text.span(base + match.start(), base + match.end()),),
                            (("quoted", quoted), ("table", expected)),
                        )
                    )
                break
    return findings
