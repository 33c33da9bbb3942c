"""The hotline list at a city's scale: its first page is read from the order index, not a sort
of every visible order (EXPLAIN on PostgreSQL, as bench/hotline_list_bench.py found it). What
that costs in milliseconds is the benchmark's business; here, only the plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import RequestFactory

from fazhi.core.web.registry import get_ledger
from fazhi.core.web.views import record_list_queryset
from fazhi.ledgers.hotline.models import WorkOrder
from fazhi.ledgers.hotline.tests.test_import import Local, row, run, write_csv
from fazhi.ledgers.hotline.ui import _search as ui_search


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


def _search(cast: Any, q: str) -> list[str]:
    request = RequestFactory().get("/l/hotline/", {"q": q})
    request.user = cast.supervisor
    ui = get_ledger("hotline")
    assert ui is not None
    return sorted(record_list_queryset(request, ui).values_list("number", flat=True))


def test_search_finds_a_fragment_of_the_number_or_the_content_in_any_case(
    cast: Any, tmp_path: Path
) -> None:
    rows = [
        row("GD-2026-0001", 诉求内容="小区门口 Wi-Fi 杆倒伏"),
        row("gd-2026-0002", 诉求内容="夜间施工噪声"),
        row("HX-2026-0003", 诉求内容="噪声扰民，施工单位未公示许可"),
    ]
    assert run(cast, write_csv(tmp_path / "s.csv", rows)).ok
    assert _search(cast, "gd-2026") == ["GD-2026-0001", "gd-2026-0002"]
    assert _search(cast, "施工") == ["HX-2026-0003", "gd-2026-0002"]
    assert _search(cast, "wi-fi") == ["GD-2026-0001"]
    assert _search(cast, "0003") == ["HX-2026-0003"]
    assert _search(cast, "没有这个") == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the trigram index is PostgreSQL's (core/records/search.py); SQLite scans",
)
def test_search_by_content_reads_the_trigram_index(db: None) -> None:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [WorkOrder._meta.db_table, "%gin_trgm_ops%"],
        )
        assert {n for (n,) in cur.fetchall()} == {"hotline_number_trgm", "hotline_content_trgm"}
    # The ledger's own search on the whole table: whatever the tenant filter adds, the text
    # condition is Django's icontains, and the index must be on exactly that expression.
    qs = ui_search(WorkOrder.objects.order_by(), "化粪池满溢").values("pk")
    sql, params = qs.query.sql_with_params()
    # A small table is cheaper to scan; with scans priced out the plan shows whether the indexes
    # serve the expression (they would not if the expressions differed).
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cur.fetchall())
    assert "hotline_content_trgm" in plan and "hotline_number_trgm" in plan, plan
