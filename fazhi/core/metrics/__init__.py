"""Indicators as predicates: every figure knows exactly which records it counts.

An indicator is registered with its Chinese definition and a predicate over one ledger's
records for a year (`Q`); a rate has a numerator predicate too, a subset of the denominator.
`evaluate` gives a `Figure` (value, definition, model + Q), so the same definition counts the
figure and lists its records, whatever the number of records (no id lists). Cross-ledger figures
meet here (DESIGN §4): reports and comparisons ask the registry, never another ledger.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Q


@dataclass(frozen=True)
class Indicator:
    code: str  # dotted, e.g. "xxgk.on_time_rate"
    name: str  # Chinese, e.g. "依申请公开按时答复率"
    definition: str  # what is counted (for a rate: numerator ÷ denominator)
    model: type[models.Model]
    count: Callable[[int], Q]  # year -> the records counted (a rate's denominator)
    numerator: Callable[[int], Q] | None = None  # a rate: the records of `count` also in this
    provisional: Callable[[int], Q] | None = None  # records whose figure rests on an unloaded year
    # A value other than the count of `count`'s records (e.g. Sum of visitors), over the same
    # records; `count` may then reach through a relation (the list shows each record once).
    value: Callable[[int], Any] | None = None
    # A rate of sums rather than of records (people who sat an exam ÷ people who should have):
    # the numerator's aggregate over the same records, with `value` as the denominator's.
    numerator_value: Callable[[int], Any] | None = None

    @property
    def is_rate(self) -> bool:
        return self.numerator is not None


@dataclass(frozen=True)
class Figure:
    code: str
    value: int | float
    definition: str
    model: type[models.Model]
    q: Q  # the records counted (for a rate: the denominator's)
    numerator_q: Q | None = None
    numerator: int | None = None
    denominator: int | None = None
    provisional: bool = False
    provisional_count: int = 0  # records counted whose figure rests on an unloaded year

    def __int__(self) -> int:
        return int(self.value)

    def records(self, qs: models.QuerySet[Any] | None = None) -> models.QuerySet[Any]:
        base = qs if qs is not None else self.model._default_manager.all()
        return base.filter(self.q).distinct()

    @property
    def shown(self) -> str:
        return f"{self.value}%" if self.numerator_q is not None else str(self.value)


_REGISTRY: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    for ind in indicators:
        existing = _REGISTRY.get(ind.code)
        if existing is not None and existing != ind:
            raise ValueError(f"indicator {ind.code} registered twice")
        _REGISTRY[ind.code] = ind


def get_indicator(code: str) -> Indicator:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise KeyError(f"未知指标「{code}」") from None


def all_indicators() -> list[Indicator]:
    return [_REGISTRY[c] for c in sorted(_REGISTRY)]


def _aggregates(ind: Indicator, year: int) -> dict[str, Any]:
    found: dict[str, Any] = {
        "den": ind.value(year) if ind.value else Count("pk", filter=ind.count(year), distinct=True)
    }
    if ind.numerator_value is not None:
        found["num"] = ind.numerator_value(year)
    elif ind.numerator is not None:
        found["num"] = Count("pk", filter=ind.count(year) & ind.numerator(year))
    if ind.provisional is not None:
        found["prov"] = Count("pk", filter=ind.count(year) & ind.provisional(year))
    return found


def _figure(ind: Indicator, year: int, row: dict[str, int]) -> Figure:
    den = row["den"] or 0
    prov = int(row.get("prov") or 0)
    if ind.numerator is None:
        return Figure(
            ind.code,
            den,
            ind.definition,
            ind.model,
            ind.count(year),
            provisional=bool(prov),
            provisional_count=prov,
        )
    num = row["num"] or 0
    rate = round(100 * num / den, 1) if den else 0.0
    definition = f"{ind.definition}：{num} ÷ {den} × 100%"
    return Figure(
        ind.code,
        rate,
        definition,
        ind.model,
        ind.count(year),
        ind.count(year) & ind.numerator(year),
        num,
        den,
        bool(prov),
        prov,
    )


def evaluate(code: str, qs: models.QuerySet[Any], year: int) -> Figure:
    """The figure over `qs` (already through the door and narrowed to a unit) for `year`."""
    ind = get_indicator(code)
    row = qs.order_by().aggregate(**_aggregates(ind, year))
    return _figure(ind, year, row)


def evaluate_by_unit(
    codes: Sequence[str], qs: models.QuerySet[Any], year: int
) -> dict[int, dict[str, Figure]]:
    """Each figure per unit, one GROUP BY per indicator (the supervisor's comparison)."""
    found: dict[int, dict[str, Figure]] = {}
    for code in codes:
        ind = get_indicator(code)
        for row in qs.order_by().values("unit").annotate(**_aggregates(ind, year)):
            found.setdefault(row["unit"], {})[code] = _figure(ind, year, row)
    return found


__all__ = [
    "Figure",
    "Indicator",
    "all_indicators",
    "evaluate",
    "evaluate_by_unit",
    "get_indicator",
    "register",
]
