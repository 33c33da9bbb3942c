"""The figures a report quotes beside the figures fazhi's ledgers hold for that unit and year.

The reviewer extracts each quoted quantity with the words before it ("新收政府信息公开申请22件").
Each is matched to the registered indicator whose Chinese name is closest to those words
(character bigrams), a rate only to a rate; the ledger's figure comes from `core.metrics` over
the unit's own records. Different values are marked; a quote without a close indicator is shown
without one (the ledgers do not hold it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fazhi.core.metrics import Figure, all_indicators, evaluate, get_indicator
from fazhi.core.metrics.passages import FIELD, passages
from fazhi.core.tenancy.models import OrgUnit

MIN_SCORE = 0.5


@dataclass(frozen=True)
class Compared:
    line: int
    quoted: str  # "22件"
    label: str
    text: str
    indicator: str  # Chinese name, "" when none matched
    code: str
    ledger: str  # the ledger's figure, shown
    mismatch: bool


def _bigrams(s: str) -> set[str]:
    s = "".join(ch for ch in s if "\u4e00" <= ch <= "\u9fff")
    return {s[i : i + 2] for i in range(len(s) - 1)}


def _score(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


def _labels() -> list[tuple[str, Any]]:
    """What each indicator is called: its name, and the words the report's passages put
    before it ("开展矛盾纠纷排查{med.screenings}次" calls med.screenings 开展矛盾纠纷排查), so the
    figures fazhi wrote itself are found under the words it wrote them with."""
    found = [(ind.name, ind) for ind in all_indicators()]
    for passage in passages():
        start = 0
        for match in FIELD.finditer(passage.template):
            before = passage.template[start : match.start()]
            words = re.split(r"[，。；、：,;:]", before)[-1].strip()
            start = match.end()
            try:
                ind = get_indicator(match.group(1))
            except KeyError:  # {year}, {next_year}
                continue
            if words:
                found.append((words, ind))
    return found


def _candidates(label: str, is_rate: bool, labels: list[tuple[str, Any]]) -> list[Any]:
    """The indicators whose name (or passage words) is closest to `label`, all tied at the
    best score of at least MIN_SCORE; a rate only to a rate."""
    best: list[Any] = []
    best_score = MIN_SCORE
    for name, ind in labels:
        if ind.is_rate != is_rate:
            continue
        score = _score(label, name)
        if score > best_score:
            best, best_score = [ind], score
        elif score == best_score and ind not in best:
            best.append(ind)
    return best


def _value(figure: Figure) -> float:
    return float(figure.value)


def compare(unit: Any, year: int, quoted: list[dict[str, Any]]) -> list[Compared]:
    """Each quote beside the ledgers' figure for the unit's year: a unit with units below it
    reports for all of them (as its generated report does), so their records count too."""
    labels = _labels()
    below = OrgUnit.objects.filter(parent=unit).exists()
    cache: dict[str, Figure] = {}

    def figure_of(ind: Any) -> Figure:
        if ind.code not in cache:
            manager = ind.model._default_manager
            qs = (
                manager.filter(unit__path__startswith=unit.path)
                if below
                else manager.filter(unit=unit)
            )
            cache[ind.code] = evaluate(ind.code, qs, year)
        return cache[ind.code]

    rows = []
    for q in quoted:
        is_rate = q.get("unit") == "%"
        tolerance = 0.05 if is_rate else 0
        candidates = _candidates(q.get("label", ""), is_rate, labels)
        shown = f"{q['value']}{q.get('unit', '')}"
        if not candidates:
            rows.append(
                Compared(q["line"], shown, q.get("label", ""), q.get("text", ""), "", "", "", False)
            )
            continue
        # Of indicators named alike, the one whose figure the quote gives (办结率 and 按期办结率
        # both read "办结率"); failing that, the first.
        ind = next(
            (c for c in candidates if abs(_value(figure_of(c)) - float(q["value"])) <= tolerance),
            candidates[0],
        )
        figure = figure_of(ind)
        mismatch = abs(_value(figure) - float(q["value"])) > tolerance
        rows.append(
            Compared(
                q["line"],
                shown,
                q.get("label", ""),
                q.get("text", ""),
                ind.name,
                ind.code,
                figure.shown,
                mismatch,
            )
        )
    return rows
