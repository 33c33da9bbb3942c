"""The heading tree of a report, tolerant of the numbering styles found in real reports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fazhi.review.model import Finding, Heading
from fazhi.review.text import Text, is_table_line
from fazhi.review.xxgk_labels import is_table_label_line

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"^第([{_CN}]+)(?:部分|章|节)\s*[、.．:：]?\s*")),
    ("cn_paren", re.compile(rf"^[(（]([{_CN}]+)[)）]\s*[、.．]?\s*")),
    ("cn_paren", re.compile(rf"^([{_CN}]{{1,3}})[)）]\s*")),
    ("yishi", re.compile(rf"^([{_CN}]{{1,3}})是\s*(?=[\u4e00-\u9fff“\"《])")),
    ("cn", re.compile(rf"^([{_CN}]{{1,3}})\s*([、.．,，])\s*")),
    ("arabic_paren", re.compile(r"^[(（](\d{1,2})[)）]\s*[、.．]?\s*")),
    ("arabic", re.compile(r"^(\d{1,2})\s*([、.．]|\s(?=[\u4e00-\u9fff]))(?!\d)\s*")),
    ("circled", re.compile(rf"^([{_CIRCLED}])\s*")),
)
FAMILY_NAMES = {
    "part": "第X部分",
    "cn": "一、",
    "cn_paren": "（一）",
    "yishi": "一是",
    "arabic": "1.",
    "arabic_paren": "（1）",
    "circled": "①",
}


def cn_number(text: str) -> int:
    if text in _CIRCLED:
        return _CIRCLED.index(text) + 1
    if text.isdigit():
        return int(text)
    if "十" in text:
        head, _, tail = text.partition("十")
        return (_CN_DIGITS.get(head, 1) if head else 1) * 10 + (
            _CN_DIGITS.get(tail, 0) if tail else 0
        )
    return _CN_DIGITS.get(text, 0)


@dataclass(frozen=True)
class Marker:
    family: str
    style: str
    number: int
    marker: str
    rest: str


def parse_marker(line: str) -> Marker | None:
    stripped = line.strip().lstrip("•·●◆■□")
    stripped = stripped.strip()
    for family, pattern in _MARKERS:
        match = pattern.match(stripped)
        if not match:
            continue
        rest = stripped[match.end() :]
        if not rest or not re.match(r"[\u4e00-\u9fff“\"《「A-Za-z\d]", rest):
            continue
        number = cn_number(match.group(1))
        if number <= 0:
            continue
        style = family
        if family in ("arabic", "cn"):
            punct = match.group(2).strip() or " "
            style = family + ({"．": ".", "，": ",", " ": " "}.get(punct, punct))
        return Marker(family, style, number, match.group(0).strip(), rest)
    return None


def heading_title(rest: str) -> str:
    cut = re.search(r"[。：:；;！？]", rest)
    if cut and cut.start() <= 48:
        return rest[: cut.start()]
    if len(rest) <= 48:
        return rest
    return rest[:30] + "…"


@dataclass
class _Node:
    marker: Marker
    line: int
    level: int
    children: list[_Node] = field(default_factory=list)

    def freeze(self) -> Heading:
        return Heading(
            level=self.level,
            marker=self.marker.marker,
            style=self.marker.style,
            number=self.marker.number,
            title=heading_title(self.marker.rest),
            line=self.line,
            children=tuple(c.freeze() for c in self.children),
        )


@dataclass(frozen=True)
class Outline:
    headings: tuple[Heading, ...]
    findings: tuple[Finding, ...]

    def flat(self) -> list[Heading]:
        out: list[Heading] = []

        def walk(nodes: tuple[Heading, ...]) -> None:
            for node in nodes:
                out.append(node)
                walk(node.children)

        walk(self.headings)
        return out


def build_outline(text: Text, skip: frozenset[int] | set[int] = frozenset()) -> Outline:
    """``skip``: lines that are not prose (a 政府信息公开 report's table sections, whose row
    labels a PDF's text layer gives as lines)."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    for number, line in text.body_lines():
        if is_table_line(line) or is_table_label_line(line) or number in skip:
            continue
        marker = parse_marker(line)
        if marker is None:
            continue
        level = _place(stack, marker)
        node = _Node(marker, number, level)
        del stack[level:]
        if level == 0:
            roots.append(node)
        else:
            stack[level - 1].children.append(node)
        stack.append(node)
    findings = _numbering_findings(text, roots)
    return Outline(tuple(n.freeze() for n in roots), tuple(findings))


def _place(stack: list[_Node], marker: Marker) -> int:
    for index, node in enumerate(stack):
        if node.marker.style == marker.style:
            return index
    if marker.number > 1:
        for index, node in enumerate(stack):
            if node.marker.family == marker.family:
                return index
    if marker.number > 1 and marker.family != "yishi":
        # Another style continuing a sequence (1、 2、 三、) is a sibling, not a child.
        for index in range(len(stack) - 1, -1, -1):
            node = stack[index]
            if node.marker.number == marker.number - 1 and node.marker.family != "yishi":
                return index
    return len(stack)


def _numbering_findings(text: Text, roots: list[_Node]) -> list[Finding]:
    findings: list[Finding] = []

    def check(siblings: list[_Node], parent: _Node | None) -> None:
        numbered = [n for n in siblings if n.marker.family != "yishi"]
        families = []
        for node in numbered:
            if node.marker.family not in families:
                families.append(node.marker.family)
        styles = {n.marker.style for n in numbered}
        where = f"“{heading_title(parent.marker.rest)}”下" if parent else "一级标题"
        if len(families) > 1:
            shown = " ".join(f"“{n.marker.marker}”" for n in numbered[:8])
            findings.append(
                Finding(
                    "numbering_inconsistent",
                    "warning",
                    f"{where}的同级标题混用不同编号样式（{shown}）。",
                    tuple(text.line_span(n.line) for n in numbered[:8]),
                )
            )
        elif len(styles) > 1:
            shown = " ".join(f"“{n.marker.marker}”" for n in numbered[:8])
            findings.append(
                Finding(
                    "numbering_inconsistent",
                    "info",
                    f"{where}的同级标题编号标点不一致（{shown}）。",
                    tuple(text.line_span(n.line) for n in numbered[:8]),
                )
            )
        if len(families) == 1 and numbered:
            expected = numbered[0].marker.number
            for node in numbered[1:]:
                expected += 1
                if node.marker.number != expected:
                    findings.append(
                        Finding(
                            "numbering_inconsistent",
                            "warning",
                            f"{where}的标题编号不连续：应为第{expected}项，实为“{node.marker.marker}”。",
                            (text.line_span(node.line),),
                        )
                    )
                    expected = node.marker.number
        for node in siblings:
            check(node.children, node)

    check(roots, None)
    return findings


def section_lines(text: Text, outline: Outline, heading: Heading) -> tuple[int, int]:
    """First and last line of a heading's section (up to the next heading of its level or above)."""
    flat = outline.flat()
    end = len(text.lines)
    seen = False
    for node in flat:
        if node is heading:
            seen = True
            continue
        if seen and node.level <= heading.level:
            end = node.line - 1
            break
    return heading.line, end
