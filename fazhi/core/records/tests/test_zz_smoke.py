from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from fazhi.core.records.tests.toy import actions


def test_smoke(cast: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        c = actions.register(unit=cast.street_a, by=cast.a_clerk, received_on=dt.date(2026, 11, 20), subject="x")
        assert c.number == "TOY-2026-001"
        assert c.handle_due_on is not None
