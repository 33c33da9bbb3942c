"""The normalised text of a report and helpers to point into it."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from fazhi.review.model import Span

_FULLWIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９％．"}
_FULLWIDTH.update({ord("\u3000"): ord(" "), ord("\xa0"): ord(" "), ord("\t"): ord(" ")})
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff\u2060]")
_ARTIFACTS = re.compile(r"\[bookmark: [^\]]*\]")

FURNITURE = re.compile(
    r"^[\s•·●]*(?:[\[【]?\s*(?:索\s*引\s*号|发\s*布\s*机\s*构|发\s*布\s*(?:时\s*间|日\s*期)|成\s*文\s*日\s*期|"
    r"发\s*文\s*(?:日\s*期|字\s*号)|主\s*题(?:\s*分\s*类)?|体\s*裁\s*分\s*类|有\s*效\s*性|名\s*称|文\s*号|"
    r"来\s*源|信息来源|浏览次数|访问量|点击数|字\s*体|字\s*号|分\s*享|当前位置|您当前所在位置|"
    r"您现在的位置|所属机构|标\s*题|发文机关|文件状态|效力说明|主\s*题\s*词|更新时间|公开方式|公开范围|生成日期|信息分类|组配分类)\s*[\]】]?\s*[:：]?|"
    r".*(?:无障碍|繁体|长者模式|设为首页|加入收藏|打印本页|关闭窗口|【打印】|【关闭】|扫一扫|网站支持IPv6"
    r"|English|首页\s*[>＞›»]|[^>＞›»]{1,12}[>＞›»][^>＞›»]{1,12}[>＞›»]).*$|\s*(?:打印|关闭|返回顶部|收藏|\[?打印\]?\s*\[?关闭\]?)\s*$|"
    r"\s*(?:[大中小]\s*){3}$|.*\s[>＞›»]\s.*\s[>＞›»]\s.*$)"
)


def normalise(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text).translate(_FULLWIDTH)
    text = _ARTIFACTS.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


@dataclass(frozen=True)
class Text:
    """Normalised text with line bookkeeping; line numbers are 1-based."""

    content: str

    @cached_property
    def lines(self) -> list[str]:
        return self.content.split("\n")

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        for line in self.lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        return starts

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def offset_of(self, line: int) -> int:
        return self.line_starts[line - 1]

    def span(self, start: int, end: int) -> Span:
        start = max(0, min(start, len(self.content)))
        end = max(start, min(end, len(self.content)))
        last = self.line_of(max(start, end - 1))
        return Span(self.line_of(start), last, start, end, self.content[start:end])

    def line_span(self, line: int) -> Span:
        start = self.offset_of(line)
        return self.span(start, start + len(self.lines[line - 1]))

    def excerpt(self, start: int, end: int, limit: int = 120) -> Span:
        span = self.span(start, end)
        if len(span.text) <= limit:
            return span
        return Span(span.line_start, span.line_end, span.start, span.end, span.text[:limit] + "…")

    @cached_property
    def furniture(self) -> frozenset[int]:
        """Lines that are site furniture rather than the report (kept so line numbers hold)."""
        marked: set[int] = set()
        for number, line in enumerate(self.lines, 1):
            stripped = line.strip()
            if stripped and len(stripped) < 120 and FURNITURE.match(stripped):
                marked.add(number)
        # A metadata block puts its values on the line after the label ("索 引 号 :" / value).
        for number in sorted(marked):
            label = self.lines[number - 1].strip()
            if re.search(r"[:：]$", label) and number < len(self.lines):
                nxt = self.lines[number].strip()
                if nxt and len(nxt) < 60 and (number + 1) not in marked:
                    marked.add(number + 1)
        return frozenset(marked)

    def body_lines(self) -> list[tuple[int, str]]:
        furniture = self.furniture
        return [
            (n, line) for n, line in enumerate(self.lines, 1) if n not in furniture and line.strip()
        ]


def is_table_line(line: str) -> bool:
    return "|" in line


_HAN = re.compile(r"[\u4e00-\u9fff]")
_CJK = "\u4e00-\u9fff，。、；：？！（）《》“”"
# PDF text extraction and OCR put spaces where Chinese characters meet each other or a digit
# ("东 湖 街 道", "申请 5 件", "2026 年"); Chinese prose has none there.
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[\d{_CJK}])|(?<=\d)[ \t]+(?=[{_CJK}])")


def han_count(text: str) -> int:
    """The number of Chinese characters."""
    return len(_HAN.findall(text))


def join_cjk_spaces(line: str) -> str:
    return _CJK_GAP.sub("", line)
