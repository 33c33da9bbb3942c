"""The hotline's indicators and the units' ranking, through core.metrics, against one SQL pass.

Loads M work orders (default 200,000; the issue's 2,000,000 with --orders 2000000) over the
240 街道 of a district with COPY, then computes the six summary figures for every unit and ranks
the units by 按时办结率, as the ranking page does (`evaluate_by_unit` over the supervisor's
door: one GROUP BY per indicator), against one hand-written SQL pass (every figure as a
`count(*) FILTER` of one GROUP BY). Asserts both give the same figures for every unit, prints
the best of --repeat runs and the ratio, and times the ranking page itself (in-process client).
DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/hotline_indicators_bench.py
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._db import best_of, setup_django, test_database

YEAR = 2025


def by_metrics(user: Any) -> dict[int, dict[str, tuple[int, int]]]:
    """(numerator, denominator) per unit and code, and the ranking order, as the ranking page."""
    from fazhi.core.metrics import evaluate_by_unit
    from fazhi.ledgers.hotline.indicators import SUMMARY
    from fazhi.ledgers.hotline.models import WorkOrder

    figures = evaluate_by_unit(SUMMARY, WorkOrder.objects.visible_to(user), YEAR)
    found = {
        uid: {
            c: (f.numerator if f.numerator is not None else int(f.value), f.denominator or 0)
            for c, f in row.items()
        }
        for uid, row in figures.items()
    }
    ranked = sorted(figures, key=lambda uid: -figures[uid]["hotline.on_time_rate"].value)
    return {uid: found[uid] for uid in ranked}


def by_sql(unit_ids: list[int]) -> dict[int, dict[str, tuple[int, int]]]:
    """The same figures in one pass over the table (definitions of indicators.py, by hand)."""
    from django.db import connection

    from fazhi.ledgers.hotline.indicators import done_field, satisfied_codes
    from fazhi.ledgers.hotline.models import WorkOrder

    done = done_field()
    year = f"called_on BETWEEN '{YEAR}-01-01' AND '{YEAR}-12-31'"
    handled = f"{year} AND dispatched_at IS NOT NULL AND {done} IS NOT NULL"
    visited = f"{year} AND visit_result NOT IN ('', 'none')"
    satisfied = ", ".join(f"'{c}'" for c in satisfied_codes())
    sql = f"""
        SELECT unit_id,
            count(*) FILTER (WHERE {year}),
            count(*) FILTER (WHERE {handled}),
            count(*) FILTER (WHERE {handled} AND time_limit IS NOT NULL AND {done} <= time_limit),
            count(*) FILTER (WHERE {year} AND closed_at IS NOT NULL),
            count(*) FILTER (WHERE {visited}),
            count(*) FILTER (WHERE {visited} AND visit_result IN ({satisfied})),
            count(*) FILTER (WHERE {year} AND dispatched_at IS NOT NULL),
            count(*) FILTER (WHERE {year} AND dispatched_at IS NOT NULL AND returns > 0),
            count(*) FILTER (WHERE {year} AND repeat_of_id IS NOT NULL)
        FROM {WorkOrder._meta.db_table}
        WHERE voided_at IS NULL AND unit_id IN ({", ".join(str(u) for u in unit_ids)})
        GROUP BY unit_id
    """
    with connection.cursor() as cur:
        cur.execute(sql)
        rows = cur.fetchall()
    found = {}
    for uid, orders, handled_n, on_time, closed, visited_n, sat, dispatched, returned, rep in rows:
        found[uid] = {
            "hotline.orders": (orders, 0),
            "hotline.on_time_rate": (on_time, handled_n),
            "hotline.closed_rate": (closed, orders),
            "hotline.satisfied_rate": (sat, visited_n),
            "hotline.return_rate": (returned, dispatched),
            "hotline.repeat_rate": (rep, orders),
        }

    def rate(uid: int) -> float:
        num, den = found[uid]["hotline.on_time_rate"]
        return -(round(100 * num / den, 1) if den else 0.0)

    return {uid: found[uid] for uid in sorted(found, key=rate)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client

    from bench import _hotline
    from fazhi.core.tenancy.access import access_for

    with test_database():
        top, streets = _hotline.district()
        start = time.perf_counter()
        _hotline.load_orders(args.orders, streets)
        loaded = time.perf_counter() - start
        supervisor = _hotline.supervisor(top)
        ids = sorted(access_for(supervisor).unit_ids)
        ours, theirs = by_metrics(supervisor), by_sql(ids)
        assert len(ours) == len(streets), len(ours)
        assert ours == theirs, "core.metrics and the SQL pass disagree"
        assert list(ours) == list(theirs), "the rankings differ"
        t_ours = best_of(lambda: by_metrics(supervisor), args.repeat)
        t_sql = best_of(lambda: by_sql(ids), args.repeat)
        client = Client()
        client.force_login(supervisor)

        def page() -> None:
            response = client.get(f"/hotline/ranking/?year={YEAR}")
            assert response.status_code == 200, response.status_code

        t_page = best_of(page, args.repeat)
        print(
            f"engine: {connection.vendor}; orders: {args.orders} in 240 units (loaded in "
            f"{loaded:.0f} s); figures equal for all {len(ours)} units, same ranking"
        )
        print(f"core.metrics, 6 indicators × 240 units, ranked: {t_ours * 1000:8.1f} ms")
        print(f"one hand-written SQL pass (baseline):          {t_sql * 1000:8.1f} ms")
        print(f"ratio core.metrics / SQL: {t_ours / t_sql:.2f}")
        print(f"the ranking page (/hotline/ranking/, in-process): {t_page * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
