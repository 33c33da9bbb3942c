from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from fazhi.core.tenancy.actions import add_unit, add_user
from fazhi.ledgers.mediation import actions
from fazhi.ledgers.mediation.models import Committee

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


PARTIES = [
    {
        "kind": "person",
        "name": "张三",
        "id_number": "",
        "contact": "13900001111",
        "address": "东湖路1号",
    },
    {"kind": "org", "name": "东湖物业服务有限公司", "id_number": "", "contact": "", "address": ""},
]


@dataclass
class Med:
    cast: Any
    community: Any
    c_clerk: Any
    community_committee: Committee
    street_committee: Committee
    b_committee: Committee


def travel() -> Any:
    return time_machine.travel(NOW, tick=False)


def make_med(cast: Any) -> Med:
    """A 社区 under 街道 A with its clerk; committees in the 社区, in 街道 A and in 街道 B."""
    community = add_unit(
        code="A1C1", name="东湖社区", kind="community", parent=cast.street_a, by=None
    )
    c_clerk = add_user(
        username="c_clerk",
        unit=community,
        role="clerk",
        password="x",
        by=None,
        check_password=False,
    )

    def committee(unit: Any, by: Any, name: str, kind: str) -> Committee:
        return actions.register_committee(
            unit=unit,
            by=by,
            name=name,
            kind=kind,
            term_start=d(1, 5, 2025),
            members="李红 女\n王强 男\n赵敏 女",
        )

    return Med(
        cast,
        community,
        c_clerk,
        committee(community, c_clerk, "东湖社区人民调解委员会", "community"),
        committee(cast.street_a, cast.a_clerk, "东湖街道人民调解委员会", "street"),
        committee(cast.street_b, cast.b_clerk, "西城街道人民调解委员会", "street"),
    )


RECEIVED = dt.date(2026, 11, 2)


def new_case(unit: Any, by: Any, on: dt.date = RECEIVED, **kw: Any) -> Any:
    fields: dict[str, Any] = {
        "received_on": on,
        "source": "application",
        "dispute_type": "neighbour",
        "summary": "楼上漏水致楼下墙面受损",
        "parties": PARTIES,
    }
    fields.update(kw)
    return actions.register(unit=unit, by=by, **fields)
