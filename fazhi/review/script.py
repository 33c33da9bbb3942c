"""Traditional characters to simplified before a report is read (OpenCC, t2s).

A page published in traditional characters (a site's 繁体 switch saved as the page, a report
from a unit that writes 繁體) has the same structure, but every keyword the reviewer looks
for (报告, 政府信息公开, 第一责任人, 本年新收…) is spelled differently. Each line is converted
on its own, so the converted text keeps the line numbers of the original. The review then
points into the converted text, and says that it converted.

OpenCC is an optional dependency: without it a traditional page is still recognised (by a
short list of characters that only traditional text uses) and the review says it could not
convert, instead of silently finding every item missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from fazhi.review.model import Finding
from fazhi.review.text import han_count

# Frequent characters of government prose that exist only in traditional writing.
_TELLTALE = frozenset(
    "報發資訊開關於會區縣鎮鄉鄰處條實務權責與學習進設規範據國這們個對當時員點數總計額"
    "辦機構問題經濟環線體製劃審議決標準執證產業舉織導為應從驗歲節"
)
MIN_TRADITIONAL_SHARE = 0.03
MIN_TRADITIONAL_CHARS = 5


@dataclass(frozen=True)
class Script:
    text: str
    traditional: bool
    converted: bool
    changed_chars: int = 0


@cache
def _converter() -> Any | None:
    try:
        import opencc
    except ImportError:
        return None
    try:
        return opencc.OpenCC("t2s")
    except Exception:  # a build whose data files cannot be found
        try:
            return opencc.OpenCC("t2s.json")
        except Exception:
            return None


def opencc_available() -> bool:
    return _converter() is not None


def _telltale_share(text: str) -> tuple[int, int]:
    han = han_count(text)
    telltale = sum(1 for c in text if c in _TELLTALE)
    return telltale, han


def to_simplified(text: str) -> Script:
    """The text in simplified characters when it was written in traditional ones."""
    converter = _converter()
    if converter is None:
        telltale, han = _telltale_share(text)
        traditional = telltale >= MIN_TRADITIONAL_CHARS and telltale >= han * MIN_TRADITIONAL_SHARE
        return Script(text, traditional, False)
    lines = text.split("\n")
    converted = [converter.convert(line) if han_count(line) else line for line in lines]
    changed = sum(
        sum(1 for a, b in zip(old, new, strict=False) if a != b) if len(old) == len(new) else
        abs(len(old) - len(new)) + 1
        for old, new in zip(lines, converted, strict=True)
    )  # fmt: skip
    han = han_count(text)
    traditional = changed >= MIN_TRADITIONAL_CHARS and changed >= han * MIN_TRADITIONAL_SHARE
    if not traditional:
        # A simplified report quoting a few traditional words (a title, a name) is left as is.
        return Script(text, False, False, changed)
    return Script("\n".join(converted), True, True, changed)


TRADITIONAL_NOTE = "繁体转简体"
OCR_NOTE = "OCR识别"


def reading_findings(script: Script, notes: tuple[str, ...]) -> list[Finding]:
    """Info findings that say how the text was obtained (converted, OCR'd, not converted)."""
    findings: list[Finding] = []
    if script.converted:
        findings.append(
            Finding(
                "traditional_converted",
                "info",
                f"报告为繁体字，已用 OpenCC 转为简体后审查（{script.changed_chars}字转换）；"
                "证据摘录为转换后的文字。",
                data=(("changed_chars", script.changed_chars),),
            )
        )
    elif script.traditional:
        findings.append(
            Finding(
                "traditional_not_converted",
                "warning",
                "报告为繁体字，但本机未安装 OpenCC，未能转为简体，关键词检查可能漏报或误报。",
            )
        )
    if OCR_NOTE in notes:
        findings.append(
            Finding(
                "ocr_read",
                "info",
                "PDF 没有文字层（扫描件），文字由 OCR识别 得到，数字和字词可能有识别错误，请人工核对。",
            )
        )
    return findings
