"""How fast does a year of 政府信息公开 applications import from Excel?

Writes N rows (default 10,000 = a city's year) to .xlsx and .csv, then times
- `fazhi import` (parse, validate every row, derive statuses and deadlines, write records,
  timeline events and audit events in one transaction),
- the baseline: loading the same CSV into a bare table with PostgreSQL COPY (only when
  DATABASE_URL points at PostgreSQL; on SQLite the baseline is executemany of the raw rows).
Prints the ratio. Usage: python bench/import_bench.py [--rows N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._db import setup_django, test_database

HEADERS = [
    "申请编号",
    "收到日期",
    "申请人类型",
    "申请人",
    "申请内容",
    "补正通知日期",
    "补正完成日期",
    "征求意见开始日期",
    "征求意见结束日期",
    "延期日期",
    "答复日期",
    "办理结果",
]


def rows(n: int) -> list[list[str]]:
    rng = random.Random(7)
    outcomes = [
        "予以公开",
        "部分公开",
        "本机关不掌握相关政府信息",
        "重复申请",
        "属于四类过程性信息",
    ]
    out = []
    for i in range(n):
        received = dt.date(2025, 1, 2) + dt.timedelta(days=rng.randint(0, 330))
        corrected = rng.random() < 0.1
        replied = received + dt.timedelta(days=rng.randint(15, 30))
        out.append(
            [
                f"YSQ-{i:06d}",
                received.isoformat(),
                "自然人",
                "某申请人",
                "某项目资料",
                (received + dt.timedelta(days=2)).isoformat() if corrected else "",
                (received + dt.timedelta(days=6)).isoformat() if corrected else "",
                "",
                "",
                "",
                replied.isoformat(),
                rng.choice(outcomes),
            ]
        )
    return out


def to_csv(data: list[list[str]]) -> bytes:
    buf = io.StringIO()
    buf.write(",".join(HEADERS) + "\n")
    for r in data:
        buf.write(",".join(r) + "\n")
    return buf.getvalue().encode("utf-8-sig")


def baseline(data: list[list[str]], csv_bytes: bytes) -> float:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE bench_raw (" + ", ".join(f"c{i} text" for i in range(len(HEADERS))) + ")"
        )
        start = time.perf_counter()
        if connection.vendor == "postgresql":
            with cur.cursor.copy(
                "COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy:
                copy.write(csv_bytes.decode("utf-8-sig"))
        else:
            cur.executemany(
                f"INSERT INTO bench_raw VALUES ({', '.join(['%s'] * len(HEADERS))})", data
            )
        elapsed = time.perf_counter() - start
        cur.execute("DROP TABLE bench_raw")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from fazhi.core.imports.writing import write_xlsx
    from fazhi.core.tenancy.models import OrgUnit
    from fazhi.ledgers.disclosure.bulk import import_file
    from fazhi.ledgers.disclosure.models import Application

    class Operator:
        pk = None
        is_authenticated = is_active = is_superuser = True

        def get_username(self) -> str:
            return "bench"

    data = rows(args.rows)
    csv_bytes = to_csv(data)
    xlsx_bytes = write_xlsx(HEADERS, data)
    with test_database():
        unit = OrgUnit.objects.create(code="BENCH", name="基准街道", kind="street")
        t_base = baseline(data, csv_bytes)
        start = time.perf_counter()
        outcome = import_file(unit=unit, by=Operator(), data=xlsx_bytes, filename="bench.xlsx")
        t_xlsx = time.perf_counter() - start
        assert outcome.ok, outcome.errors[:5]
        assert Application.objects.filter(unit=unit).count() == args.rows
        start = time.perf_counter()
        again = import_file(unit=unit, by=Operator(), data=csv_bytes, filename="bench.csv")
        t_reimport = time.perf_counter() - start
        assert again.ok and again.unchanged == args.rows and again.created == 0
        what = "PostgreSQL COPY" if connection.vendor == "postgresql" else "SQLite executemany"
        print(f"engine: {connection.vendor}; rows: {args.rows}")
        print(f"baseline {what} of the raw CSV: {t_base:7.2f} s")
        print(f"fazhi import of the .xlsx (validated, with events and audit): {t_xlsx:7.2f} s")
        print(f"ratio import / baseline: {t_xlsx / t_base:7.1f}")
        print(f"re-import of the same rows as .csv (all unchanged): {t_reimport:7.2f} s")


if __name__ == "__main__":
    main()
