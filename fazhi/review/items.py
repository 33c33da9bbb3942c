"""The five mandated items of a 法治政府建设 report (督察工作规定)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fazhi.review.metadata import is_closing_line
from fazhi.review.model import Finding, Heading, Span
from fazhi.review.outline import Outline, section_lines
from fazhi.review.text import Text, han_count

ITEMS = ("measures", "shortcomings", "leader_duty", "next_year", "other")
ITEM_NAMES = {
    "measures": "推进法治政府建设的主要举措和成效",
    "shortcomings": "存在的不足和原因",
    "leader_duty": "党政主要负责人履行推进法治建设第一责任人职责情况",
    "next_year": "下一年度推进法治政府建设的主要安排",
    "other": "其他需要报告的情况",
}
_HEADING_PATTERNS = {
    "shortcomings": re.compile(
        r"存在的?(?:主要)?(?:问题|不足)|不足(?:之处|和原因|及原因)?$|^(?:主要)?问题(?:和|与|及)|短板|差距和?不足|"
        r"^(?:\d{4}年)?(?:推进法治建设)?存在的?不足|^不足|问题与不足|困难和问题|^存在问题"
    ),
    "leader_duty": re.compile(
        r"第一责任人|主要负责人|主要领导.*(?:履行|法治建设)|履行推进法治建设"
    ),
    "next_year": re.compile(
        r"下一步|下一年|下步|明年|今后|来年|20\d\d\s*年(?:度)?(?:推进法治建设|法治政府建设)?(?:的)?(?:主要)?"
        r"(?:工作)?(?:计划|打算|安排|思路|举措|重点|目标)|工作(?:计划|打算|安排|思路)|努力方向|(?:主要)?安排$"
    ),
    "other": re.compile(r"其[他它]需要(?:报告|说明)|其[他它](?:有关)?(?:事项|情况)$"),
    "measures": re.compile(
        r"举措|成效|主要(?:工作|做法)|工作(?:开展)?情况|亮点|成绩|推进法治政府建设(?:情况|工作)"
    ),
}
_BODY_PATTERNS = {
    "shortcomings": re.compile(r"存在(?:的)?(?:主要)?(?:问题|不足)|不足之处|短板|薄弱环节|差距"),
    "leader_duty": re.compile(r"第一责任人|主要负责人履行|述法"),
    "next_year": re.compile(r"下一步|下一年度|明年|(?:今后|来年)(?:的)?工作中"),
    "other": re.compile(r"其他需要报告"),
    "measures": re.compile(r"举措|成效|取得"),
}
_CAUSE = re.compile(r"原因|由于|因为|导致|源于|归因|根源|主要是|究其|客观上|主观上|受.{1,12}影响")


@dataclass(frozen=True)
class ItemResult:
    present: bool
    own_section: bool
    where: tuple[Span, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "present": self.present,
            "own_section": self.own_section,
            "where": [{"line": s.line_start, "text": s.text} for s in self.where],
        }


def _classify(heading: Heading) -> str | None:
    title = heading.title
    for item in ("other", "leader_duty", "shortcomings", "next_year", "measures"):
        if _HEADING_PATTERNS[item].search(title):
            if item == "shortcomings" and title.startswith("关于"):
                continue
            return item
    return None


def check_items(
    text: Text, outline: Outline, year: int | None
) -> tuple[dict[str, ItemResult], list[Finding]]:
    flat = outline.flat()
    owned: dict[str, list[Heading]] = {item: [] for item in ITEMS}
    for heading in flat:
        item = _classify(heading)
        if item is None:
            continue
        # A sub-heading only owns an item when no ancestor heading owns it already.
        if any(_contains(text, outline, h, heading) for h in owned[item]):
            continue
        owned[item].append(heading)
        if (item == "shortcomings" and "下一步" in heading.title) or re.search(
            r"问题.*(?:思路|举措|计划|打算|安排)", heading.title
        ):
            owned["next_year"].append(heading)
    results: dict[str, ItemResult] = {}
    findings: list[Finding] = []
    top_level = [h for h in flat if h.level == 0]
    empty: dict[str, list[Heading]] = {}
    for item in ITEMS:
        headings = owned[item]
        if headings and item != "other":
            filled = [h for h in headings if _has_body(text, outline, h)]
            if not filled:
                # A heading that promises the item with nothing under it does not report it.
                empty[item] = headings
                results[item] = ItemResult(
                    False, True, tuple(text.line_span(h.line) for h in headings)
                )
                continue
        if headings:
            results[item] = ItemResult(True, True, tuple(text.line_span(h.line) for h in headings))
            continue
        if item == "measures":
            others = {h.line for hs in owned.values() for h in hs}
            work = [h for h in top_level if h.line not in others]
            if work:
                results[item] = ItemResult(True, False, tuple(text.line_span(h.line) for h in work))
                continue
        mentions = _body_mentions(text, _BODY_PATTERNS[item])
        if mentions and item != "measures":
            results[item] = ItemResult(True, False, tuple(mentions[:5]))
        else:
            results[item] = ItemResult(False, False, ())
    for item in ITEMS:
        # 其他需要报告的情况 is reported only when there is something to report: its absence
        # alone is no defect.
        if results[item].present or item == "other":
            continue
        if item in empty:
            heading = empty[item][0]
            findings.append(
                Finding(
                    f"missing_item:{item}",
                    "error",
                    f"第{heading.line}行有“{heading.title[:30]}”标题，但其下没有内容，"
                    f"未实际报告“{ITEM_NAMES[item]}”。",
                    tuple(text.line_span(h.line) for h in empty[item]),
                    (("empty_heading", True),),
                )
            )
            continue
        findings.append(
            Finding(
                f"missing_item:{item}",
                "error",
                f"未找到法定报告事项“{ITEM_NAMES[item]}”（《法治政府建设与责任落实督察工作规定》要求报告）。",
            )
        )
    for heading in owned["shortcomings"]:
        start, end = section_lines(text, outline, heading)
        section = "\n".join(text.lines[start - 1 : end])
        body = section.split("\n", 1)[-1]
        if owned["next_year"] and heading in owned["next_year"]:
            body = _until_next_year_child(text, heading, body)
        if not _CAUSE.search(body) and not _CAUSE.search(heading.title):
            findings.append(
                Finding(
                    "missing_cause",
                    "warning",
                    "“存在的不足”部分只列问题，未分析原因（督察工作规定要求报告“不足和原因”）。",
                    (text.line_span(heading.line),),
                )
            )
    if year is not None:
        findings.extend(_wrong_year(text, outline, owned["next_year"], year))
    return results, findings


MIN_BODY_HAN = 8


def _has_body(text: Text, outline: Outline, heading: Heading) -> bool:
    """Whether a heading's section says anything: the rest of its own line (a run-in title)
    and the lines under it, without the closing signature and date."""
    start, end = section_lines(text, outline, heading)
    first = text.lines[start - 1]
    cut = first.find(heading.title)
    rest = first[cut + len(heading.title) :] if cut >= 0 else ""
    body = [rest]
    for number in range(start + 1, end + 1):
        if number in text.furniture:
            continue
        line = text.lines[number - 1]
        if is_closing_line(line):
            continue
        body.append(line)
    return han_count("".join(body)) >= MIN_BODY_HAN


def _until_next_year_child(text: Text, heading: Heading, body: str) -> str:
    for child in heading.children:
        if _HEADING_PATTERNS["next_year"].search(child.title):
            offset = text.offset_of(child.line) - text.offset_of(heading.line)
            return text.content[
                text.offset_of(heading.line) : text.offset_of(heading.line) + offset
            ]
    return body


def _contains(text: Text, outline: Outline, outer: Heading, inner: Heading) -> bool:
    start, end = section_lines(text, outline, outer)
    return start < inner.line <= end


def _body_mentions(text: Text, pattern: re.Pattern[str]) -> list[Span]:
    spans: list[Span] = []
    for number, line in text.body_lines():
        match = pattern.search(line)
        if match:
            base = text.offset_of(number)
            begin = max(0, match.start() - 20)
            spans.append(text.span(base + begin, base + min(len(line), match.end() + 20)))
    return spans


_YEAR = re.compile(r"(?<![\d\-—–~至到])(20\d\d)\s*年(?!\s*\d{1,2}\s*月)(?![\-—–~至到])")


def _wrong_year(text: Text, outline: Outline, headings: list[Heading], year: int) -> list[Finding]:
    for heading in headings:
        lines = [(heading.line, True)]
        lines += [(c.line, False) for c in heading.children if c.level == heading.level + 1]
        if not heading.children and heading.line < len(text.lines):
            lines.append((heading.line + 1, False))
        for number, is_title in lines:
            line = text.lines[number - 1]
            window = line[:60] if is_title else line[:80]
            for match in _YEAR.finditer(window):
                planned = int(match.group(1))
                bad = planned != year + 1 and planned >= year if is_title else planned > year + 1
                if is_title and planned == year and "存在" in window[: match.start()]:
                    bad = False
                if not bad:
                    continue
                base = text.offset_of(number)
                return [
                    Finding(
                        "wrong_year",
                        "error",
                        f"“下一年度安排”部分写的是{planned}年，报告年度为{year}年，应安排{year + 1}年工作。",
                        (
                            text.span(base + match.start(), base + match.end()),
                            text.line_span(number),
                        ),
                    )
                ]
    return []
