"""Ledger list latency under concurrent users, against the Django admin's changelist.

Builds a city (240 街道 under one district) with N applications (default 10,000), then has
20 concurrent users each load the list page R times (first page and filtered pages, 50 rows,
with a total count), as a district supervisor who sees every unit. The baseline is the Django
admin changelist of the same model with the same page size, filters and search, loaded by a
superuser in the same run. Prints p50/p95 for both and the ratio. Best on PostgreSQL:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/list_bench.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.admin_settings"
from bench._db import setup_django, test_database

QUERIES = ["", "?status=received", "?category=business", "?q=YSQ-2026-00", "?page=3"]
ADMIN_QUERIES = [
    "",
    "?status__exact=received",
    "?applicant_category__exact=business",
    "?q=YSQ-2026-00",
    "?p=2",
]


def populate(n: int) -> None:
    from fazhi.core.tenancy.models import OrgUnit
    from fazhi.ledgers.disclosure.models import ApplicantCategory, Application, Outcome, Status

    district = OrgUnit.objects.create(code="CITY", name="基准区", kind="district")
    streets = [
        OrgUnit.objects.create(code=f"S{i:03d}", name=f"第{i}街道", kind="street", parent=district)
        for i in range(240)
    ]
    rng = random.Random(3)
    rows = []
    for i in range(n):
        received = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 320))
        replied = received + dt.timedelta(days=rng.randint(5, 30)) if rng.random() < 0.8 else None
        rows.append(
            Application(
                unit=streets[i % 240],
                number=f"YSQ-2026-{i:05d}",
                received_on=received,
                replied_on=replied,
                outcome=rng.choice(Outcome.values) if replied else "",
                status=Status.CLOSED if replied else Status.RECEIVED,
                applicant_category=rng.choice(ApplicantCategory.values),
                applicant_name="某申请人",
                content="某项目资料",
                due_on=None if replied else received + dt.timedelta(days=28),
                reply_due_on=received + dt.timedelta(days=28),
            )
        )
    Application.objects.bulk_create(rows, batch_size=2000)


def run(urls: list[str], username: str, users: int, rounds: int) -> list[float]:
    from django.db import connection
    from django.test import Client

    def one_user(_: int) -> list[float]:
        client = Client()
        assert client.login(username=username, password="bench-password")
        times = []
        for r in range(rounds):
            url = urls[r % len(urls)]
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        connection.close()
        return times

    with ThreadPoolExecutor(max_workers=users) as pool:
        return [t for chunk in pool.map(one_user, range(users)) for t in chunk]


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from fazhi.core.tenancy.actions import add_user
    from fazhi.core.tenancy.models import OrgUnit

    with test_database():
        populate(args.applications)
        add_user(
            username="supervisor",
            unit=OrgUnit.objects.get(code="CITY"),
            role="supervisor",
            password="bench-password",
            by=None,
            check_password=False,
        )
        get_user_model().objects.create_superuser("root", password="bench-password")
        ours = run(["/l/disclosure/" + q for q in QUERIES], "supervisor", args.users, args.rounds)
        admin = run(
            ["/admin/disclosure/application/" + q for q in ADMIN_QUERIES],
            "root",
            args.users,
            args.rounds,
        )
        print(
            f"engine: {connection.vendor}; applications: {args.applications} in 240 units; "
            f"{args.users} concurrent users × {args.rounds} requests (in-process client, 2 cores)"
        )
        for name, times in (
            ("fazhi ledger list (supervisor)", ours),
            ("Django admin changelist (baseline)", admin),
        ):
            print(
                f"{name:36} p50 {statistics.median(times) * 1000:7.1f} ms   p95 {p95(times) * 1000:7.1f} ms"
            )
        print(f"ratio p95 fazhi / admin: {p95(ours) / p95(admin):.2f}")


if __name__ == "__main__":
    main()
