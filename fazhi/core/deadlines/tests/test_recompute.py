"""The recompute registry: each ledger's function reports its own progress; the calendar's task
sees one running count and the sum of what moved."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fazhi.core.deadlines import recompute
from fazhi.core.deadlines.recompute import ProgressCallback, recompute_open_deadlines


def ledger(size: int, moved: int) -> recompute.Recomputer:
    def fn(*, progress: ProgressCallback | None = None) -> int:
        for done in range(1, size + 1):
            if progress:
                progress(done, size)
        return moved

    return fn


@pytest.fixture
def two_ledgers() -> Iterator[None]:
    # Only these two: the installed ledgers' functions would need the database.
    saved = list(recompute._recomputers)
    recompute._recomputers[:] = []
    recompute.register_recomputer(ledger(3, moved=1))
    recompute.register_recomputer(ledger(2, moved=2))
    yield
    recompute._recomputers[:] = saved


@pytest.mark.usefixtures("two_ledgers")
def test_progress_of_several_ledgers_is_one_running_count() -> None:
    seen: list[tuple[int, int]] = []
    assert recompute_open_deadlines(progress=lambda done, total: seen.append((done, total))) == 3
    assert seen == [(1, 3), (2, 3), (3, 3), (4, 5), (5, 5)]


@pytest.mark.usefixtures("two_ledgers")
def test_without_a_callback_it_only_counts_what_moved() -> None:
    assert recompute_open_deadlines() == 3


def test_a_function_is_registered_once() -> None:
    fn = ledger(1, moved=0)
    saved = list(recompute._recomputers)
    try:
        recompute.register_recomputer(fn)
        recompute.register_recomputer(fn)
        assert recompute._recomputers.count(fn) == 1
    finally:
        recompute._recomputers[:] = saved
