"""Audit page latency on a city's year of events, against the Django admin's changelist.

Builds a city (240 街道 under one district) with N audit events (default 300,000) spread over a
year, and loads the audit page as the district supervisor (who sees every unit) and as one
街道's leader: unfiltered, by unit, by event code, by actor (one whose only events are a year
old: the worst case for an index on time), by a week, by one record. The baseline is the Django
admin changelist of the same table with the same page size and the same filter as query
parameters, loaded by a superuser in the same run (no tenant door, a full count). Prints
p50/p95 per query and the ratio where the admin has the same query. Best on PostgreSQL:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/audit_bench.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.admin_settings"
from bench._db import setup_django, test_database

CODES = [
    "disclosure.application.registered",
    "disclosure.application.replied",
    "disclosure.application.extended",
    "disclosure.application.imported",
    "petitions.petition.registered",
    "petitions.petition.accepted",
    "petitions.petition.opinion",
    "attachments.file.added",
    "reports.xxgk.texts_saved",
    "tenancy.membership.added",
]
STREETS = 240


def populate(n: int) -> dict[str, int]:
    """N events in SQL (the ORM would stamp them all with now()); returns ids the queries use."""
    from django.db import connection

    from fazhi.core.tenancy.actions import add_user
    from fazhi.core.tenancy.models import OrgUnit

    city = OrgUnit.objects.create(code="CITY", name="基准区", kind="district")
    streets = [
        OrgUnit.objects.create(code=f"S{i:03d}", name=f"第{i}街道", kind="street", parent=city)
        for i in range(STREETS)
    ]

    def user(name: str, unit: OrgUnit, role: str) -> int:
        u = add_user(
            username=name,
            unit=unit,
            role=role,
            password="bench-password",
            by=None,
            check_password=False,
        )
        return int(u.pk)

    user("supervisor", city, "supervisor")
    user("leader", streets[7], "leader")
    clerks = [user(f"c{i:03d}", s, "clerk") for i, s in enumerate(streets)]
    rare = user("rare", streets[7], "clerk")
    codes = ", ".join(f"'{c}'" for c in CODES)
    if connection.vendor == "postgresql":
        sql = f"""
            INSERT INTO audit_auditevent
                (at, code, actor_id, actor, unit_code, object_type, object_id, data)
            SELECT TIMESTAMPTZ '2026-01-01 08:00+08' + (g * (365.0 * 86400 / %(n)s)) * INTERVAL '1 second',
                   (ARRAY[{codes}])[1 + g %% {len(CODES)}],
                   %(first)s + g %% {STREETS}, 'c' || lpad((g %% {STREETS})::text, 3, '0'),
                   'S' || lpad((g %% {STREETS})::text, 3, '0'),
                   'disclosure.application', (g / 5)::text, '{{"status": "handling"}}'::jsonb
            FROM generate_series(0, %(last)s) AS g
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, {"n": n, "first": clerks[0], "last": n - 1})
    else:
        import datetime as dt

        start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        step = 365 * 86400 / n
        rows = (
            (
                (start + dt.timedelta(seconds=g * step)).isoformat(),
                CODES[g % len(CODES)],
                clerks[g % STREETS],
                f"c{g % STREETS:03d}",
                f"S{g % STREETS:03d}",
                "disclosure.application",
                str(g // 5),
                '{"status": "handling"}',
            )
            for g in range(n)
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO audit_auditevent (at, code, actor_id, actor, unit_code, "
                "object_type, object_id, data) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
    with connection.cursor() as cursor:  # the rare actor's three events, a year old
        for day in (2, 3, 4):
            cursor.execute(
                "INSERT INTO audit_auditevent (at, code, actor_id, actor, unit_code, "
                "object_type, object_id, data) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [f"2026-01-0{day} 09:00:00+08:00", CODES[0], rare, "rare", "S007", "x", "1", "{}"],
            )
        # Planner statistics, as PostgreSQL's autovacuum keeps them. SQLite keeps none unless
        # asked: without them its planner sorts the whole table for the unfiltered page.
        cursor.execute(
            "ANALYZE audit_auditevent" if connection.vendor == "postgresql" else "ANALYZE"
        )
    return {"rare": rare, "record": 1234}


def timed(username: str, urls: list[str], rounds: int) -> dict[str, list[float]]:
    from django.test import Client

    client = Client()
    assert client.login(username=username, password="bench-password")
    times: dict[str, list[float]] = {u: [] for u in urls}
    for url in urls:  # warm: templates compiled, the user's access resolved once
        client.get(url)
    for _ in range(rounds):
        for url in urls:
            start = time.perf_counter()
            response = client.get(url)
            times[url].append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection

    with test_database("fazhi_bench_audit"):
        ids = populate(args.events)
        get_user_model().objects.create_superuser("root", password="bench-password")
        record = ids["record"]
        # (label, who, our query, the admin's query or None)
        cases = [
            ("unfiltered, supervisor", "supervisor", "", ""),
            ("one 街道, its leader", "leader", "", "unit_code=S007"),
            ("one 街道, supervisor", "supervisor", "unit=S007", "unit_code=S007"),
            ("one event code", "supervisor", f"code={CODES[2]}", f"code={CODES[2]}"),
            ("a rare actor", "supervisor", "actor=rare", f"actor_id={ids['rare']}"),
            (
                "one week",
                "supervisor",
                "start=2026-06-01&end=2026-06-07",
                "at__gte=2026-06-01&at__lt=2026-06-08",
            ),
            (
                "one record",
                "supervisor",
                f"object_type=disclosure.application&object_id={record}",
                f"object_type=disclosure.application&object_id={record}",
            ),
        ]
        print(
            f"engine: {connection.vendor}; events: {args.events} in {STREETS} units; "
            f"{args.rounds} rounds, one user at a time (in-process client)"
        )
        print(
            f"{'query':28} {'fazhi p50':>10} {'p95':>8} {'admin p50':>10} {'p95':>8} {'ratio':>6}"
        )
        for label, who, ours, theirs in cases:
            t = timed(who, [f"/audit/?{ours}"], args.rounds)[f"/audit/?{ours}"]
            line = f"{label:28} {statistics.median(t) * 1000:8.1f}ms {p95(t) * 1000:6.1f}ms"
            url = f"/admin/audit/auditevent/?{theirs}"
            a = timed("root", [url], args.rounds)[url]
            line += f" {statistics.median(a) * 1000:8.1f}ms {p95(a) * 1000:6.1f}ms"
            line += f" {p95(t) / p95(a):6.2f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
