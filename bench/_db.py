"""Benchmarks run against a throwaway test database on the configured engine (DATABASE_URL)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()


@contextmanager
def test_database(name: str = "fazhi_bench") -> Iterator[None]:  # noqa: PT028 (not a test)
    from django.db import connection

    if connection.vendor == "postgresql":
        # Our own database, so a benchmark never collides with a test run's test_<name>.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def best_of(fn: Callable[[], Any], repeat: int = 5) -> float:
    """Best wall time of `repeat` runs, in seconds (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)
