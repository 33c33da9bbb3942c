"""How alike two short Chinese texts are (core.records.similar), table-driven."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.core.records.similar import (
    dice_expr,
    fingerprint,
    fingerprint_expr,
    most_similar,
    normalise,
    similarity,
)

CASES = [
    # (a, b, at least, at most)
    ("辖区老旧小区改造项目清单", "辖区老旧小区改造项目清单", 1.0, 1.0),
    ("申请公开辖区老旧小区改造项目清单。", "辖区老旧小区改造项目清单", 1.0, 1.0),
    ("２０２５年低保名单", "2025年低保名单", 1.0, 1.0),
    ("老旧小区改造项目清单（辖区）", "辖区老旧小区改造项目清单", 0.75, 0.99),
    ("2025年东湖街道低保发放名单", "2024年东湖街道低保发放名单", 0.8, 0.99),
    ("辖区老旧小区改造项目清单", "街道党工委会议纪要", 0.0, 0.1),
    ("申请公开相关信息", "申请公开有关政府信息", 0.0, 0.0),
    ("", "辖区老旧小区改造项目清单", 0.0, 0.0),
]


@pytest.mark.parametrize(("a", "b", "low", "high"), CASES)
def test_similarity(a: str, b: str, low: float, high: float) -> None:
    assert low <= similarity(a, b) <= high
    assert similarity(a, b) == similarity(b, a)


def test_normalise_drops_punctuation_space_and_filler() -> None:
    assert normalise("申请公开：２０２５ 年 A街道\u200b信息。") == "2025年a街道"


def test_most_similar_keeps_the_alike_ones_most_alike_first() -> None:
    found = most_similar(
        "辖区老旧小区改造项目清单",
        ["街道党工委会议纪要", "老旧小区改造项目清单", "辖区老旧小区改造项目清单及资金"],
        str,
        threshold=0.5,
    )
    assert [m.item for m in found] == ["老旧小区改造项目清单", "辖区老旧小区改造项目清单及资金"]
    assert all(50 <= m.percent <= 100 for m in found)


def test_normalise_keeps_exactly_the_letters_and_digits_of_unicode() -> None:
    # normalise keeps what str.isalnum accepts; the definition is Unicode's categories L and N.
    import unicodedata

    kept = [
        cp
        for cp in range(0x110000)
        if (unicodedata.category(chr(cp))[0] in "LN") != chr(cp).isalnum()
    ]
    assert kept == []
    # The underscore (a word character for regexes) and a combining mark are dropped.
    assert normalise("a_b\u0301-c２") == "abc2"


TEXTS = [t for a, b, _, _ in CASES for t in (a, b)] + [
    "申请公开：２０２５ 年 A街道\u200b信息。",
    "a_b\u0301-c２",
    "楼",
    "İstanbul ß",
    "x😀y①②",
    "楼下烧烤店油烟扰民，楼下烧烤店油烟扰民",
]


def _columnar(texts: list[str | None]) -> list[frozenset[str]]:
    frame = pl.DataFrame({"t": texts}, schema={"t": pl.String})
    return [frozenset(g) for g in frame.select(fingerprint_expr(pl.col("t")))["t"].to_list()]


def _columnar_dice(pairs: list[tuple[str, str]]) -> list[float]:
    frame = pl.DataFrame({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]})
    prints = frame.select(fingerprint_expr(pl.col("a")), fingerprint_expr(pl.col("b")))
    return prints.select(dice_expr(pl.col("a"), pl.col("b")).alias("d"))["d"].to_list()


def test_the_columnar_fingerprint_and_dice_are_the_python_ones() -> None:
    assert _columnar([*TEXTS, None]) == [fingerprint(t) for t in [*TEXTS, ""]]
    pairs = [(a, b) for a in TEXTS for b in TEXTS]
    assert _columnar_dice(pairs) == [similarity(a, b) for a, b in pairs]


# Characters Python's Unicode tables assign (a newer table may call an unassigned one a letter).
ASSIGNED = st.characters(exclude_categories=("Cn", "Cs", "Co"))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.one_of(st.sampled_from("楼下烧烤店油烟扰民申请公开信息２a"), ASSIGNED),
            max_size=30,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_columnar_fingerprint_is_the_python_one_for_any_text(texts: list[str]) -> None:
    assert _columnar(list(texts)) == [fingerprint(t) for t in texts]
    pairs = list(zip(texts, reversed(texts), strict=True))
    assert _columnar_dice(pairs) == [similarity(a, b) for a, b in pairs]
