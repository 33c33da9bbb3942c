"""The tenant sweep for the 12345 hotline (DESIGN invariant 1): its own URLs (mounted at
/hotline/, read from `fazhi.ledgers.hotline.urls.urlpatterns`, so a new one without an entry
below fails) and the generic record pages at /l/hotline/… for its work orders; tried by the
clerk of the neighbouring 街道, the district supervisor and an anonymous visitor."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.tasks.actions import start_task
from fazhi.core.tasks.models import TaskRun
from fazhi.ledgers.hotline import actions
from fazhi.ledgers.hotline import urls as hotline_urls
from fazhi.ledgers.hotline.models import (
    HeaderMapping,
    ImportBatch,
    Status,
    WorkOrder,
    WorkOrderEvent,
)
from fazhi.ledgers.hotline.workflow import MOVES

SLUG = "hotline"
TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=TZ)
A_MARK = "AH-2026-"  # every order number of 街道 A starts with this
A_TEXT = "甲街道独有的诉求"  # and its content says this
A_MAPPING = "甲街道平台映射"

# A body every hotline form would accept, so a refusal is the door's, not the form's.
POST = {
    "at": "2026-11-25T09:00",
    "on": "2026-11-25",
    "reason": "越权尝试",
    "result": "越权尝试",
    "visit_result": "satisfied",
    "note": "越权尝试",
    "content": "越权更正",
    "category": "complaint",
    "urgency": "normal",
    "unit": "A1",
    "name": "越权映射",
    "col_number": "越权",
    "save": "1",
    "mapping": "__auto__",
}


def t(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=TZ)


@dataclass
class World:
    cast: Any
    a_orders: list[WorkOrder]
    b_order: WorkOrder
    a_mapping: HeaderMapping
    a_run: TaskRun


@pytest.fixture
def world(cast: Any) -> Iterator[World]:
    with time_machine.travel(NOW, tick=False):
        clerk = cast.a_clerk

        def reg(n: int) -> WorkOrder:
            return actions.register(
                unit=cast.street_a,
                by=clerk,
                number=f"{A_MARK}{n:04d}",
                called_at=t(20, 9),
                category="complaint",
                content=f"{A_TEXT}{n}",
                phone=f"1380013800{n}",
                requester="甲诉求人",
                address=f"东湖街道和平路{n}号",
            )

        received = reg(1)
        handling = actions.dispatch(reg(2), by=clerk, at=t(20, 10))
        returned = actions.dispatch(reg(3), by=clerk, at=t(20, 10))
        returned = actions.return_order(returned, by=clerk, at=t(23, 9), reason="错派")
        fed_back = actions.dispatch(reg(4), by=clerk, at=t(20, 10))
        fed_back = actions.feedback(fed_back, by=clerk, at=t(23, 9), result="已处理")
        closed = actions.dispatch(reg(5), by=clerk, at=t(20, 10))
        closed = actions.close(closed, by=clerk, at=t(23, 9), result="已处理")
        orders = [received, handling, returned, fed_back, closed]
        assert {o.status for o in orders} == set(Status.values)
        b_order = actions.register(
            unit=cast.street_b,
            by=cast.b_clerk,
            number="BH-2026-0001",
            called_at=t(20, 9),
            category="consult",
            content="乙街道的诉求",
        )
        mapping = HeaderMapping.objects.create(
            unit=cast.street_a, name=A_MAPPING, columns={"number": "工单号"}
        )
        run = start_task(
            "hotline_import",
            by=clerk,
            unit=cast.street_a,
            title="导入12345热线工单：甲.csv",
            path="/nonexistent.csv",
            filename="甲.csv",
            unit_code="A1",
            user_id=clerk.pk,
            mapping=None,
        )
        yield World(cast, orders, b_order, mapping, run)


# The hotline's own URLs: name -> kwargs to try. Names in A_SCOPED name something of 街道 A.
URLS: dict[str, Callable[[World], list[dict[str, Any]]]] = {
    "import": lambda w: [{}],
    "mappings": lambda w: [{}],
    "mapping": lambda w: [{"pk": w.a_mapping.pk}],
    "ranking": lambda w: [{}],
}
A_SCOPED = {"mapping"}

# The generic pages of one record, for the hotline's orders.
RECORD_PAGES: dict[str, Callable[[World], list[dict[str, Any]]]] = {
    "detail": lambda w: [{"slug": SLUG, "pk": o.pk} for o in w.a_orders],
    "move": lambda w: [
        {"slug": SLUG, "pk": o.pk, "move": m.code} for o in w.a_orders for m in MOVES
    ],
    "correct": lambda w: [{"slug": SLUG, "pk": o.pk} for o in w.a_orders],
    "void": lambda w: [{"slug": SLUG, "pk": o.pk} for o in w.a_orders],
    "undo": lambda w: [{"slug": SLUG, "pk": o.pk} for o in w.a_orders],
    "child_add": lambda w: [{"slug": SLUG, "pk": w.a_orders[0].pk, "child": "notes"}],
    "child_remove": lambda w: [{"slug": SLUG, "pk": w.a_orders[0].pk, "child": "notes", "cid": 1}],
}
LEDGER_PAGES: dict[str, Callable[[World], list[dict[str, Any]]]] = {
    "list": lambda w: [{"slug": SLUG}],
    "new": lambda w: [{"slug": SLUG}],
    "import": lambda w: [{"slug": SLUG}],
    "template": lambda w: [{"slug": SLUG}],
    "export": lambda w: [{"slug": SLUG}],
}


def own_urls(w: World, names: Callable[[str], bool] = lambda n: True) -> list[tuple[str, str]]:
    return [
        (name, reverse(f"hotline:{name}", kwargs=kw))
        for name, build in URLS.items()
        if names(name)
        for kw in build(w)
    ]


def web_urls(
    w: World, pages: dict[str, Callable[[World], list[dict[str, Any]]]]
) -> list[tuple[str, str]]:
    return [
        (name, reverse(f"web:{name}", kwargs=kw))
        for name, build in pages.items()
        for kw in build(w)
    ]


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def counts() -> tuple[Any, ...]:
    return (
        WorkOrder.with_voided.count(),
        WorkOrderEvent.objects.count(),
        AuditEvent.objects.count(),
        sorted(HeaderMapping.objects.values_list("unit_id", "name", "columns")),
        TaskRun.objects.count(),
        ImportBatch.objects.count(),
        sorted(WorkOrder.with_voided.values_list("pk", "status", "content", "voided_at")),
    )


def xlsx_text(content: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        return "\n".join(
            str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r
        )
    finally:
        wb.close()


def test_every_hotline_url_is_in_the_sweep() -> None:
    patterns = hotline_urls.urlpatterns
    assert all(isinstance(p, URLPattern) for p in patterns), "an include() escapes the sweep"
    names = {p.name for p in patterns}
    assert None not in names, "every hotline URL needs a name to be swept"
    assert names == set(URLS), f"not in the sweep: {names - set(URLS)}; stale: {set(URLS) - names}"
    from fazhi.core.web.registry import get_ledger

    ui = get_ledger(SLUG)
    assert ui is not None and set(ui.move_forms) == {m.code for m in MOVES}


def test_outsider_gets_404_on_everything_of_a(world: World) -> None:
    client = client_for(world.cast.b_clerk)
    before = counts()
    urls = own_urls(world, lambda n: n in A_SCOPED) + web_urls(world, RECORD_PAGES)
    urls.append(("task", reverse("tasks:detail", args=[world.a_run.pk])))
    urls.append(("task_progress", reverse("tasks:progress", args=[world.a_run.pk])))
    for name, url in urls:
        got = client.get(url)
        assert got.status_code == 404, (name, url, got.status_code)
        assert A_MARK not in got.content.decode() and A_MAPPING not in got.content.decode()
        posted = client.post(url, POST)
        assert posted.status_code == 404, (name, url, posted.status_code)
    assert counts() == before


def test_outsider_pages_show_nothing_of_a(world: World) -> None:
    client = client_for(world.cast.b_clerk)
    for name, url in own_urls(world, lambda n: n not in A_SCOPED):
        page = client.get(url)
        assert page.status_code == 200, name
        html = page.content.decode()
        assert A_MARK not in html and A_MAPPING not in html and "东湖街道" not in html, name
    queries = [{}, {"unit": "A1"}, {"q": A_MARK}, {"q": A_TEXT}, {"due": "overdue"}]
    queries += [{"status": s} for s in Status.values] + [{"repeat": "grouped"}]
    queries += [{"group": str(o.pk)} for o in world.a_orders]
    for query in queries:
        page = client.get(reverse("web:list", args=[SLUG]), query)
        assert page.status_code == 200, query
        found = re.search(r"<tbody>(.*?)</tbody>", page.content.decode(), re.S)
        body = found.group(1) if found else ""  # the rows (the page echoes the query too)
        assert A_MARK not in body and A_TEXT not in body, query
        exported = client.get(reverse("web:export", args=[SLUG]), query)
        assert exported.status_code == 200, query
        text = xlsx_text(exported.content)
        assert A_MARK not in text and A_TEXT not in text, query
    assert "BH-2026-0001" in client.get(reverse("web:list", args=[SLUG])).content.decode()
    mine = client.get(reverse("web:list", args=[SLUG]), {"group": str(world.b_order.pk)})
    assert "BH-2026-0001" in mine.content.decode()  # the group filter works, on B's own


def test_outsider_cannot_write_into_a(world: World) -> None:
    client = client_for(world.cast.b_clerk)
    before = counts()
    upload = io.BytesIO("工单编号,来电时间,诉求类型,诉求内容,承办单位\n".encode())
    upload.name = "a.csv"
    imported = client.post(reverse("hotline:import"), {**POST, "file": upload})
    assert imported.status_code == 200 and "选择一个有效的选项" in imported.content.decode()
    mapped = client.post(reverse("hotline:mappings"), POST)
    assert mapped.status_code == 200 and "选择一个有效的选项" in mapped.content.decode()
    registered = client.post(
        reverse("web:new", args=[SLUG]),
        {**POST, "number": "越权-1", "called_at": "2026-11-25T09:00"},
    )
    assert registered.status_code == 200
    assert counts() == before


def test_the_same_pages_do_show_a_to_its_own_clerk(world: World) -> None:
    """The positive control: the checks above would see A's orders if they leaked."""
    client = client_for(world.cast.a_clerk)
    for _, url in own_urls(world):
        assert client.get(url).status_code == 200, url
    assert A_MAPPING in client.get(reverse("hotline:import")).content.decode()
    for o in world.a_orders:
        assert o.number in client.get(reverse("web:detail", args=[SLUG, o.pk])).content.decode()
    assert A_MARK in client.get(reverse("web:list", args=[SLUG])).content.decode()
    assert A_MARK in xlsx_text(client.get(reverse("web:export", args=[SLUG])).content)
    assert client.get(reverse("tasks:detail", args=[world.a_run.pk])).status_code == 200


def test_supervisor_reads_and_may_not_write(world: World) -> None:
    client = client_for(world.cast.supervisor)
    before = counts()
    ranking = client.get(reverse("hotline:ranking"), {"year": "2026"}).content.decode()
    assert "东湖街道" in ranking and "西城街道" in ranking
    for o in [*world.a_orders, world.b_order]:
        page = client.get(reverse("web:detail", args=[SLUG, o.pk]))
        assert page.status_code == 200 and o.number in page.content.decode()
        assert 'class="moves"' not in page.content.decode(), "a supervisor is offered a move"
    # Nowhere to import or map into: 404, as for a page that is not theirs.
    for name, url in own_urls(world, lambda n: n in {"import", "mappings", "mapping"}):
        assert client.get(url).status_code == 404, name
        assert client.post(url, POST).status_code == 404, name
    for name, url in web_urls(world, RECORD_PAGES):
        if name in {"detail", "child_add", "child_remove"}:
            continue
        for response in (client.get(url), client.post(url, POST)):
            assert response.status_code in (302, 403, 404), (name, url, response.status_code)
    assert counts() == before
    refused = client.get(
        reverse("web:move", args=[SLUG, world.a_orders[0].pk, "dispatch"]), follow=True
    )
    assert "您没有执行「派单」的权限" in refused.content.decode()


def test_anonymous_is_sent_to_login_everywhere(world: World) -> None:
    client = Client()
    before = counts()
    login = reverse("login")
    urls = own_urls(world) + web_urls(world, RECORD_PAGES) + web_urls(world, LEDGER_PAGES)
    for name, url in urls:
        for response in (client.get(url), client.post(url, POST)):
            assert response.status_code == 302, (name, url)
            assert urlsplit(response["Location"]).path == login, (name, url)
    assert counts() == before
