"""The figures a report quotes beside the figures fazhi's ledgers hold for that unit and year.

The reviewer extracts each quoted quantity with the words before it ("新收政府信息公开申请22件").
Each is matched to the registered indicator whose Chinese name is closest to those words
(character bigrams), a rate only to a rate; the ledger's figure comes from `core.metrics` over
the unit's own records. Different values are marked; a quote without a close indicator is shown
without one (the ledgers do not hold it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fazhi.core.metrics import Figure, all_indicators, evaluate

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


def _best(label: str, is_rate: bool, indicators: list[Any]) -> Any | None:
    best, best_score = None, MIN_SCORE
    for ind in indicators:
        if ind.is_rate != is_rate:
            continue
        score = _score(label, ind.name)
        if score > best_score or (score == best_score and best is None):
            best, best_score = ind, score
    return best if best_score >= MIN_SCORE else None


def _value(figure: Figure) -> float:
    return float(figure.value)


def compare(unit: Any, year: int, quoted: list[dict[str, Any]]) -> list[Compared]:
    indicators = all_indicators()
    cache: dict[str, Figure] = {}
    rows = []
    for q in quoted:
        is_rate = q.get("unit") == "%"
        ind = _best(q.get("label", ""), is_rate, indicators)
        shown = f"{q['value']}{q.get('unit', '')}"
        if ind is None:
            rows.append(
                Compared(q["line"], shown, q.get("label", ""), q.get("text", ""), "", "", "", False)
            )
            continue
        if ind.code not in cache:
            qs = ind.model._default_manager.filter(unit=unit)
            cache[ind.code] = evaluate(ind.code, qs, year)
        figure = cache[ind.code]
        mismatch = abs(_value(figure) - float(q["value"])) > (0.05 if is_rate else 0)
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
