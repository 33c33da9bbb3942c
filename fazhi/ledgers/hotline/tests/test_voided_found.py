"""A voided record keeps its number and can be found: the refusal to register the number
again links to the voided record's page, and the list's 作废记录 filter (含已作废 / 仅已作废)
lists it, through the tenant door."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from fazhi.core.records import corrections
from fazhi.ledgers.hotline import actions
from fazhi.ledgers.hotline.ledger import LEDGER

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 12, 7, 15))  # noqa: DTZ001 (local)


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _voided(cast: Any) -> Any:
    fields = {"called_at": NOW - dt.timedelta(hours=2), "category": "consult", "content": "测试"}
    order = actions.register(unit=cast.street_a, by=cast.a_clerk, number="T-LONG", **fields)
    actions.register(unit=cast.street_a, by=cast.a_clerk, number="T-LIVE", **fields)
    return corrections.void(LEDGER, order, by=cast.a_leader, reason="测试数据")


def _listed(client: Client, **params: str) -> list[str]:
    page = client.get("/l/hotline/", params).content.decode()
    return re.findall(r'<a href="/l/hotline/\d+/">(T-[A-Z]+)</a>', page)


def test_the_refusal_links_to_the_voided_record(cast: Any) -> None:
    order = _voided(cast)
    client = Client()
    client.force_login(cast.a_clerk)
    page = client.post(
        "/l/hotline/new/",
        {
            "unit": cast.street_a.code,
            "number": "T-LONG",
            "called_at": "2026-12-07 13:00",
            "category": "consult",
            "urgency": "normal",
            "content": "再次登记",
        },
    ).content.decode()
    assert "编号「T-LONG」已被一条作废的记录占用" in page
    assert f'<a href="/l/hotline/{order.pk}/">查看该作废记录</a>' in page
    assert "已作废" in client.get(f"/l/hotline/{order.pk}/").content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "T-LONG"}, []),
        ({"q": "T-LONG", "voided": "include"}, ["T-LONG"]),
        ({"voided": "include"}, ["T-LIVE", "T-LONG"]),
        ({"voided": "only"}, ["T-LONG"]),
        ({}, ["T-LIVE"]),
    ],
)
def test_the_list_finds_voided_records_when_asked(
    cast: Any, params: dict[str, str], expected: list[str]
) -> None:
    _voided(cast)
    client = Client()
    client.force_login(cast.a_clerk)
    assert sorted(_listed(client, **params)) == expected
    outsider = Client()
    outsider.force_login(cast.b_clerk)  # another street: not through its door
    assert _listed(outsider, **params) == []


def test_a_voided_row_is_marked(cast: Any) -> None:
    _voided(cast)
    client = Client()
    client.force_login(cast.a_clerk)
    page = client.get("/l/hotline/", {"voided": "only"}).content.decode()
    assert '<span class="badge info">已作废</span>' in page and "共 1 条" in page
