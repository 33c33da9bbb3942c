"""How fast is a unit's 政府信息公开 annual report at city scale?

Builds a ledger of N applications for one unit (default 10,000 = a city's year), then times:
- table 三 through the ORM (one GROUP BY with filtered counts, what the product uses) against a
  hand-written SQL GROUP BY baseline computing the same cells;
- the whole report (tables + narrative) and its .docx rendering.
Prints the ratio ORM / hand-written SQL. Usage: python bench/report_bench.py [--applications N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._db import best_of, setup_django, test_database


def populate(n: int) -> object:
    from fazhi.core.tenancy.models import OrgUnit
    from fazhi.ledgers.disclosure.models import ApplicantCategory, Application, Outcome, Status

    unit = OrgUnit.objects.create(code="BENCH", name="基准街道", kind="street")
    other = OrgUnit.objects.create(code="OTHER", name="其他街道", kind="street")
    rng = random.Random(1)
    rows = []
    for i in range(n):
        received = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 729))
        replied = received + dt.timedelta(days=rng.randint(1, 60)) if rng.random() < 0.9 else None
        rows.append(
            Application(
                unit=unit if i % 5 else other,
                number=f"B{i}",
                received_on=received,
                replied_on=replied,
                outcome=rng.choice(Outcome.values) if replied else "",
                status=Status.CLOSED if replied else Status.RECEIVED,
                applicant_category=rng.choice(ApplicantCategory.values),
                applicant_name="某",
                content="x",
            )
        )
    Application.objects.bulk_create(rows, batch_size=2000)
    return unit


def sql_table3(unit_id: int, year: int) -> dict[tuple[str, str], int]:
    """The baseline: one GROUP BY over the year's relevant rows, bucketed in SQL."""
    from django.db import connection

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    sql = """
        SELECT applicant_category,
               SUM(CASE WHEN received_on BETWEEN %s AND %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN received_on < %s AND (replied_on IS NULL OR replied_on >= %s) THEN 1 ELSE 0 END),
               SUM(CASE WHEN replied_on IS NULL OR replied_on > %s THEN 1 ELSE 0 END),
               outcome,
               SUM(CASE WHEN replied_on BETWEEN %s AND %s THEN 1 ELSE 0 END)
        FROM disclosure_application
        WHERE unit_id = %s AND received_on <= %s AND (replied_on IS NULL OR replied_on >= %s)
        GROUP BY applicant_category, outcome
    """
    cells: dict[tuple[str, str], int] = {}
    with connection.cursor() as cur:
        cur.execute(sql, [first, last, first, first, last, first, last, unit_id, last, first])
        for category, new, carried_in, carried_out, outcome, replied in cur.fetchall():
            for row, value in (
                ("new", new),
                ("carried_in", carried_in),
                ("carried_out", carried_out),
            ):
                cells[(row, category)] = cells.get((row, category), 0) + int(value)
            if outcome:
                cells[(outcome, category)] = cells.get((outcome, category), 0) + int(replied)
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=10_000)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from fazhi.core.reports.render_docx import render_docx
    from fazhi.ledgers.disclosure import annual, report
    from fazhi.ledgers.disclosure.models import Application

    with test_database():
        unit = populate(args.applications)
        qs = Application.objects.filter(unit=unit)
        orm = annual.table3(qs, 2026)
        base = sql_table3(unit.pk, 2026)  # type: ignore[attr-defined]
        for (row, col), value in base.items():
            assert orm[row][col] == value, (row, col, orm[row][col], value)
        t_orm = best_of(lambda: annual.table3(qs, 2026))
        t_sql = best_of(lambda: sql_table3(unit.pk, 2026))  # type: ignore[attr-defined]
        t_report = best_of(lambda: report.build(unit, 2026).as_json(), 3)  # type: ignore[arg-type]
        t_docx = best_of(lambda: render_docx(report.build(unit, 2026).document(None)), 3)  # type: ignore[arg-type]
        print(f"engine: {connection.vendor}; applications: {args.applications} (80% in the unit)")
        print(f"table 三 via ORM GROUP BY (fazhi):     {t_orm * 1000:8.1f} ms")
        print(f"table 三 via hand-written SQL GROUP BY: {t_sql * 1000:8.1f} ms   (baseline)")
        print(f"ratio ORM / hand-written SQL:          {t_orm / t_sql:8.2f}")
        print(f"whole report as data (JSON):           {t_report * 1000:8.1f} ms")
        print(f"whole report rendered to .docx:        {t_docx * 1000:8.1f} ms   (bar: < 1000 ms)")


if __name__ == "__main__":
    main()
