"""Indicators: registered functions `(unit, period) -> Figure`, where a Figure carries its records.

Cross-ledger figures meet here (DESIGN §4): a ledger registers its indicators at start-up, and
reports and the supervisor's comparisons ask the registry, never another ledger directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Figure:
    value: int | float
    definition: str  # Chinese: what is counted, e.g. "本年新收申请数：收到日期在本年内的申请"
    record_ids: Sequence[int] = field(default=())
    link: str = ""  # URL of the list of the records behind the figure
    provisional: bool = False  # rests on a calendar year not yet loaded

    def __int__(self) -> int:
        return int(self.value)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    compute: Callable[[Any, int], Figure]  # (OrgUnit, year) -> Figure


_REGISTRY: dict[str, Indicator] = {}


def indicator(
    code: str, name: str
) -> Callable[[Callable[[Any, int], Figure]], Callable[[Any, int], Figure]]:
    def decorate(fn: Callable[[Any, int], Figure]) -> Callable[[Any, int], Figure]:
        _REGISTRY[code] = Indicator(code, name, fn)
        return fn

    return decorate


def get_indicator(code: str) -> Indicator:
    return _REGISTRY[code]


def all_indicators() -> list[Indicator]:
    return [_REGISTRY[c] for c in sorted(_REGISTRY)]
