"""Live figures in typed report text.

A unit's text stores a figure as `{{CODE=VALUE}}`: the indicator code and the value it had
when the sentence was written. The report shows the current value (linking to its records)
and flags the token when the current value differs from the written one, so a sentence
written around an old value ("增长明显") is read again before the report goes out. A token
typed by hand without its value (`{{CODE=}}`) shows the current value and is flagged too: there
is nothing to tell whether the sentence was written around it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from fazhi.core.metrics import Figure
from fazhi.core.reports.document import Inline

TOKEN = re.compile(r"\{\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)=([^{}=]{0,40})\}\}")
# Sentences end at these (a token never contains one).
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n+")


def token(code: str, shown: str) -> str:
    """The stored form of a figure, as the editor inserts it."""
    return "{{" + f"{code}={shown}" + "}}"


def codes_in(text: str) -> list[str]:
    found: list[str] = []
    for match in TOKEN.finditer(text):
        if match.group(1) not in found:
            found.append(match.group(1))
    return found


def as_written(text: str) -> str:
    """The text as it read when written: each token replaced by its written value."""
    return TOKEN.sub(lambda m: m.group(2), text)


def sentences(text: str) -> list[str]:
    """The sentences of a text (tokens kept), stripped, empty ones dropped."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


@dataclass(frozen=True)
class StaleFigure:
    """A token whose figure has changed since its sentence was written."""

    code: str
    written: str
    current: str
    sentence: str  # the sentence as it reads now (current values); the first, when repeated
    count: int = 1  # the places it appears (see `distinct`)

    @property
    def message(self) -> str:
        places = f"（该数字共出现{self.count}处）" if self.count > 1 else ""
        if not self.written.strip():  # typed by hand as {{code=}}: nothing to compare with
            return (
                f"“{self.sentence}”中的数字未写明写入时的数值（当前为{self.current}），"
                f"请核对这句话是否仍然成立{places}"
            )
        return (
            f"“{self.sentence}”写于该数据为{self.written}时，当前为{self.current}，"
            f"请核对这句话是否仍然成立{places}"
        )


def distinct(stale: Iterable[StaleFigure]) -> list[StaleFigure]:
    """One per figure written at one value (the first sentence it is in), with the number of
    places: a token pasted 500 times is one thing to check, not 500."""
    first: dict[tuple[str, str, str], StaleFigure] = {}
    counts: Counter[tuple[str, str, str]] = Counter()
    for s in stale:
        key = (s.code, s.written.strip(), s.current)
        first.setdefault(key, s)
        counts[key] += s.count
    return [replace(s, count=counts[key]) for key, s in first.items()]


@dataclass(frozen=True)
class Resolved:
    text: str  # with current values
    inlines: tuple[Inline, ...]
    stale: tuple[StaleFigure, ...]


def resolve(
    text: str,
    figures: Mapping[str, Figure | None],
    link: Callable[[str], str] | None = None,
    carried: frozenset[str] = frozenset(),
) -> Resolved:
    """`text` with every token shown at its current value. A code the registry does not know
    (or the unit has no figure for) keeps its written value and is flagged. The pieces of a
    sentence in `carried` (as written: last year's identical sentences) are marked."""
    inlines: list[Inline] = []
    stale: list[StaleFigure] = []
    plain: list[str] = []
    for sentence in _split_keeping(text):
        pos = 0
        sentence_inlines: list[Inline] = []
        changed: list[tuple[str, str, str]] = []
        for match in TOKEN.finditer(sentence):
            if match.start() > pos:
                sentence_inlines.append(Inline(sentence[pos : match.start()]))
            code, written = match.group(1), match.group(2)
            figure = figures.get(code)
            if figure is None:
                sentence_inlines.append(
                    Inline(written, stale=True, note=f"未知指标「{code}」，按原文显示")
                )
                changed.append((code, written, "（未知指标）"))
            else:
                current = figure.shown
                href = link(code) if link else ""
                if current != written:
                    note = (
                        f"写入时为{written}，当前为{current}"
                        if written.strip()
                        else f"写入时未写明数值，当前为{current}"
                    )
                    sentence_inlines.append(Inline(current, href, stale=True, note=note))
                    changed.append((code, written, current))
                else:
                    sentence_inlines.append(Inline(current, href))
            pos = match.end()
        if pos < len(sentence):
            sentence_inlines.append(Inline(sentence[pos:]))
        if carried and as_written(sentence).strip() in carried:
            sentence_inlines = [replace(piece, carried=True) for piece in sentence_inlines]
        now = "".join(piece.text for piece in sentence_inlines)
        stale += [StaleFigure(c, w, cur, now.strip()) for c, w, cur in changed]
        inlines += sentence_inlines
        plain.append(now)
    return Resolved("".join(plain), tuple(_merge(inlines)), tuple(stale))


def _split_keeping(text: str) -> list[str]:
    """Sentences with their separators kept, so joining them gives `text` back."""
    parts: list[str] = []
    start = 0
    for match in re.finditer(r"[。！？；!?;]|\n+", text):
        parts.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        parts.append(text[start:])
    return parts


def _merge(inlines: list[Inline]) -> list[Inline]:
    """Adjacent plain pieces joined (fewer nodes, the same text)."""
    merged: list[Inline] = []
    for piece in inlines:
        plain = not piece.link and not piece.stale
        last = merged[-1] if merged else None
        if plain and last and not last.link and not last.stale and last.carried == piece.carried:
            merged[-1] = replace(last, text=last.text + piece.text)
        elif piece.text or not plain:
            merged.append(piece)
    return merged


__all__ = [
    "TOKEN",
    "Resolved",
    "StaleFigure",
    "as_written",
    "codes_in",
    "distinct",
    "resolve",
    "sentences",
    "token",
]
