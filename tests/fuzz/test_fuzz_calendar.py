"""Fuzz the holiday notice parser and the calendar CSV: only NoticeError, never a crash or hang."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from fazhi.core.calendar.csvfile import parse_calendar_csv
from fazhi.core.calendar.notice import NoticeError, check_complete, parse_notice
from tests.fuzz.profiles import FUZZ, MUTATION, mutate, within

_DATA = Path(__file__).resolve().parents[2] / "fazhi" / "core" / "calendar" / "tests" / "data"
NOTICES = sorted(p.read_text(encoding="utf-8") for p in _DATA.glob("notice_*.txt"))
_TOKENS = [
    "至", "月", "日", "放假", "上班", "调休", "共", "天", "、", "（", "）", "星期六", "周日", "一",
    "十二", "31", "2", "0", "元旦：", "春节：", "国庆节：", "中秋节、国庆节：", "1月1日", "2月30日",
    "13月1日", "放假调休，共8天", "。", "\n", " ", "　", "１", "二〇二七年",
]  # fmt: skip


def _mangle(text: str, seed: int, edits: int) -> str:
    rng = random.Random(seed)
    for _ in range(edits):
        at = rng.randrange(len(text) + 1)
        action = rng.randrange(4)
        if action == 0:
            text = text[:at] + rng.choice(_TOKENS) + text[at:]
        elif action == 1:
            text = text[:at] + text[at + rng.randrange(1, 12) :]
        elif action == 2:
            span = text[at : at + rng.randrange(1, 40)]
            text = text[:at] + span + span + text[at:]
        else:
            text = text[:at] + text[at:][::-1][: rng.randrange(1, 8)][::-1] + text[at:]
    return text


def _expect_notice_error_only(parse: Callable[[], object]) -> None:
    refused: NoticeError | None = None
    with within():
        try:
            parse()
        except NoticeError as exc:
            refused = exc
    assert refused is None or any("\u4e00" <= ch <= "\u9fff" for ch in str(refused)), refused


@FUZZ
@given(
    notice=st.sampled_from(NOTICES),
    seed=st.integers(0, 2**32),
    edits=st.integers(0, 12),
    year=st.one_of(st.integers(2004, 2030), st.sampled_from([0, -1, 9999, 10000])),
    noise=st.text(max_size=20),
)
def test_fuzz_notice(notice: str, seed: int, edits: int, year: int, noise: str) -> None:
    text = _mangle(notice, seed, edits) + noise
    _expect_notice_error_only(lambda: check_complete(parse_notice(text, year)))


_ROW = st.tuples(
    st.one_of(
        st.dates().map(str),
        st.sampled_from(["2026-02-30", "2026/01/01", "", "20260101", "2026-1-1"]),
    ),
    st.sampled_from(["holiday", "workday", "HOLIDAY", "", "x"]),
    st.sampled_from(["春节", "", "国庆节,中秋节", '"元旦"', "\x00"]),
).map(",".join)


@FUZZ
@given(
    rows=st.lists(_ROW, max_size=8),
    header=st.sampled_from(
        ["date,kind,name", "date,kind", "", "\ufeffdate,kind,name", "日期,类型,名称"]
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    mutation=MUTATION,
)
def test_fuzz_calendar_csv(
    rows: list[str], header: str, encoding: str, mutation: tuple[int, int]
) -> None:
    data = "\n".join([header, *rows]).encode(encoding, "replace")
    seed, flips = mutation
    _expect_notice_error_only(
        lambda: parse_calendar_csv(mutate(data, seed, flips) if flips > 3 else data)
    )
