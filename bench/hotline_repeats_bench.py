"""Repeated demands (重复诉求) grouped through blocking keys, against comparing every pair.

Two runs on a throwaway database:

1. --naive-orders N (default 20,000, the issue's scale for the baseline) orders over the 240
   街道 of a district: `repeats.group_repeats` (blocked: a self-join of each phone / address key
   within buckets of the window, then the Dice coefficient of the candidate pairs only) against
   `repeats.naive_repeats` (the same definition by every pair of orders). Asserts both find the
   same groups for every order, prints both times and the ratio.
2. --orders M (default 200,000; the issue's 2,000,000 with --orders 2000000): the blocked
   grouping alone, with the pairs it compared, the repeats it found, orders/s, the process's
   peak RSS, and what the naive method would take at M (its quadratic extrapolation from
   run 1, marked as such: at 2M orders it is not a thing anyone can run).

The orders come from bench/_hotline.py: random phones, 399 addresses per street, contents
templated by address and topic, so orders at one address within the window are candidates and
those of one topic alike. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python
bench/hotline_repeats_bench.py
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._db import setup_django, test_database


def roots_in_db() -> dict[int, int | None]:
    from fazhi.ledgers.hotline.models import WorkOrder

    return dict(WorkOrder.objects.values_list("pk", "repeat_of_id"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--naive-orders", type=int, default=20_000)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from bench import _hotline
    from fazhi.ledgers.hotline import repeats
    from fazhi.ledgers.hotline.models import WorkOrder

    print(
        f"engine: {connection.vendor}; window {repeats.days()} days, "
        f"similarity ≥ {repeats.threshold():.0%}"
    )
    with test_database():
        top, streets = _hotline.district()
        _hotline.load_orders(args.naive_orders, streets)
        n = args.naive_orders
        start = time.perf_counter()
        blocked = repeats.group_repeats(top)
        t_blocked = time.perf_counter() - start
        found = roots_in_db()
        orders = list(
            WorkOrder.objects.only(
                "unit_id", "called_at", "called_on", "phone_key", "address_key", "content"
            )
        )
        start = time.perf_counter()
        naive = repeats.naive_repeats(orders)
        t_naive = time.perf_counter() - start
        assert naive == found, "the blocked grouping and the naive one disagree"
        print(
            f"{n:>9} orders  blocked {t_blocked:8.2f} s ({blocked.pairs} pairs compared, "
            f"{blocked.repeats} repeats)   naive {t_naive:8.2f} s ({n * (n - 1) // 2} pairs)   "
            f"same groups: yes   ratio naive / blocked: {t_naive / t_blocked:.1f}"
        )
        with connection.cursor() as cur:  # the same district, a bigger year
            cur.execute(f"DELETE FROM {WorkOrder._meta.db_table}")
        start = time.perf_counter()
        _hotline.load_orders(args.orders, streets)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        big = repeats.group_repeats(top)
        t_big = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        m = args.orders
        extrapolated = t_naive * (m / n) ** 2
        print(
            f"{m:>9} orders  blocked {t_big:8.2f} s ({m / t_big:,.0f} orders/s; "
            f"{big.pairs} pairs compared, {big.repeats} repeats, of which writing "
            f"{big.changed} repeat_of {big.write_seconds:.1f} s; loaded in {loaded:.0f} s; "
            f"peak RSS of this process {peak:,.0f} MB)"
        )
        print(
            f"{m:>9} orders  naive, extrapolated from {n}: {extrapolated:,.0f} s "
            f"({extrapolated / 3600:,.1f} h) — ratio naive / blocked ≈ {extrapolated / t_big:,.0f}"
        )


if __name__ == "__main__":
    main()
