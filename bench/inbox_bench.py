"""The supervisor's report inbox and the dashboard, served by gunicorn, against the Django admin.

Creates a district with N 街道 (--units, default 240); a quarter have sent last year's
政府信息公开 report, a quarter had it returned, a quarter accepted, a quarter nothing (one
frozen version, generated once, sent by each). Serves the app with gunicorn (--workers
processes, fazhi's gunicorn config) on loopback and loads, as the district's supervisor, the
inbox (/inbox/: every unit with its state and clock; by state, overdue, a unit search, page 2)
and the dashboard (/dashboard/), from 1 and from 20 concurrent clients (asyncio, one client
process). The baseline is the Django admin changelist of the submission table (50 a page, by
status), served the same way in the same run. Prints p50/p95 and the ratios; the issue's goal
is p95 < 150 ms at 20 clients.
DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/inbox_bench.py --units 240
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.admin_settings"
from bench._db import setup_django, test_database


def load(units: int) -> tuple[object, object, int]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bench import _hotline
    from fazhi.core.submissions import actions, freeze
    from fazhi.core.tenancy.models import OrgUnit

    top = OrgUnit.objects.create(code="D", name="基准区", kind="district")
    streets = [
        OrgUnit.objects.create(code=f"S{i:03d}", name=f"第{i}街道", kind="street", parent=top)
        for i in range(units)
    ]
    supervisor = _hotline.supervisor(top)
    root = get_user_model().objects.create_superuser("root", password="bench-password")
    year = timezone.localdate().year - 1
    frozen = freeze.generated(streets[0], "xxgk", year)
    for i, unit in enumerate(streets):
        if i % 4 == 3:
            continue
        sub = actions.submit(unit=unit, kind="xxgk", year=year, frozen=frozen, by=root)
        if i % 4 == 1:
            actions.return_(sub, by=supervisor, note="请核对表三数字")
        elif i % 4 == 2:
            actions.accept(sub, by=supervisor)
    return supervisor, root, year


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=240)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=10, help="requests per client")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from bench._serve import Latency, gunicorn, measure, session_cookie

    with test_database(shared=True):
        start = time.perf_counter()
        supervisor, root, year = load(args.units)
        loaded = time.perf_counter() - start
        base = f"/inbox/?kind=xxgk&year={year}"
        inbox = [
            base,
            f"{base}&state=submitted",
            f"{base}&due=overdue",
            f"{base}&q={quote('第1')}",
            f"{base}&page=2",
        ]
        dashboard = ["/dashboard/"]
        admin = [
            "/admin/submissions/submission/",
            "/admin/submissions/submission/?status__exact=submitted",
            "/admin/submissions/submission/?p=2",
        ]
        cookie, admin_cookie = session_cookie(supervisor), session_cookie(root)
        print(
            f"engine: {connection.vendor}; {args.units} 街道, {args.units - args.units // 4} "
            f"submissions (loaded in {loaded:.0f} s); gunicorn {args.workers} workers on "
            "loopback; asyncio clients"
        )
        pages = (
            ("fazhi inbox (supervisor)", inbox, cookie),
            ("fazhi dashboard (supervisor)", dashboard, cookie),
            ("Django admin changelist (baseline)", admin, admin_cookie),
        )
        results = {}
        with gunicorn(args.workers) as address:
            for _, paths, c in pages:
                measure(address, paths, c, args.workers, 2)  # warm every worker
            for clients in (1, 20):
                for name, paths, c in pages:
                    results[name, clients] = Latency.of(
                        measure(address, paths, c, clients, args.rounds)
                    )
                    print(f"{clients:2} clients  {name:36} {results[name, clients]}")
                b = results["Django admin changelist (baseline)", clients]
                for name in ("fazhi inbox (supervisor)", "fazhi dashboard (supervisor)"):
                    print(
                        f"{clients:2} clients  ratio p95 {name} / admin: {results[name, clients].p95 / b.p95:.2f}"
                    )
        for name in ("fazhi inbox (supervisor)", "fazhi dashboard (supervisor)"):
            goal = results[name, 20].p95 * 1000
            print(
                f"goal p95 < 150 ms at 20 clients, {name}: {goal:.0f} ms ({'met' if goal < 150 else 'not met'})"
            )


if __name__ == "__main__":
    main()
