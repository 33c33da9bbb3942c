"""Ledgers register a function that recomputes the cached due dates of their open records.

The calendar schedules `recompute_open_deadlines()` as a background task after any change, so a
newly loaded year moves every in-flight deadline (Alaveteli #7292). Core never imports ledgers:
they register here.

A registered function takes an optional keyword `progress(done, total)` callback, calls it as it
goes, and returns the number of records whose due date moved. Recomputing is idempotent: running
it twice, or again after a crash half-way, leaves the same due dates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

ProgressCallback = Callable[[int, int], None]


class Recomputer(Protocol):
    def __call__(self, *, progress: ProgressCallback | None = None) -> int: ...


_recomputers: list[Recomputer] = []


def register_recomputer(fn: Recomputer) -> Recomputer:
    if fn not in _recomputers:
        _recomputers.append(fn)
    return fn


class _Offset:
    """Shows the registered functions as one count: each adds its own to what went before, so
    the total grows as each ledger starts and tells its size."""

    def __init__(self, progress: ProgressCallback) -> None:
        self.progress = progress
        self.base_done = self.base_total = 0
        self.done = self.total = 0

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self.progress(self.base_done + done, self.base_total + total)

    def next(self) -> None:
        self.base_done += self.done
        self.base_total += max(self.total, self.done)
        self.done = self.total = 0


def recompute_open_deadlines(*, progress: ProgressCallback | None = None) -> int:
    if progress is None:
        return sum(fn() for fn in _recomputers)
    offset = _Offset(progress)
    moved = 0
    for fn in _recomputers:
        moved += fn(progress=offset)
        offset.next()
    return moved
