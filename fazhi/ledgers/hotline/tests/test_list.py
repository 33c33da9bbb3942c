"""The hotline list at a city's scale: its first page is read from the order index, not a sort
of every visible order (EXPLAIN on PostgreSQL, as bench/hotline_list_bench.py found it). What
that costs in milliseconds is the benchmark's business; here, only the plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory

from fazhi.core.web.registry import get_ledger
from fazhi.core.web.views import record_list_queryset
from fazhi.ledgers.hotline.models import WorkOrder
from fazhi.ledgers.hotline.tests.test_import import Local, row, run, write_csv


def _orders(cast: Any, tmp_path: Path, n: int) -> None:
    start = Local(2026, 1, 1, 8, 0)
    rows = [
        row(
            f"L-{i}",
            来电时间=f"{start + dt.timedelta(minutes=731 * i):%Y-%m-%d %H:%M}",
            承办单位=("东湖街道", "西城街道", "D1")[i % 3],
        )
        for i in range(n)
    ]
    assert run(cast, write_csv(tmp_path / "orders.csv", rows)).ok
    assert WorkOrder.objects.count() == n


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's plan; SQLite keeps no statistics and plans by the unit index",
)
def test_first_page_reads_the_order_index(cast: Any, tmp_path: Path) -> None:
    _orders(cast, tmp_path, 600)  # a year of a small district; the plan is the city's
    request = RequestFactory().get("/l/hotline/")
    request.user = cast.supervisor
    ui = get_ledger("hotline")
    assert ui is not None
    sql, params = record_list_queryset(request, ui)[:50].query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {WorkOrder._meta.db_table}")
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(line for (line,) in cur.fetchall())
    assert "hotline_called_order" in plan, plan
    assert "Sort" not in plan, plan
