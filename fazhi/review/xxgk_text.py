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
    ("new", re.compile(r"(?:收到|受理|接到)[^。，,；;]{0,12}?申请(?:共|合计)?" + _N), "收到申请"),
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


def narrative_checks(text: Text, tables: XxgkTables) -> list[Finding]:
    table3 = tables.table3
    if not table3:
        return []
    findings: list[Finding] = []
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
                if key == "new" and quoted in (expected, expected + carried):
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
