"""Indicators as predicates: every figure knows exactly which records it counts.

An indicator is registered with its Chinese definition and a predicate over one ledger's
records for a year (`Q`); a rate has a numerator predicate too, a subset of the denominator.
`evaluate` gives a `Figure` (value, definition, model + Q), so the same definition counts the
figure and lists its records, whatever the number of records (no id lists). Cross-ledger figures
meet here (DESIGN §4): reports and comparisons ask the registry, never another ledger.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from django.db import models
from django.db.models import Count, Q

from fazhi.core.tenancy.models import OrgUnit


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
    def computable(self) -> bool:
        """False for a rate with nothing in its denominator: it has no value (not 0%)."""
        return self.numerator_q is None or bool(self.denominator)

    @property
    def shown(self) -> str:
        if not self.computable:
            return NO_RATE
        return f"{self.value}%" if self.numerator_q is not None else str(self.value)


NO_RATE = "—"
T = TypeVar("T")


def ranked(rows: Sequence[T], figure: Callable[[T], Figure | None]) -> list[tuple[int | None, T]]:
    """Rows by their figure, highest first, numbered 1, 2, …; a row whose figure is missing or
    is a rate of nothing has no rank and comes after the ranked ones, in its given order."""
    scored = [(r, f) for r in rows for f in [figure(r)] if f is not None and f.computable]
    scored.sort(key=lambda pair: -pair[1].value)
    kept = {id(r) for r, _ in scored}
    numbered: list[tuple[int | None, T]] = [(n, r) for n, (r, _) in enumerate(scored, start=1)]
    return numbered + [(None, r) for r in rows if id(r) not in kept]


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


def _aggregates(ind: Indicator, year: int, *, distinct: bool = True) -> dict[str, Any]:
    found: dict[str, Any] = {
        "den": ind.value(year)
        if ind.value
        else Count("pk", filter=ind.count(year), distinct=distinct)
    }
    if ind.numerator_value is not None:
        found["num"] = ind.numerator_value(year)
    elif ind.numerator is not None:
        found["num"] = Count("pk", filter=ind.count(year) & ind.numerator(year))
    if ind.provisional is not None:
        found["prov"] = Count("pk", filter=ind.count(year) & ind.provisional(year))
    return found


_JOINS: dict[tuple[Indicator, int], bool] = {}


def _joins(ind: Indicator, year: int) -> bool:
    """Whether the indicator's records are found through a join (which may repeat a record,
    so its count must be DISTINCT and it cannot share a pass with the others). Known once per
    indicator and year (compiling the query to find out cost a report more than its queries)."""
    key = (ind, year)
    if key not in _JOINS:
        q = ind.count(year) & (ind.numerator(year) if ind.numerator else Q())
        if ind.provisional is not None:
            q &= ind.provisional(year)
        _JOINS[key] = " JOIN " in str(ind.model._default_manager.filter(q).query)
    return _JOINS[key]


Predicates = tuple[Q, Q | None]  # an indicator's records for a year, and its numerator's


def _predicates(ind: Indicator, year: int) -> Predicates:
    count = ind.count(year)
    return count, (None if ind.numerator is None else count & ind.numerator(year))


def _figure(
    ind: Indicator, year: int, row: dict[str, Any], predicates: Predicates | None = None
) -> Figure:
    """The figure of one result row. `predicates` are the indicator's `_predicates` when the
    caller makes many figures of it (a row per unit): building them is costlier than the row."""
    count_q, numerator_q = predicates or _predicates(ind, year)
    den = row["den"] or 0
    prov = int(row.get("prov") or 0)
    if ind.numerator is None:
        return Figure(
            ind.code,
            den,
            ind.definition,
            ind.model,
            count_q,
            provisional=bool(prov),
            provisional_count=prov,
        )
    num = row["num"] or 0
    rate = round(100 * num / den, 1) if den else 0.0
    definition = (
        f"{ind.definition}：{num} ÷ {den} × 100%"
        if den
        else f"{ind.definition}：没有计入分母的记录，不计算比率"
    )
    return Figure(
        ind.code, rate, definition, ind.model, count_q, numerator_q, num, den, bool(prov), prov
    )


def evaluate(code: str, qs: models.QuerySet[Any], year: int) -> Figure:
    """The figure over `qs` (already through the door and narrowed to a unit) for `year`."""
    ind = get_indicator(code)
    row = qs.order_by().aggregate(**_aggregates(ind, year))
    return _figure(ind, year, row)


def _one(ind: Indicator, year: int) -> Callable[[dict[str, Any]], dict[str, Figure]]:
    predicates = _predicates(ind, year)
    return lambda row: {ind.code: _figure(ind, year, row, predicates)}


def _passes(codes: Sequence[str], model: Any, year: int) -> list[tuple[dict[str, Any], Any]]:
    """The aggregates to compute `codes` over `model`'s records, as passes: the indicators on
    the model's own columns share one (each figure a FILTERed count of it); one found through
    a join or a Sum keeps its own (a join may repeat a record, so its count stays DISTINCT).
    Each pass: its aggregates, and a function from a result row to {code: Figure}."""
    shared: dict[str, Indicator] = {}
    passes: list[tuple[dict[str, Any], Any]] = []
    for code in codes:
        ind = get_indicator(code)
        own_columns = ind.value is None and ind.numerator_value is None
        if own_columns and ind.model is model and not _joins(ind, year):
            shared[code] = ind
        else:
            passes.append((_aggregates(ind, year), _one(ind, year)))
    if shared:
        names = {code: f"f{i}_" for i, code in enumerate(shared)}
        predicates = {code: _predicates(ind, year) for code, ind in shared.items()}

        def figures(row: dict[str, Any]) -> dict[str, Figure]:
            found = {}
            for code, ind in shared.items():
                p = names[code]
                found[code] = _figure(
                    ind,
                    year,
                    {k[len(p) :]: v for k, v in row.items() if k.startswith(p)},
                    predicates[code],
                )
            return found

        aggregates = {
            names[code] + key: agg
            for code, ind in shared.items()
            for key, agg in _aggregates(ind, year, distinct=False).items()
        }
        passes.insert(0, (aggregates, figures))
    return passes


def evaluate_many(codes: Sequence[str], qs: models.QuerySet[Any], year: int) -> dict[str, Figure]:
    """Several figures over `qs` for `year`, reading the model once for those on its columns."""
    found: dict[str, Figure] = {}
    for aggregates, figures in _passes(codes, qs.model, year):
        found.update(figures(qs.order_by().aggregate(**aggregates)))
    return {c: found[c] for c in codes}


def evaluate_by_unit(
    codes: Sequence[str], qs: models.QuerySet[Any], year: int
) -> dict[int, dict[str, Figure]]:
    """Each figure per unit (the supervisor's comparison), one GROUP BY pass for the
    indicators on the model's own columns (a city's year read once, not once per figure)."""
    found: dict[int, dict[str, Figure]] = {}
    for aggregates, figures in _passes(codes, qs.model, year):
        for row in qs.order_by().values("unit").annotate(**aggregates):
            found.setdefault(row["unit"], {}).update(figures(row))
    return {unit: {c: row[c] for c in codes if c in row} for unit, row in found.items()}


def _combine(
    ind: Indicator, year: int, parts: Sequence[Figure], q: Q, predicates: Predicates | None = None
) -> Figure:
    """One figure of several units' figures: counts and sums add up; a rate is recomputed
    from the summed numerators and denominators (an average of rates is not a rate)."""
    if ind.numerator is None:
        row = {"den": sum(f.value for f in parts)}
    else:
        row = {"den": sum(f.denominator or 0 for f in parts)}
        row["num"] = sum(f.numerator or 0 for f in parts)
    row["prov"] = sum(f.provisional_count for f in parts)
    figure = _figure(ind, year, row, predicates)
    numerator_q = None if figure.numerator_q is None else figure.numerator_q & q
    return replace(figure, q=figure.q & q, numerator_q=numerator_q)


def evaluate_by_subtree(
    codes: Sequence[str], qs: models.QuerySet[Any], year: int, roots: Sequence[Any]
) -> dict[int, dict[str, Figure]]:
    """Each figure for each of `roots` (OrgUnits) over its records and those of the units
    below it: the streets of a district side by side, each a sum of its own subtree."""
    return roll_up(codes, evaluate_by_unit(codes, qs, year), year, roots)


def roll_up(
    codes: Sequence[str], per_unit: dict[int, dict[str, Figure]], year: int, roots: Sequence[Any]
) -> dict[int, dict[str, Figure]]:
    """`evaluate_by_unit`'s figures summed by the units' paths under each of `roots`; each
    figure's records are its subtree's (`Figure.q` carries `unit__path__startswith`)."""
    paths = dict(OrgUnit.objects.filter(pk__in=list(per_unit)).values_list("pk", "path"))
    indicators = {code: get_indicator(code) for code in codes}
    predicates = {code: _predicates(ind, year) for code, ind in indicators.items()}
    found: dict[int, dict[str, Figure]] = {}
    for root in roots:
        inside = [u for u, path in paths.items() if path.startswith(root.path)]
        where = Q(unit__path__startswith=root.path)
        found[root.pk] = {
            code: _combine(
                indicators[code],
                year,
                [per_unit[u][code] for u in inside if code in per_unit[u]],
                where,
                predicates[code],
            )
            for code in codes
        }
    return found


__all__ = [
    "Figure",
    "Indicator",
    "all_indicators",
    "evaluate",
    "evaluate_by_subtree",
    "evaluate_by_unit",
    "evaluate_many",
    "get_indicator",
    "register",
    "roll_up",
]
