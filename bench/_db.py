"""Benchmarks run against a throwaway test database on the configured engine (DATABASE_URL)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()


@contextmanager
def test_database(name: str = "fazhi_bench", *, shared: bool = False) -> Iterator[None]:  # noqa: PT028 (not a test)
    """A fresh database for the run. FAZHI_BENCH_DB names it on PostgreSQL (so benchmarks run
    side by side do not collide). `shared`: other processes (a child, gunicorn's workers) open
    it too, so on SQLite it is a file under var/ rather than in memory."""
    from django.db import connection

    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        # Our own database, so a benchmark never collides with a test run's test_<name>.
        test["NAME"] = os.environ.get("FAZHI_BENCH_DB") or name
    elif shared:
        (ROOT / "var").mkdir(exist_ok=True)
        test["NAME"] = str(ROOT / "var" / f"{name}.sqlite3")
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield
    finally:
        connection.close()
        connection.creation.destroy_test_db(name, verbosity=0)


def database_url() -> str:
    """DATABASE_URL of the database the run is using, for a child process to open."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{s['NAME']}"


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process on the run's database (our tree first on the path)."""
    path = os.environ.get("PYTHONPATH", "")
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PYTHONPATH": str(ROOT) + (os.pathsep + path if path else ""),
        **extra,
    }


def best_of(fn: Callable[[], Any], repeat: int = 5) -> float:
    """Best wall time of `repeat` runs, in seconds (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)
