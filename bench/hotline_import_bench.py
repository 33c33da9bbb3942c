"""How fast does a district's year of 12345 work orders import, and in how much memory?

Writes N rows (default 100,000; the issue's 1,000,000 with --rows 1000000) as a platform's CSV
export (fazhi's own headers, 承办单位 spread over the 240 街道 of a district), then runs
`fazhi import hotline FILE --unit D` in a child process (the command itself, through
call_command) and reads the child's peak RSS (getrusage).

The baseline of the issue's goal (at least 0.25 of its throughput; ADR 0020) is PostgreSQL COPY
of the same rows into the table they go to, as it stands: a copy of the real work-order table
with its indexes, checks and foreign keys, filled PostgreSQL's fastest way (COPY of the rows the
import wrote, then the indexes built and the keys checked once, as ADR 0019's rebuild does).
Also printed: the same COPY entering every index row by row, and the floor, COPY of the file into
a bare table of text and typed columns with no index or key (SQLite, which has no COPY:
executemany into the bare table is the only baseline). Then the same from .xlsx at --xlsx-rows
(default 20,000), and a re-import of the CSV (every order unchanged).
DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/hotline_import_bench.py
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._db import ROOT, child_env, setup_django, test_database

BARE_TYPES = {
    "called_at": "timestamp",
    "dispatched_at": "timestamp",
    "time_limit": "timestamp",
    "feedback_at": "timestamp",
    "closed_at": "timestamp",
    "returns": "integer",
    "redispatches": "integer",
}


def peak_rss_kb() -> int:
    """The process's RSS high-water mark. Linux's ru_maxrss survives exec (a child would report
    its parent's size), so read the image's own VmHWM where there is one."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(path: str, unit: str) -> None:
    """In the child: the command as the shell runs it; prints seconds and peak RSS as JSON."""
    import io

    setup_django()
    from django.core.management import call_command

    before = peak_rss_kb()
    out = io.StringIO()
    start = time.perf_counter()
    call_command("import", "hotline", path, unit=unit, json=True, verbosity=0, stdout=out)
    seconds = time.perf_counter() - start
    peak = peak_rss_kb()
    print(
        json.dumps(
            {"seconds": seconds, "peak_kb": peak, "before_kb": before, **json.loads(out.getvalue())}
        )
    )


def run_import(path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--unit", "D"],
        env=child_env(DJANGO_SETTINGS_MODULE="fazhi.settings"),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"import failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["ok"], found["errors"]
    return found


def baseline(path: Path) -> float:
    """COPY of the file into a bare table (SQLite: executemany), seconds."""
    from django.db import connection, transaction

    from fazhi.ledgers.hotline.columns import FIELDS

    cols = ", ".join(f"{f.key} {BARE_TYPES.get(f.key, 'text')}" for f in FIELDS)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"CREATE TABLE bench_hotline_raw ({cols})")
        start = time.perf_counter()
        if connection.vendor == "postgresql":
            with (
                cur.cursor.copy(
                    "COPY bench_hotline_raw FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as copy,
                path.open("rb") as src,
            ):
                while block := src.read(1 << 20):
                    copy.write(block)
        else:
            with path.open(encoding="utf-8") as src:
                reader = csv.reader(src)
                next(reader)
                marks = ", ".join(["%s"] * len(FIELDS))
                cur.executemany(f"INSERT INTO bench_hotline_raw VALUES ({marks})", list(reader))
        elapsed = time.perf_counter() - start
        cur.execute("SELECT count(*) FROM bench_hotline_raw")
        (count,) = cur.fetchone()
        cur.execute("DROP TABLE bench_hotline_raw")
    return elapsed if count else float("nan")


def indexed_baseline(tmp: Path, *, rebuilt: bool = False) -> tuple[float, int] | None:
    """COPY of the rows the import wrote into a copy of the real table: its columns, checks,
    indexes and foreign keys (PostgreSQL only), seconds including the commit (where the
    deferred foreign keys are checked). What any importer of these rows pays the table.
    `rebuilt`: the same, with the table's indexes built and its foreign keys checked after the
    COPY (core's `rebuilding`, as the import does for a bulk write; ADR 0019)."""
    from django.db import connection, transaction

    from fazhi.core.imports.dbwrite import rebuilding

    if connection.vendor != "postgresql":
        return None
    dump = tmp / "workorders.copy"
    with connection.cursor() as cur:
        with cur.cursor.copy("COPY hotline_workorder TO STDOUT") as copy, dump.open("wb") as out:
            for block in copy:
                out.write(block)
        cur.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'hotline_workorder'::regclass AND contype = 'f'"
        )
        fks = [d for (d,) in cur.fetchall()]
        cur.execute("CREATE TABLE bench_hotline_real (LIKE hotline_workorder INCLUDING ALL)")
        for d in fks:
            cur.execute(f"ALTER TABLE bench_hotline_real ADD {d}")
        cur.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'bench_hotline_real'")
        (indexes,) = cur.fetchone()
    start = time.perf_counter()
    with (
        transaction.atomic(),
        rebuilding(connection, "bench_hotline_real") if rebuilt else nullcontext(),
        connection.cursor() as cur,
        cur.cursor.copy("COPY bench_hotline_real FROM STDIN") as copy,
        dump.open("rb") as src,
    ):
        while block := src.read(1 << 20):
            copy.write(block)
    elapsed = time.perf_counter() - start
    with connection.cursor() as cur:
        cur.execute("DROP TABLE bench_hotline_real")
    dump.unlink()
    return elapsed, indexes


def empty_ledger() -> None:
    from django.db import connection

    from fazhi.ledgers.hotline.models import ImportBatch, WorkOrder

    # The bench's own throwaway database. Not Model.delete(): its collector loads every order
    # to null the self-referencing repeat_of (a million rows: 20 minutes and 4 GB here).
    tables = [WorkOrder._meta.db_table, ImportBatch._meta.db_table]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            cur.execute(f"UPDATE {tables[0]} SET repeat_of_id = NULL")
            for table in tables:
                cur.execute(f"DELETE FROM {table}")


def report(label: str, rows: int, t_floor: float, found: dict[str, object], what: str) -> float:
    """Prints the import's time, memory and its ratio to the floor; returns its seconds."""
    seconds = float(found["seconds"])  # type: ignore[arg-type]
    peak, before = int(found["peak_kb"]), int(found["before_kb"])  # type: ignore[call-overload]
    print(f"{label}: {rows} rows")
    print(f"  fazhi import hotline:        {seconds:8.2f} s  {rows / seconds:10,.0f} rows/s")
    print(
        f"  peak RSS of the importing process: {peak / 1024:.0f} MB "
        f"({before / 1024:.0f} MB after Django start-up)"
    )
    print(
        f"  floor, {what}: {t_floor:8.2f} s  {rows / t_floor:10,.0f} rows/s; "
        f"import / it: {t_floor / seconds:.2f}"
    )
    return seconds


def against_the_table(tmp: Path, rows: int, seconds: float) -> None:
    """The goal's baseline and the row-by-row COPY, on the rows the import just wrote."""
    real = indexed_baseline(tmp, rebuilt=True)
    if real is None:
        print("  (SQLite: no COPY; the floor above is the baseline)")
        return
    t_real, indexes = real
    print(
        f"  baseline, COPY of the same rows into the work-order table as it stands ({indexes} "
        f"indexes built and the foreign keys checked after it): {t_real:8.2f} s  "
        f"{rows / t_real:10,.0f} rows/s"
    )
    print(f"  ratio import / baseline throughput: {t_real / seconds:.2f} (goal ≥ 0.25, ADR 0020)")
    slow = indexed_baseline(tmp)
    if slow is not None:
        print(
            f"  the same COPY entering the {slow[1]} indexes row by row: {slow[0]:8.2f} s  "
            f"{rows / slow[0]:10,.0f} rows/s; import / it: {slow[0] / seconds:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx-rows", type=int, default=20_000, help="0: no .xlsx run")
    parser.add_argument(
        "--no-reimport", dest="reimport", action="store_false", help="skip the re-import"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--unit", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.unit)
        return
    setup_django()
    from django.db import connection

    from bench import _hotline

    with tempfile.TemporaryDirectory(prefix="fazhi-bench-") as tmp, test_database(shared=True):
        _, streets = _hotline.district()
        handlers = [s.name for s in streets]
        csv_path, xlsx_path = Path(tmp) / "orders.csv", Path(tmp) / "orders.xlsx"
        start = time.perf_counter()
        _hotline.write_csv(args.rows, handlers, csv_path)
        small_csv = Path(tmp) / "small.csv"
        if args.xlsx_rows:
            _hotline.write_xlsx(args.xlsx_rows, handlers, xlsx_path)
            _hotline.write_csv(args.xlsx_rows, handlers, small_csv)
        print(
            f"engine: {connection.vendor}; files written in {time.perf_counter() - start:.1f} s "
            f"(.csv {csv_path.stat().st_size / 1e6:.0f} MB"
            + (f", .xlsx {xlsx_path.stat().st_size / 1e6:.1f} MB)" if args.xlsx_rows else ")")
        )
        what = (
            "PostgreSQL COPY of the file into a bare table (no index or key)"
            if connection.vendor == "postgresql"
            else "SQLite executemany into a bare table"
        )
        t_csv = baseline(csv_path)
        found = run_import(csv_path)
        assert found["created"] == args.rows, found
        seconds = report("CSV", args.rows, t_csv, found, what)
        against_the_table(Path(tmp), args.rows, seconds)
        if args.reimport:
            again = run_import(csv_path)
            assert again["unchanged"] == args.rows, again
            print(
                f"  re-import of the same CSV (all unchanged): {float(again['seconds']):.2f} s, "  # type: ignore[arg-type]
                f"peak RSS {int(again['peak_kb']) / 1024:.0f} MB"  # type: ignore[call-overload]
            )
        if not args.xlsx_rows:
            return
        empty_ledger()
        t_xlsx_base = baseline(small_csv)
        found = run_import(xlsx_path)
        assert found["created"] == args.xlsx_rows, found
        seconds = report(".xlsx", args.xlsx_rows, t_xlsx_base, found, what + ", same rows as CSV")
        against_the_table(Path(tmp), args.xlsx_rows, seconds)


if __name__ == "__main__":
    main()
