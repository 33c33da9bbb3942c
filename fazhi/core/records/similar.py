"""How alike two short Chinese texts are, for telling a clerk "this looks like an earlier one".

Used where a ledger shows a person's earlier records next to a new one (a repeated disclosure
application, Art. 36(6); a repeated demand). The measure is the Dice coefficient over character
bigrams of the normalised texts: Chinese has no spaces to split words on, and two bigram sets
overlap when the same phrases appear in another order or with a few characters changed.

This compares one text with a handful of candidates that an index has already narrowed down
(the same applicant, the same number); it is not for comparing all pairs of a table.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import polars as pl

T = TypeVar("T")

# Words that say nothing about what is asked for: dropping them keeps "申请公开" boilerplate
# from making two unrelated applications look alike.
_FILLER = ("申请公开", "请求公开", "申请", "请求", "要求", "关于", "有关", "相关", "信息", "政府")


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII), lower case, only letters and digits
    kept, filler words removed."""
    text = unicodedata.normalize("NFKC", text).lower()
    for word in _FILLER:
        text = text.replace(word, "")
    # str.isalnum is exactly the categories L* and N* (test_similar checks every code point),
    # and runs in C: an import fingerprints a hundred thousand texts.
    return "".join(filter(str.isalnum, text))


def _bigrams(text: str) -> set[str]:
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def fingerprint(text: str) -> frozenset[str]:
    """The bigrams of the normalised text: what `similarity` compares. A caller comparing one
    text with many (a block of candidate pairs) computes each text's fingerprint once."""
    return frozenset(_bigrams(normalise(text)))


def dice(x: frozenset[str] | set[str], y: frozenset[str] | set[str]) -> float:
    """The similarity of two fingerprints: 0 … 1."""
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def fingerprint_expr(text: pl.Expr) -> pl.Expr:
    """`fingerprint` of a column of texts, as a list of distinct bigrams, in polars (a null
    text is the empty one): for scoring a block of a million candidate pairs without a Python
    call per text. The same normalising and the same bigrams (tests compare them)."""
    norm = text.fill_null("").str.normalize("NFKC").str.to_lowercase()
    for word in _FILLER:
        norm = norm.str.replace_all(word, "", literal=True)
    norm = norm.str.replace_all(r"[^\p{L}\p{N}]", "")
    # The pairs at even offsets and those at odd ones are every overlapping bigram.
    pairs = pl.concat_list(
        norm.str.extract_all("(?s).."), norm.str.slice(1).str.extract_all("(?s)..")
    )
    single = pl.concat_list(norm)
    return pl.when(norm.str.len_chars() == 1).then(single).otherwise(pairs).list.unique()


def dice_expr(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """`dice` of two columns of `fingerprint_expr` lists (a null list is the empty set)."""
    la, lb = a.list.len().fill_null(0), b.list.len().fill_null(0)
    shared = a.list.set_intersection(b).list.len().fill_null(0)
    return (
        pl.when((la == 0) | (lb == 0))
        .then(pl.lit(0.0))
        .otherwise((2 * shared).cast(pl.Float64) / (la + lb).cast(pl.Float64))
    )


def similarity(a: str, b: str) -> float:
    """0 (nothing shared) … 1 (the same after normalising)."""
    return dice(fingerprint(a), fingerprint(b))


@dataclass(frozen=True)
class Match(Generic[T]):
    item: T
    score: float  # 0…1

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def most_similar(
    text: str,
    candidates: Iterable[T],
    content: Callable[[T], str],
    *,
    threshold: float,
    limit: int = 5,
) -> Sequence[Match[T]]:
    """The candidates whose `content` is at least `threshold` alike to `text`, most alike first
    (ties: in the candidates' order)."""
    scored = [Match(c, similarity(text, content(c))) for c in candidates]
    kept = [m for m in scored if m.score >= threshold]
    kept.sort(key=lambda m: -m.score)
    return kept[:limit]
