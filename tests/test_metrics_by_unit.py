"""core.metrics computes several figures, and a supervisor's comparison, in one pass per model;
each figure is the one evaluated on its own (the demo's data: every ledger, every registered
indicator, the joins and sums among them)."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from fazhi.core.metrics import (
    all_indicators,
    evaluate,
    evaluate_by_subtree,
    evaluate_by_unit,
    evaluate_many,
)

NOW = "2026-11-25 10:00 +0800"


def codes_by_model() -> dict[type, list[str]]:
    found: dict[type, list[str]] = defaultdict(list)
    for ind in all_indicators():
        found[ind.model].append(ind.code)
    return found


@pytest.mark.django_db
def test_one_pass_per_model_gives_each_units_own_figures() -> None:
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        by_model = codes_by_model()
        compared = 0
        for model, codes in by_model.items():
            qs = model._default_manager.all()
            for year in (2025, 2026):
                together = evaluate_by_unit(codes, qs, year)
                many = evaluate_many(codes, qs, year)
                assert list(many) == codes
                for code, got in many.items():
                    alone = evaluate(code, qs, year)
                    assert (got.value, got.numerator, got.denominator, got.q) == (
                        alone.value,
                        alone.numerator,
                        alone.denominator,
                        alone.q,
                    ), (code, year)
                units = set(qs.values_list("unit_id", flat=True))
                assert set(together) == units, model
                for unit, figures in together.items():
                    assert list(figures) == codes  # every code, in the order asked
                    for code in codes:
                        alone = evaluate(code, qs.filter(unit_id=unit), year)
                        got = figures[code]
                        assert (got.value, got.numerator, got.denominator) == (
                            alone.value,
                            alone.numerator,
                            alone.denominator,
                        ), (code, unit, year)
                        assert got.provisional_count == alone.provisional_count
                        compared += 1
        assert len(by_model) >= 4 and compared > 200
        assert any(f.value for row in together.values() for f in row.values())


@pytest.mark.django_db
def test_subtree_figures_are_each_subtree_evaluated_alone() -> None:
    """The streets of a district side by side: each street's figure over its own records and
    those below it equals the figure evaluated on that subtree alone, rates included (a rate
    of summed numerators and denominators, not an average of rates)."""
    from fazhi.core.tenancy.models import OrgUnit

    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        top = OrgUnit.objects.get(parent=None)
        roots = [top, *OrgUnit.objects.filter(parent=top)]
        by_model = codes_by_model()
        nonzero = 0
        for model, codes in by_model.items():
            qs = model._default_manager.all()
            for year in (2025, 2026):
                found = evaluate_by_subtree(codes, qs, year, roots)
                assert set(found) == {r.pk for r in roots}
                for root in roots:
                    below = qs.filter(unit__path__startswith=root.path)
                    for code in codes:
                        alone = evaluate(code, below, year)
                        got = found[root.pk][code]
                        assert (got.value, got.numerator, got.denominator) == (
                            alone.value,
                            alone.numerator,
                            alone.denominator,
                        ), (code, root.code, year)
                        assert got.provisional_count == alone.provisional_count
                        # its records are the subtree's: the same set as the one evaluated alone
                        assert set(got.records(qs).values_list("pk", flat=True)) == set(
                            alone.records(below).values_list("pk", flat=True)
                        )
                        nonzero += bool(got.value)
        assert nonzero > 20


def _rate(value: float, num: int, den: int) -> Any:
    from django.db.models import Q

    from fazhi.core.metrics import Figure
    from fazhi.core.tenancy.models import OrgUnit

    return Figure("x.rate", value, "定义", OrgUnit, Q(), Q(), num, den)


@pytest.mark.parametrize(
    ("num", "den", "shown"), [(0, 0, "—"), (0, 3, "0.0%"), (3, 3, "100.0%"), (1, 3, "33.3%")]
)
def test_a_rate_of_nothing_shows_a_dash(num: int, den: int, shown: str) -> None:
    value = round(100 * num / den, 1) if den else 0.0
    assert _rate(value, num, den).shown == shown


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # (name, value, denominator): a rate of nothing is listed last, unranked.
        ([("甲", 0.0, 0), ("乙", 50.0, 2), ("丙", 100.0, 1)], [(1, "丙"), (2, "乙"), (None, "甲")]),
        ([("甲", 0.0, 0), ("乙", 0.0, 0)], [(None, "甲"), (None, "乙")]),
        ([("甲", 0.0, 4), ("乙", None, 0)], [(1, "甲"), (None, "乙")]),
    ],
)
def test_ranked_leaves_out_units_without_a_figure(rows: list[Any], expected: list[Any]) -> None:
    from fazhi.core.metrics import ranked

    figures = {n: (None if v is None else _rate(v, int(v), d)) for n, v, d in rows}
    got = ranked([n for n, _, _ in rows], figures.get)
    assert got == expected
