"""The planner cost PostgreSQL connections are opened with, and the workers' garbage collector
(ADR 0015, amendment of 2026-12-06): both read from the environment, and wrong values refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432/nothing_opened"


def run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": PG}, "-c random_page_cost=1.1"),
        ({"DATABASE_URL": PG, "FAZHI_PG_RANDOM_PAGE_COST": "2.5"}, "-c random_page_cost=2.5"),
        ({"DATABASE_URL": PG, "FAZHI_PG_RANDOM_PAGE_COST": ""}, "None"),
        (
            {"DATABASE_URL": f"{PG}?options=-c%20work_mem%3D8MB"},
            "-c work_mem=8MB -c random_page_cost=1.1",
        ),
        ({}, "None"),  # SQLite has no such setting
        ({"DATABASE_URL": PG, "FAZHI_PG_RANDOM_PAGE_COST": "fast"}, "must be a number"),
        ({"DATABASE_URL": PG, "FAZHI_PG_RANDOM_PAGE_COST": "1 -c x=1"}, "must be a number"),
    ],
)
def test_the_planner_cost_comes_from_the_environment(env: dict[str, str], expected: str) -> None:
    done = run(
        "from fazhi import settings as s; print(s.DATABASES['default'].get('OPTIONS', {}).get('options'))",
        env,
    )
    if expected == "must be a number":
        assert done.returncode != 0 and expected in done.stderr
    else:
        assert done.stdout.strip() == expected, done.stderr


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_a_connection_plans_with_that_cost() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


GC = (
    "import gc, logging, runpy, types;"
    "ns = runpy.run_path('fazhi/gunicorn.conf.py');"
    "before = gc.get_threshold();"
    "ns['post_worker_init'](types.SimpleNamespace(log=types.SimpleNamespace("
    "error_log=logging.getLogger('w'))));"
    "print(before[0], gc.get_threshold()[0], gc.get_freeze_count() > 0)"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, "700 50000 True"), ({"FAZHI_GC_THRESHOLD": "0"}, "700 700 True")],
)
def test_a_worker_freezes_what_it_loaded_and_collects_less_often(
    env: dict[str, str], expected: str
) -> None:
    done = run(GC, {"DJANGO_SETTINGS_MODULE": "fazhi.settings", **env})
    assert done.stdout.strip() == expected, done.stderr


def test_a_wrong_gc_threshold_stops_the_server() -> None:
    done = run(GC, {"FAZHI_GC_THRESHOLD": "lots"})
    assert done.returncode != 0 and "FAZHI_GC_THRESHOLD must be a positive integer" in done.stderr
