"""A limit with a time of day: an order due at 04:30 is 临期 until then and 逾期 from the minute
after, on its last day too — in the list's badge, its 期限 filter, 待办 and the detail page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from fazhi.ledgers.hotline import actions
from fazhi.ledgers.hotline.models import WorkOrder

pytestmark = pytest.mark.django_db


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 12, day, hour, minute))  # noqa: DTZ001


def _order(cast: Any) -> WorkOrder:
    """An urgent 咨询 dispatched at 02:30 on Monday 7 December: the SLA's 2 hours, 04:30."""
    with time_machine.travel(local(7, 3), tick=False):
        order = actions.register(
            unit=cast.street_a,
            by=cast.a_clerk,
            number="T-0430",
            called_at=local(7, 2),
            category="consult",
            urgency="urgent",
            content="咨询停水时间",
        )
        order = actions.dispatch(order, by=cast.a_clerk, at=local(7, 2, 30))
    assert order.time_limit == local(7, 4, 30)
    return order


def _group_of(page: str, number: str) -> str:
    """The 待办 group (逾期 / 临期) whose rows list the order, or ""."""
    at = page.find(f">{number}</a>")
    if at < 0:
        return ""
    late, soon = page.rfind('badge overdue">逾期', 0, at), page.rfind('badge soon">临期', 0, at)
    return "逾期" if late > soon else "临期" if soon >= 0 else ""


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(7, 4, 29), "临期"),
        (local(7, 4, 30), "临期"),  # due at 04:30: done by then is on time
        (local(7, 4, 31), "逾期"),
        (local(7, 5, 12), "逾期"),
        (local(8, 9, 0), "逾期"),  # the next day, as before
    ],
)
def test_badge_filters_and_todo_agree_around_the_limit(
    cast: Any, now: dt.datetime, expected: str
) -> None:
    order = _order(cast)
    other = {"逾期": "临期", "临期": "逾期"}[expected]
    wanted = {"逾期": "overdue", "临期": "due_soon"}
    with time_machine.travel(now, tick=False):
        client = Client()
        client.force_login(cast.a_clerk)  # a session of that morning
        listed = client.get("/l/hotline/").content.decode()
        assert f'class="badge {"overdue" if expected == "逾期" else "soon"}">{expected}' in listed
        assert f">{other}</span>" not in listed
        assert "T-0430" in client.get("/l/hotline/", {"due": wanted[expected]}).content.decode()
        assert "T-0430" not in client.get("/l/hotline/", {"due": wanted[other]}).content.decode()
        assert _group_of(client.get("/").content.decode(), "T-0430") == expected
        detail = client.get(f"/l/hotline/{order.pk}/").content.decode()
        assert f'class="badge {"overdue" if expected == "逾期" else "soon"}">{expected}' in detail
