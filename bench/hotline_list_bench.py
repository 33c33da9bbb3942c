"""The 12345 list for a district supervisor, served by gunicorn, against the Django admin.

Loads M work orders (default 200,000; the issue's 2,000,000 with --orders 2000000) over the
240 街道 of a district with COPY, serves the app with gunicorn (--workers processes, fazhi's
gunicorn config) on loopback, and loads the hotline list (/l/hotline/: 50 rows and the total
count; first page, by status, by category, a search by number, page 3) as the district's
supervisor, who sees all 241 units, from 1 and from 20 concurrent clients (asyncio, one client
process). The baseline is the Django admin changelist of the same table with the same page size,
filters and search, served the same way in the same run. Prints p50/p95 and the ratio; the
issue's goal is p95 < 150 ms at 20 clients. Best on PostgreSQL:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/hotline_list_bench.py
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.admin_settings"
from bench._db import setup_django, test_database

QUERIES = ["", "?status=handling", "?category=complaint", "?q=GD20250001", "?page=3"]
ADMIN_QUERIES = [
    "",
    "?status__exact=handling",
    "?category__exact=complaint",
    "?q=GD20250001",
    "?p=2",
]


def explain(user: object) -> None:
    """EXPLAIN ANALYZE of the list's two queries, first page: the rows and the count, capped
    at FAZHI_LIST_COUNT_CAP as the list counts."""
    from django.conf import settings
    from django.db import connection

    from fazhi.ledgers.hotline.models import WorkOrder

    qs = WorkOrder.objects.visible_to(user).select_related("unit")
    capped = qs.order_by().values("pk")[: settings.FAZHI_LIST_COUNT_CAP + 1]
    for label, sql, params in (
        ("page", *qs[:50].query.sql_with_params()),
        ("count", *capped.query.sql_with_params()),
    ):
        if label == "count":
            sql = f"SELECT count(*) FROM ({sql}) t"
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS off) " + sql, params)
            print(f"-- EXPLAIN ANALYZE ({label})")
            for (line,) in cur.fetchall():
                print("   ", line)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=10, help="requests per client")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the list's queries")
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench import _hotline
    from bench._serve import Latency, gunicorn, measure, session_cookie

    with test_database(shared=True):
        top, streets = _hotline.district()
        start = time.perf_counter()
        _hotline.load_orders(args.orders, streets)
        loaded = time.perf_counter() - start
        supervisor = _hotline.supervisor(top)
        root = get_user_model().objects.create_superuser("root", password="bench-password")
        if args.explain and connection.vendor == "postgresql":
            explain(supervisor)
        ours_cookie, admin_cookie = session_cookie(supervisor), session_cookie(root)
        ours = ["/l/hotline/" + q for q in QUERIES]
        admin = ["/admin/hotline/workorder/" + q for q in ADMIN_QUERIES]
        print(
            f"engine: {connection.vendor}; orders: {args.orders} in 240 units (loaded in "
            f"{loaded:.0f} s); gunicorn {args.workers} workers on loopback; asyncio clients"
        )
        results = {}
        with gunicorn(args.workers) as address:
            for paths, cookie in ((ours, ours_cookie), (admin, admin_cookie)):
                measure(address, paths, cookie, args.workers, 2)  # warm every worker
            for clients in (1, 20):
                for name, paths, cookie in (
                    ("fazhi hotline list (supervisor)", ours, ours_cookie),
                    ("Django admin changelist (baseline)", admin, admin_cookie),
                ):
                    times = measure(address, paths, cookie, clients, args.rounds)
                    results[name, clients] = Latency.of(times)
                    print(f"{clients:2} clients  {name:36} {results[name, clients]}")
                    if clients == 1:  # which page costs what, one request at a time
                        for path in paths:
                            alone = Latency.of(measure(address, [path], cookie, 1, 5))
                            print(f"             {path:44} {alone}")
                a = results["fazhi hotline list (supervisor)", clients]
                b = results["Django admin changelist (baseline)", clients]
                print(f"{clients:2} clients  ratio p95 fazhi / admin: {a.p95 / b.p95:.2f}")
        goal = results["fazhi hotline list (supervisor)", 20].p95 * 1000
        print(
            f"goal p95 < 150 ms at 20 clients: {goal:.0f} ms ({'met' if goal < 150 else 'not met'})"
        )


if __name__ == "__main__":
    main()
