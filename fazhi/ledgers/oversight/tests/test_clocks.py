"""The 整改时限 on 待办: 逾期 once past it, 临期 within FAZHI_OVERSIGHT_DUE_SOON_DAYS calendar
days (the other ledgers keep the kit's workdays), gone once the item is closed; an extension
moves it. On the page as on the kit's filters."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.urls import reverse

from fazhi.core.records import perform, queries
from fazhi.core.records.clocks import badge
from fazhi.ledgers.oversight import actions
from fazhi.ledgers.oversight.ledger import RECTIFICATIONS
from fazhi.ledgers.oversight.models import Rectification
from fazhi.ledgers.oversight.tests import pufa
from fazhi.ledgers.oversight.tests.world import TODAY, d, item


def todo() -> dict[str, list[str]]:
    groups = queries.todo(RECTIFICATIONS, Rectification.objects.all(), TODAY)
    return {k: sorted(qs.values_list("problem", flat=True)) for k, qs in groups.items()}


def world(cast: Any) -> dict[str, Rectification]:
    a, by = cast.street_a, cast.a_clerk
    return {
        "late": item(a, by, problem="逾期事项", deadline=d(11, 20)),
        "soon": item(a, by, problem="临期事项", deadline=d(12, 5)),  # 10 days ahead
        "edge": item(a, by, problem="第15天", deadline=d(12, 10)),  # exactly 15 days ahead
        "later": item(a, by, problem="尚早事项", deadline=d(12, 20)),  # 25 days ahead
        "today": item(a, by, problem="今天到期", deadline=TODAY),
    }


def test_overdue_and_due_soon_follow_the_items_own_window(cast: Any, now: dt.date) -> None:
    items = world(cast)
    assert todo() == {"逾期": ["逾期事项"], "临期": ["临期事项", "今天到期", "第15天"]}
    assert [badge(RECTIFICATIONS, items[k], TODAY) for k in ("late", "soon", "later")] == [
        "逾期",
        "临期",
        "",
    ]


def test_the_window_is_a_setting(cast: Any, now: dt.date, settings: Any) -> None:
    world(cast)
    settings.FAZHI_OVERSIGHT_DUE_SOON_DAYS = 30
    assert todo()["临期"] == ["临期事项", "今天到期", "尚早事项", "第15天"]
    settings.FAZHI_OVERSIGHT_DUE_SOON_DAYS = 0
    assert todo()["临期"] == ["今天到期"]


def test_other_ledgers_keep_the_kits_workday_window(cast: Any, now: dt.date) -> None:
    duties = pufa.ledger("pufa_duties")
    duty = perform.register(duties, unit=cast.street_a, by=cast.a_clerk, fields={
        "year": 2026, "department": "司法所", "content": "宪法宣传周", "laws": "",
        "listed_on": d(1, 10), "planned_on": d(12, 10),
    })  # fmt: skip
    assert duty.due_on == d(12, 10)  # 15 days ahead: 临期 here, not there
    assert not queries.due_soon(duties, duties.model.objects.all(), TODAY).exists()


def test_closing_or_extending_takes_an_item_off_or_moves_it(cast: Any, now: dt.date) -> None:
    items = world(cast)
    actions.complete(items["late"], by=cast.a_clerk, on=TODAY, evidence="已完成，附制度文件")
    actions.ongoing(items["soon"], by=cast.a_leader, on=TODAY, evidence="已建立长效机制")
    actions.extend(items["today"], by=cast.a_leader, on=TODAY, deadline=d(3, 31, 2027),
                   reason="涉及区级部门协调")  # fmt: skip
    assert todo() == {"逾期": [], "临期": ["第15天"]}
    started = actions.start(items["edge"], by=cast.a_clerk, on=TODAY)
    assert badge(RECTIFICATIONS, started, TODAY) == "临期"  # 整改中 still runs


def test_the_todo_page_shows_them_under_their_badges(cast: Any, now: dt.date) -> None:
    world(cast)
    client = Client()
    client.force_login(cast.a_clerk)
    html = client.get(reverse("web:home")).content.decode()
    section = re.search(r"<h2>督察整改事项</h2>.*?</section>", html, re.S)
    assert section is not None, html
    text = section.group(0)
    overdue, soon = text.split('<span class="badge soon">临期</span>')
    assert "逾期事项" in overdue and "临期事项" not in overdue
    assert "临期事项" in soon and "第15天" in soon and "尚早事项" not in text
