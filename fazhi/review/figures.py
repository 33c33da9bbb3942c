"""Quantities with their units and labels, and the arithmetic a reviewer checks by hand."""

from __future__ import annotations

import re

from fazhi.review.model import Figure, Finding
from fazhi.review.text import Text, is_table_line

UNITS = (
    "万人次", "平方米", "公里", "人次", "批次", "件次", "条次", "户次", "家次", "场次", "万元", "亿元",
    "余件", "小时", "件", "次", "人", "名", "个", "家", "份", "条", "场", "元", "项", "起", "户", "篇",
    "期", "宗", "所", "台", "辆", "本", "册", "万", "%",
)  # fmt: skip
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_FIGURE = re.compile(
    r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)(?P<approx>余|多)?\s*(?P<unit>" + _UNIT_ALT + r")"
    r"(?P<qual>以上|以下|左右|之多)?"
)
_CLAUSE_BREAK = re.compile(r"[，,；;。：:！？!?、（）()“”\"\s]")
_LABEL_NOISE = re.compile(
    r"^(?:共计?|累计|合计|总计|全年|其中|已|并|均|又|另|约|达到?|计|新增|年内)+"
)
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_RATE_WORDS = re.compile(r"率")
_GROWTH_WORDS = re.compile(
    r"增长|增幅|增加|提高|提升|上升|下降|减少|同比|环比|比上年|比去年|降低|超额"
)
_SUCCESS = re.compile(r"(成功|办结|结案|化解|解决|答复|回复|处理完毕|办理完毕)")
_PART_EXCLUDE = re.compile(r"成功|办结|结案|化解|完成|涉及|同比|增长|占|率|累计|均")


def _label(sentence: str, start: int) -> str:
    before = sentence[:start]
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(before)]
    label = before[breaks[-1] :] if breaks else before
    label = _LABEL_NOISE.sub("", label)
    return label[-24:]


def extract_figures(text: Text) -> list[Figure]:
    figures: list[Figure] = []
    for number, line in text.body_lines():
        if is_table_line(line):
            continue
        base = text.offset_of(number)
        for sentence in _SENTENCE.finditer(line):
            s = sentence.group(0)
            for match in _FIGURE.finditer(s):
                unit = match.group("unit")
                if unit == "余件":
                    unit = "件"
                tail = s[match.end() : match.end() + 1]
                if (
                    unit in ("万", "本", "期", "台")
                    and tail
                    and not re.match(r"[，,。；;、）)]", tail)
                ):
                    continue
                label = _label(s, match.start())
                start = base + sentence.start() + match.start()
                figures.append(
                    Figure(
                        value=float(match.group("num")),
                        unit=unit,
                        label=label,
                        qualifier=(match.group("approx") or "") + (match.group("qual") or ""),
                        span=text.span(start, base + sentence.start() + match.end()),
                    )
                )
    return figures


def _sentence_groups(text: Text, figures: list[Figure]) -> list[tuple[int, int, list[Figure]]]:
    groups: dict[tuple[int, int], list[Figure]] = {}
    for figure in figures:
        line = figure.span.line_start
        content = text.lines[line - 1]
        base = text.offset_of(line)
        rel = figure.span.start - base
        sentence_start = max(content.rfind(c, 0, rel) for c in "。！？!?") + 1
        groups.setdefault((line, sentence_start), []).append(figure)
    out = []
    for (line, start), figs in groups.items():
        content = text.lines[line - 1]
        ends = [i for i in (content.find(c, start) for c in "。！？!?") if i >= 0]
        end = min(ends) + 1 if ends else len(content)
        out.append((text.offset_of(line) + start, text.offset_of(line) + end, figs))
    return out


def check_figures(text: Text, figures: list[Figure]) -> list[Finding]:
    findings: list[Finding] = []
    for figure in figures:
        if figure.unit != "%" or not _RATE_WORDS.search(figure.label):
            continue
        if _GROWTH_WORDS.search(figure.label):
            continue
        over = figure.value > 100 or (
            figure.value >= 100 and figure.qualifier in ("以上", "多", "余")
        )
        if over:
            findings.append(
                Finding(
                    "rate_over_100",
                    "error",
                    f"“{figure.label}”为{figure.span.text}，比率不可能超过100%。",
                    (figure.span,),
                )
            )
    for start, end, group in _sentence_groups(text, figures):
        sentence = text.content[start:end]
        findings.extend(_check_sum(text, start, sentence, group))
        findings.extend(_check_success(text, start, end, group))
    return findings


def _check_sum(text: Text, start: int, sentence: str, group: list[Figure]) -> list[Finding]:
    index = sentence.find("其中")
    if index < 0:
        return []
    absolute = start + index
    totals = [f for f in group if f.span.end <= absolute + 1 and f.unit != "%"]
    if not totals:
        return []
    total = totals[-1]
    parts = [
        f
        for f in group
        if f.span.start > absolute and f.unit == total.unit and not _PART_EXCLUDE.search(f.label)
    ]
    if len(parts) < 2 or any(p.qualifier for p in parts) or total.qualifier:
        return []
    # Stop at the first figure of another unit: it starts a new statement.
    kept: list[Figure] = []
    for figure in sorted((f for f in group if f.span.start > absolute), key=lambda f: f.span.start):
        if figure.unit != total.unit:
            break
        if figure in parts:
            kept.append(figure)
    if len(kept) < 2:
        return []
    total_parts = sum(p.value for p in kept)
    if total_parts <= total.value + 1e-9:
        return []
    shown = "+".join(_fmt(p.value) for p in kept)
    return [
        Finding(
            "sum_mismatch",
            "error",
            f"“{total.label}”共{_fmt(total.value)}{total.unit}，但“其中”所列各项之和为"
            f"{shown}={_fmt(total_parts)}{total.unit}，分项之和大于总数。",
            (text.excerpt(start, start + len(sentence), 160), total.span, *(p.span for p in kept)),
            (("total", total.value), ("parts", [p.value for p in kept])),
        )
    ]


def _check_success(text: Text, start: int, end: int, group: list[Figure]) -> list[Finding]:
    findings: list[Finding] = []
    counts = [f for f in group if f.unit != "%"]
    for index, figure in enumerate(counts):
        match = _SUCCESS.search(figure.label)
        if not match:
            continue
        stem = figure.label[: match.start()][-2:]
        bases = [
            b
            for b in counts[:index]
            if b.unit == figure.unit
            and not _SUCCESS.search(b.label)
            and (
                (stem and stem in b.label)
                or re.search(r"受理|收到|接到|接待|登记|排查出|共有|申请", b.label)
            )
        ]
        if not bases:
            continue
        base = bases[-1]
        if figure.value > base.value and not base.qualifier:
            findings.append(
                Finding(
                    "success_exceeds_total",
                    "error",
                    f"“{figure.label}”{_fmt(figure.value)}{figure.unit}多于“{base.label}”"
                    f"{_fmt(base.value)}{base.unit}。",
                    (text.excerpt(start, end, 160), base.span, figure.span),
                )
            )
            continue
        rates = [
            r
            for r in group
            if r.unit == "%" and r.span.start > figure.span.start and "率" in r.label
        ]
        if rates and base.value > 0 and not base.qualifier and not figure.qualifier:
            rate = rates[0]
            computed = figure.value / base.value * 100
            if abs(computed - rate.value) > 1.0 and rate.value <= 100:
                findings.append(
                    Finding(
                        "rate_inconsistent",
                        "warning",
                        f"“{rate.label}”写为{_fmt(rate.value)}%，按{_fmt(figure.value)}/"
                        f"{_fmt(base.value)}计算应为{computed:.1f}%。",
                        (text.excerpt(start, end, 160), base.span, figure.span, rate.span),
                    )
                )
    return findings


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
