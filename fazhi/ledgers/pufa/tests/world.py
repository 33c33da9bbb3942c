"""The 普法 tests' world: 街道 A's 责任清单 with two items, 街道 B's with one, fixed today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from fazhi.ledgers.pufa import actions
from fazhi.ledgers.pufa.models import Activity, Duty, Person, Study

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def travel() -> Any:
    return time_machine.travel(NOW, tick=False)


@dataclass
class World:
    cast: Any
    a_law: Duty  # 司法所: 民法典 lectures, planned by 2026-05-31
    a_safety: Duty  # 安全生产办: no planned date (due 2026-12-31)
    b_duty: Duty  # numbered XC-QD-001: no item of A has that number


def duty(unit: Any, by: Any, department: str, content: str, **kw: Any) -> Duty:
    fields: dict[str, Any] = {"year": 2026, "listed_on": d(1, 10)}
    fields.update(kw)
    return actions.register_duty(unit=unit, by=by, department=department, content=content, **fields)


def make_world(cast: Any) -> World:
    return World(
        cast,
        duty(
            cast.street_a,
            cast.a_clerk,
            "司法所",
            "举办民法典进社区专题讲座",
            laws="《中华人民共和国民法典》",
            planned_on=d(5, 31),
        ),
        duty(cast.street_a, cast.a_clerk, "安全生产办", "开展安全生产法宣传"),
        duty(cast.street_b, cast.b_clerk, "司法所", "开展宪法宣传周集中宣传", number="XC-QD-001"),
    )


def activity(unit: Any, by: Any, **kw: Any) -> Activity:
    fields: dict[str, Any] = {
        "held_on": d(5, 20),
        "title": "民法典进社区",
        "theme": "civil_code_month",
        "form": "lecture",
        "venue": "东湖社区党群服务中心",
        "audience": "residents",
        "attendance": 120,
        "materials": 300,
        "online_reach": 0,
    }
    fields.update(kw)
    return actions.register_activity(unit=unit, by=by, **fields)


def person(unit: Any, by: Any, **kw: Any) -> Person:
    fields: dict[str, Any] = {
        "community": "东湖社区",
        "name": "李明",
        "gender": "male",
        "background": "grid",
        "phone": "13900001111",
        "id_number": "11010519491231002X",
        "joined_on": d(3, 1),
    }
    fields.update(kw)
    return actions.register_person(unit=unit, by=by, **fields)


def study(unit: Any, by: Any, **kw: Any) -> Study:
    fields: dict[str, Any] = {
        "held_on": d(3, 8),
        "kind": "pre_meeting",
        "topic": "学习《行政复议法》",
        "expected": 25,
        "participants": 23,
    }
    fields.update(kw)
    return actions.register_study(unit=unit, by=by, **fields)
