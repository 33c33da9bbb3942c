"""The search box's words: split at any space, full-width letters and digits as ASCII."""

from __future__ import annotations

import pytest

from fazhi.core.records.search import MAX_TERMS, terms


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("油烟", ["油烟"]),
        ("  油烟   噪音 ", ["油烟", "噪音"]),
        ("油烟\u3000噪音", ["油烟", "噪音"]),  # the full-width space of a Chinese input method
        ("１２３４５", ["12345"]),
        ("ＧＤ－ａｂｃ", ["GD-abc"]),
        ("噪音，扰民", ["噪音，扰民"]),  # the Chinese comma stays: content is written with it
        ("油烟 油烟", ["油烟"]),
        ("", []),
        ("   ", []),
    ],
)
def test_terms(typed: str, words: list[str]) -> None:
    assert terms(typed) == words


def test_terms_are_bounded() -> None:
    many = " ".join(f"词{i}" for i in range(50))
    assert terms(many) == [f"词{i}" for i in range(MAX_TERMS)]
