"""Repeated passages: inside one report, between reports of a batch, and from last year's report.

Passages are found by content-defined anchors (k-grams starting at characters chosen by their
code point, so two texts pick the same anchors), an inverted index from anchor to positions, and
exact extension of each anchor match; runs on nearby diagonals are merged so that near-identical
passages with a few edited characters come out as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi.review.text import Text, is_table_line

K = 10
ANCHOR_MOD = 4
MIN_INTERNAL = 25
MIN_CROSS = 40
MAX_POSTINGS = 24
_DROP = re.compile(r"[\s\W_]", re.UNICODE)
# Sentences every report of a kind must carry (the format's own wording), and fazhi's draft
# placeholders: sharing them with last year or another unit is not copying.
_TEMPLATE = re.compile(
    r"^(本报告(根据|是根据|依据|按照)[^。]{0,80}(条例|格式|要求)[^。]*编制"
    r"|[^。]{0,40}统计期限自\d{4}年1月1日起?至\d{4}年12月31日止"
    r"|（尚未填写)"
)
# Short numbered headings and titles: fixed by the report format, identical in every report.
_SHORT_HEADING = re.compile(r"^([（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]|.{0,30}报告$)")


@dataclass(frozen=True)
class Canon:
    """Report text with whitespace and punctuation removed, mapped back to normalised offsets."""

    chars: str
    offsets: tuple[int, ...]

    def source(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class Match:
    a_start: int
    a_end: int
    b_start: int
    b_end: int

    @property
    def length(self) -> int:
        return min(self.a_end - self.a_start, self.b_end - self.b_start)


def canonical(text: Text, skip: frozenset[int] | set[int] = frozenset()) -> Canon:
    """``skip``: lines that are not prose (table sections, whose header a PDF repeats)."""
    chars: list[str] = []
    offsets: list[int] = []
    for number, line in text.body_lines():
        stripped = line.strip()
        if is_table_line(line) or _TEMPLATE.match(stripped) or number in skip:
            continue
        if len(stripped) <= 30 and _SHORT_HEADING.match(stripped):
            continue
        base = text.offset_of(number)
        for index, char in enumerate(line):
            if char.isalnum() and not _DROP.match(char):
                chars.append(char)
                offsets.append(base + index)
    return Canon("".join(chars), tuple(offsets))


def anchors(chars: str) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    limit = len(chars) - K + 1
    for i in range(limit):
        if ord(chars[i]) % ANCHOR_MOD == 0:
            index.setdefault(chars[i : i + K], []).append(i)
    return index


def find_matches(
    a: str,
    b: str,
    min_len: int,
    index_b: dict[str, list[int]] | None = None,
    same: bool = False,
    index_a: dict[str, list[int]] | None = None,
    ignore: set[str] | None = None,
) -> list[Match]:
    """Passages of at least min_len characters shared by a and b (a is b when same)."""
    if index_b is None:
        index_b = anchors(b)
    if index_a is None:
        index_a = index_b if same else anchors(a)
    hits: list[tuple[int, int]] = []
    for gram, positions_a in index_a.items():
        positions_b = index_b.get(gram)
        if not positions_b or len(positions_b) > MAX_POSTINGS or len(positions_a) > MAX_POSTINGS:
            continue
        if ignore and gram in ignore:
            continue
        for p in positions_a:
            for q in positions_b:
                if not same or q > p:
                    hits.append((q - p, p))
    hits.sort()
    runs: list[Match] = []
    covered_diagonal, covered_until = None, -1
    for diagonal, p in hits:
        if diagonal == covered_diagonal and p < covered_until:
            continue
        q = p + diagonal
        start_a, start_b = p, q
        while start_a > 0 and start_b > 0 and a[start_a - 1] == b[start_b - 1]:
            start_a -= 1
            start_b -= 1
        end_a, end_b = p + K, q + K
        while end_a < len(a) and end_b < len(b) and a[end_a] == b[end_b]:
            end_a += 1
            end_b += 1
        covered_diagonal, covered_until = diagonal, end_a
        if same and end_a > start_b:
            continue  # a periodic run overlapping itself is not a repeat
        runs.append(Match(start_a, end_a, start_b, end_b))
    return [m for m in _merge(runs) if m.length >= min_len]


def _merge(runs: list[Match], gap: int = 6) -> list[Match]:
    runs.sort(key=lambda m: (m.a_start, m.b_start))
    merged: list[Match] = []
    for run in runs:
        for index in range(len(merged) - 1, max(-1, len(merged) - 6), -1):
            last = merged[index]
            if (0 <= run.a_start - last.a_end <= gap and 0 <= run.b_start - last.b_end <= gap) or (
                last.a_start <= run.a_start <= last.a_end
                and last.b_start <= run.b_start <= last.b_end
            ):
                merged[index] = Match(
                    last.a_start,
                    max(last.a_end, run.a_end),
                    last.b_start,
                    max(last.b_end, run.b_end),
                )
                break
        else:
            merged.append(run)
    return merged


# Two matches this close on both sides are one repeated passage with an edit in the middle.
PASSAGE_GAP = 40


def internal_duplicates(canon: Canon) -> list[Match]:
    """Each repeated pair of passages once: pieces of one passage edited in the middle
    (a phrase reworded) are merged, so the same two paragraphs are not reported twice."""
    matches = find_matches(canon.chars, canon.chars, MIN_INTERNAL, same=True)
    merged = _merge([m for m in matches if m.a_end <= m.b_start], gap=PASSAGE_GAP)
    return sorted((m for m in merged if m.a_end <= m.b_start), key=lambda m: (m.a_start, m.b_start))


class BatchIndex:
    """Inverted index of anchors over many reports, to find shared passages without all pairs."""

    def __init__(self) -> None:
        self.postings: dict[int, list[int]] = {}
        self.indexes: list[dict[str, list[int]]] = []

    def add(self, canon: Canon) -> int:
        doc = len(self.indexes)
        index = anchors(canon.chars)
        self.indexes.append(index)
        for gram in index:
            self.postings.setdefault(hash(gram), []).append(doc)
        return doc

    def candidate_pairs(self, min_shared: int = 4) -> tuple[dict[tuple[int, int], int], set[int]]:
        count = len(self.indexes)
        # Anchors shared by many reports are boilerplate; they would also make the pair count quadratic.
        cap = max(8, int(2 * count**0.5))
        common = {h for h, docs in self.postings.items() if len(docs) > cap}
        pairs: dict[tuple[int, int], int] = {}
        for h, docs in self.postings.items():
            if len(docs) < 2 or h in common:
                continue
            for i, left in enumerate(docs):
                for right in docs[i + 1 :]:
                    pairs[(left, right)] = pairs.get((left, right), 0) + 1
        return {p: n for p, n in pairs.items() if n >= min_shared}, common


def cross_matches(
    a: Canon,
    b: Canon,
    index_b: dict[str, list[int]],
    common: set[int],
    min_len: int = MIN_CROSS,
    index_a: dict[str, list[int]] | None = None,
) -> list[Match]:
    ignore = {gram for gram in index_b if hash(gram) in common} if common else None
    if ignore is not None and len(ignore) == len(index_b):
        return []
    matches = find_matches(
        a.chars, b.chars, min_len, index_b=index_b, ignore=ignore, index_a=index_a
    )
    return [m for m in matches if not _mostly_common(a.chars[m.a_start : m.a_end], common)]


def _mostly_common(passage: str, common: set[int]) -> bool:
    if not common:
        return False
    grams = [
        passage[i : i + K] for i in range(len(passage) - K + 1) if ord(passage[i]) % ANCHOR_MOD == 0
    ]
    if not grams:
        return False
    return sum(hash(g) in common for g in grams) * 2 > len(grams)
