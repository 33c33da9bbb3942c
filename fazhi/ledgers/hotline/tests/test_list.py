"""The hotline list at a city's scale: its first page is read from the order index, not a sort
of every visible order (EXPLAIN on PostgreSQL, as bench/hotline_list_bench.py found it). What
that costs in milliseconds is the benchmark's business; here, only the plan."""

from __future__ import annotations

import datetime as dt
import re
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
            f"L-{i:06d}",
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


def _numbers_listed(cast: Any, q: str, user: Any = None) -> list[str]:
    """The numbers as the list shows them, in the search's own order."""
    request = RequestFactory().get("/l/hotline/", {"q": q})
    request.user = user or cast.supervisor
    ui = get_ledger("hotline")
    assert ui is not None
    return list(record_list_queryset(request, ui).values_list("number", flat=True))


def _search(cast: Any, q: str) -> list[str]:
    return sorted(_numbers_listed(cast, q))


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


def test_every_word_must_match_and_full_width_digits_read_as_ascii(
    cast: Any, tmp_path: Path
) -> None:
    rows = [
        row("W-1", 诉求内容="楼下饭店油烟和夜间噪音扰民"),
        row("W-2", 诉求内容="油烟扰民"),
        row("W-3", 诉求内容="噪音扰民"),
        row("GD-77001", 诉求内容="路灯不亮"),
    ]
    assert run(cast, write_csv(tmp_path / "w.csv", rows)).ok
    assert _search(cast, "油烟 噪音") == ["W-1"]
    assert _search(cast, "油烟\u3000扰民") == ["W-1", "W-2"]
    assert _search(cast, "ＧＤ－７７００１") == ["GD-77001"]
    assert _search(cast, "油烟 没有这个") == []


def test_a_number_like_term_finds_the_numbers_it_begins_in_either_case(
    cast: Any, tmp_path: Path
) -> None:
    rows = [
        row("GD20250001", 诉求内容="油烟扰民"),
        row("GD2025000123", 诉求内容="夜间施工噪声"),
        row("gd2025000155", 诉求内容="占道经营"),
        row("GD20250002", 诉求内容="来电反映工单GD20250001未办结"),  # the term in the content
        row("XGD20250001", 诉求内容="道路破损"),  # the term inside a number, not at its start
        row("GD2025000", 诉求内容="停水"),  # shorter than the term
        row("HX-0009", 诉求内容="反映工单 ZX-778899 未答复"),  # a number no order's begins with
    ]
    assert run(cast, write_csv(tmp_path / "n.csv", rows)).ok
    # Numbers that begin with the term, in either case, newest number first: what the term
    # means when some number begins with it (the order whose content mentions it is not one).
    found = ["gd2025000155", "GD2025000123", "GD20250001"]
    assert _numbers_listed(cast, "GD20250001") == found
    assert _numbers_listed(cast, "gd20250001") == found
    # No number begins with it: the orders whose content holds it.
    assert _numbers_listed(cast, "zx-778899") == ["HX-0009"]
    assert _numbers_listed(cast, "GD20259999") == []
    # A term shorter than a number's beginning still finds a fragment anywhere.
    assert _search(cast, "0001") == [
        "GD20250001",
        "GD2025000123",
        "GD20250002",
        "XGD20250001",
        "gd2025000155",
    ]


def test_a_number_search_is_behind_the_door(cast: Any, tmp_path: Path) -> None:
    """Whether some number begins with the term is asked of the orders the user may see: a
    street clerk's search for another street's number finds nothing, and falls to the content."""
    rows = [row("GD30000001", 承办单位="西城街道"), row("gd30000002", 承办单位="东湖街道")]
    assert run(cast, write_csv(tmp_path / "d.csv", rows)).ok
    assert _numbers_listed(cast, "GD3000000", cast.a_clerk) == ["gd30000002"]  # 东湖街道's
    assert _numbers_listed(cast, "GD30000001", cast.a_clerk) == []


def test_a_number_search_ignores_the_case_of_every_letter(cast: Any, tmp_path: Path) -> None:
    """Numbers stored in mixed case are found by a term in any case, not only as typed, all
    upper or all lower; newest number first by the number read in capitals."""
    rows = [
        row("GD-abc-0002", 诉求内容="油烟"),
        row("gd-ABC-0001", 诉求内容="噪声"),
        row("Gd-aBd-0003", 诉求内容="停水"),
        row("HX-0009", 诉求内容="反映工单 gd-abc-0003 未答复"),
    ]
    assert run(cast, write_csv(tmp_path / "m.csv", rows)).ok
    for term, found in [
        ("gd-abc-0", ["GD-abc-0002", "gd-ABC-0001"]),
        ("GD-ABC-0", ["GD-abc-0002", "gd-ABC-0001"]),
        ("Gd-AbC-0002", ["GD-abc-0002"]),
        ("GD-ABC-0001", ["gd-ABC-0001"]),
        ("gD-AbD-0", ["Gd-aBd-0003"]),
        ("GD-ABC-0003", ["HX-0009"]),  # no number begins with it: the content is searched
    ]:
        assert _numbers_listed(cast, term) == found, term


@pytest.mark.parametrize(
    ("term", "number_like"),
    [
        ("GD20250001", True),
        ("12345-20250101", True),
        ("gd-2026", True),
        ("0003", False),
        ("wi-fi", False),
        ("GD 2025", False),
        ("工单2025001", False),
        ("abcdefg", False),
    ],
)
def test_what_reads_as_a_number(term: str, number_like: bool) -> None:
    from fazhi.core.records.search import looks_like_number

    assert looks_like_number(term) is number_like


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's plan of the number's B-tree"
)
def test_a_number_like_term_reads_the_number_index_not_its_trigrams(
    cast: Any, tmp_path: Path
) -> None:
    _orders(cast, tmp_path, 600)
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {WorkOrder._meta.db_table}")
    qs = ui_search(WorkOrder.objects.order_by(), "L-0001")
    sql, params = qs[:50].query.sql_with_params()
    # 600 orders are cheaper to sort than to read in order; with sorting and bitmaps priced out
    # the plan shows whether the index can give the page in order (it could not if the range
    # were several ranges or the order another column's).
    with transaction.atomic(), connection.cursor() as cur:
        for knob in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cur.execute(f"SET LOCAL {knob} = off")
        cur.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cur.fetchall())
    # The page is the range's end, read backwards from the number's index: no sort of matches.
    assert "Index Scan Backward using hotline_number_upper " in plan, plan
    # (An Incremental Sort of equal numbers by id is no sort of the matches.)
    nodes = [line.strip().removeprefix("->").strip() for line in plan.splitlines()]
    assert not any(node.startswith("Sort  (") for node in nodes), plan
    # No condition may be one the number's trigram index serves (a LIKE on UPPER(number), its
    # very expression): at 2M orders PostgreSQL ANDed that index's bitmap with the range (115 ms
    # for a condition the range had already met) and sorted every match. 600 orders are too
    # few for the planner to try it, so the SQL itself is checked, and the plan with bitmaps
    # allowed.
    for query in (qs[:50], qs.values("pk")[:1001]):
        sql, params = query.query.sql_with_params()
        assert not re.search(
            r'UPPER\("hotline_workorder"\."number"(::text)?\)(::text)? (I?LIKE|~~)', sql
        ), sql
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(line for (line,) in cur.fetchall())
        assert "_trgm" not in plan, plan


def test_the_list_reads_only_its_columns_and_masks_the_phone(cast: Any, tmp_path: Path) -> None:
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    rows = [row("L-1", 来电号码="13800138000", 诉求内容="秘密内容不进列表查询")]
    assert run(cast, write_csv(tmp_path / "l.csv", rows)).ok
    order = WorkOrder.objects.get(number="L-1")
    client = Client()
    client.force_login(cast.supervisor)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/l/hotline/").content.decode()
    table = WorkOrder._meta.db_table
    listed = [q["sql"] for q in ctx.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert len(listed) == 2, listed  # the capped count and the page's rows
    assert '"content"' not in listed[1] and '"address"' not in listed[1], listed[1]
    # No join: the 承办单位 column's names come from what the door read, in its one query.
    assert "JOIN" not in listed[1], listed[1]
    units = [q["sql"] for q in ctx.captured_queries if "tenancy_orgunit" in q["sql"]]
    assert len(units) == 1, units
    assert f'<a href="/l/hotline/{order.pk}/">L-1</a>' in page
    assert "138****8000" in page and "13800138000" not in page
    assert "东湖街道" in page and "投诉" in page
