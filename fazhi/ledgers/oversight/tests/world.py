"""The oversight tests' world: fixed today; builders for a 履职记录 and a rectification item."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from fazhi.ledgers.oversight import actions
from fazhi.ledgers.oversight.models import LeaderDuty, Rectification

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def travel() -> Any:
    return time_machine.travel(NOW, tick=False)


def duty(unit: Any, by: Any, **kw: Any) -> LeaderDuty:
    fields: dict[str, Any] = {
        "held_on": d(3, 16),
        "leader": "王建国",
        "post": "党工委书记",
        "kind": "meeting",
        "subject": "党工委会议专题研究法治政府建设工作",
        "attendance": 12,
    }
    fields.update(kw)
    return actions.register_duty(unit=unit, by=by, **fields)


def item(unit: Any, by: Any, **kw: Any) -> Rectification:
    fields: dict[str, Any] = {
        "source": "inspection",
        "source_doc": "区法督〔2026〕3号",
        "fed_back_on": d(4, 10),
        "problem": "行政执法公示信息更新不及时",
        "measures": "建立执法信息公示周报制度",
        "department": "综合行政执法队",
        "owner": "孙伟",
        "deadline": d(6, 30),
    }
    fields.update(kw)
    return actions.register_rectification(unit=unit, by=by, **fields)
