"""Ledgers register a function that recomputes the cached due dates of their open records.

The calendar calls `recompute_open_deadlines()` after any change, so a newly loaded year moves
every in-flight deadline (Alaveteli #7292). Core never imports ledgers: they register here.
"""

from __future__ import annotations

from collections.abc import Callable

_recomputers: list[Callable[[], int]] = []


def register_recomputer(fn: Callable[[], int]) -> Callable[[], int]:
    if fn not in _recomputers:
        _recomputers.append(fn)
    return fn


def recompute_open_deadlines() -> int:
    return sum(fn() for fn in _recomputers)
