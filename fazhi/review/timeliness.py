"""Deadlines for publication, and whether a report speaks as the unit it claims to be."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from fazhi.review.metadata import Metadata, signature_unit
from fazhi.review.model import Finding, Span
from fazhi.review.text import Text


@dataclass(frozen=True)
class DeadlineConfig:
    """(month, day) in the year after the report year."""

    fazhi: tuple[int, int] = (4, 1)
    xxgk_department: tuple[int, int] = (1, 31)
    xxgk_government: tuple[int, int] = (3, 31)
    # The 条例 sets no date for 街道/乡镇; 1月31日 is common local practice, so it is configurable.
    xxgk_township: tuple[int, int] = (1, 31)


def deadline_for(meta: Metadata, config: DeadlineConfig) -> dt.date | None:
    if meta.year is None:
        return None
    if meta.kind == "fazhi":
        month, day = config.fazhi
    elif meta.kind == "xxgk":
        month, day = {
            "department": config.xxgk_department,
            "government": config.xxgk_government,
            "township": config.xxgk_township,
        }.get(meta.unit_level, config.xxgk_government)
    else:
        return None
    return dt.date(meta.year + 1, month, day)


def check_deadline(text: Text, meta: Metadata, config: DeadlineConfig) -> list[Finding]:
    deadline = deadline_for(meta, config)
    if deadline is None:
        return []
    findings: list[Finding] = []
    for label, date, line in (
        ("发布", meta.published, None),
        ("落款", meta.signed, meta.signed_line),
    ):
        if date is None or date <= deadline:
            continue
        spans: tuple[Span, ...] = (text.line_span(line),) if line else ()
        findings.append(
            Finding(
                "late_publication",
                "warning",
                f"{label}日期{date.year}年{date.month}月{date.day}日晚于截止日期"
                f"{deadline.year}年{deadline.month}月{deadline.day}日。",
                spans,
                (("deadline", deadline.isoformat()), ("date", date.isoformat())),
            )
        )
    return findings


_KIND_WORDS = {
    "街道": re.compile(r"(?:我|本|全)街道|街道(?:各科室|党工委|办事处)"),
    "镇": re.compile(r"(?:我|本|全)镇(?!定|静|压|守|住)"),
    "乡": re.compile(r"(?:我|本|全)乡(?!村|贤|愁|土|情|镇)"),
}
_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
    "内蒙古", "广西", "西藏", "宁夏", "新疆",
)  # fmt: skip


def _own_kind(unit: str | None) -> str | None:
    if not unit:
        return None
    core = re.sub(r"(?:人民政府|办事处|党委|党工委)$", "", unit)
    if core.endswith(("街道", "街")):
        return "街道"
    if core.endswith("镇"):
        return "镇"
    if core.endswith("乡"):
        return "乡"
    return None


def _core(unit: str) -> str:
    unit = re.sub(r"\s+", "", unit)
    unit = re.sub(r"(?:人民政府|办事处|党工委|党委|工委)$", "", unit)
    unit = re.sub(r"(?:人民政府|办事处|党工委|党委|工委)$", "", unit)
    return re.sub(r"(?:街道|街)$", "街", unit)


def check_identity(text: Text, meta: Metadata) -> list[Finding]:
    findings: list[Finding] = []
    own = _own_kind(meta.unit)
    if own:
        for kind, pattern in _KIND_WORDS.items():
            if kind == own:
                continue
            hits = []
            for number, line in text.body_lines():
                for match in pattern.finditer(line):
                    base = text.offset_of(number)
                    hits.append(
                        text.span(max(base, base + match.start() - 10), base + match.end() + 10)
                    )
            if hits:
                findings.append(
                    Finding(
                        "unit_mismatch",
                        "error",
                        f"报告单位是{own}（{meta.unit}），正文却以“{kind}”自称（共{len(hits)}处），疑为套用其他单位材料。",
                        tuple(hits[:5]),
                    )
                )
    signed_line, signed = signature_unit(text)
    if meta.unit and signed and signed_line:
        a, b = _core(meta.unit), _core(signed)
        if a and b and a not in b and b not in a and not _shares_name(a, b):
            findings.append(
                Finding(
                    "unit_mismatch",
                    "error",
                    f"标题中的单位“{meta.unit}”与落款单位“{signed}”不一致。",
                    (text.line_span(signed_line),),
                )
            )
    findings.extend(_foreign_places(text))
    return findings


def _shares_name(a: str, b: str) -> bool:
    for length in range(min(len(a), len(b)), 1, -1):
        for i in range(len(a) - length + 1):
            if a[i : i + length] in b and length >= 3:
                return True
    return False


def _foreign_places(text: Text) -> list[Finding]:
    counts: Counter[str] = Counter()
    for _, line in text.body_lines():
        for province in _PROVINCES:
            counts[province] += line.count(province)
    home, n = counts.most_common(1)[0] if counts else ("", 0)
    if n < 2 or home == "北京" or counts["北京"]:
        return []
    hits = []
    for number, line in text.body_lines():
        for match in re.finditer(r"首都", line):
            base = text.offset_of(number)
            hits.append(text.span(max(base, base + match.start() - 12), base + match.end() + 12))
    if not hits:
        return []
    return [
        Finding(
            "foreign_reference",
            "warning",
            f"报告属{home}，正文却出现“首都”等北京专用表述（{len(hits)}处），疑为照搬其他地区材料。",
            tuple(hits[:5]),
        )
    ]
