"""Shared pieces of the record kit's tests, on the toy ledger (fazhi/core/records/tests/toy)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from fazhi.core.audit.models import AuditEvent
from fazhi.core.imports.writing import write_csv
from fazhi.core.records import bulk
from fazhi.core.records.bulk import ImportOutcome
from fazhi.core.records.tests.toy import actions
from fazhi.core.records.tests.toy.ledger import LEDGER
from fazhi.core.records.tests.toy.models import Case, CaseEvent, Note
from fazhi.core.records.tests.toy.ui import DECLARATION

TZ = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 11, 25)  # a Wednesday; November and December 2026 have no holidays
RECEIVED = dt.date(2026, 11, 2)  # a Monday: 10 工作日 run to 11-16, 5日 to Saturday 11-07 → 11-09


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def at(day: dt.date, hour: int = 10) -> Any:
    """Travel to `day` (today for the kit and for `timezone.localdate()`)."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=TZ), tick=False)


def new_case(cast: Any, on: dt.date = RECEIVED, *, by: Any = None, **fields: Any) -> Case:
    fields.setdefault("subject", "示例事项")
    return actions.register(unit=cast.street_a, by=by or cast.a_clerk, received_on=on, **fields)


def step(case: Case, code: str, by: Any, on: dt.date, **kw: Any) -> Case:
    return actions.step(case, code, by=by, on=on, **kw)


def fresh(case: Case) -> Case:
    return Case.with_voided.get(pk=case.pk)


def counts() -> dict[str, int]:
    return {
        "cases": Case.with_voided.count(),
        "events": CaseEvent.objects.count(),
        "undone": CaseEvent.objects.filter(undone_at__isnull=False).count(),
        "notes": Note.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def import_rows(cast: Any, rows: list[dict[str, object]], *, by: Any = None) -> ImportOutcome:
    """Import `rows` (column header -> cell) into 街道 A as a CSV file of the toy ledger."""
    headers = [c.header for c in DECLARATION.spec.columns]
    data = write_csv(headers, [[row.get(h, "") for h in headers] for row in rows])
    return bulk.import_file(
        LEDGER, DECLARATION, unit=cast.street_a, by=by or cast.a_clerk, data=data, filename="t.csv"
    )


def row(number: str, received: str = "2026-11-02", **steps: str) -> dict[str, object]:
    """One line of the toy import file; `steps` by header, e.g. {"提交审核日期": "2026-11-05"}."""
    return {"案件编号": number, "收到日期": received, "事项": "导入事项", "类型": "个人", **steps}


def kinds(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(record=case).values_list("kind", flat=True))


__all__ = [
    "LEDGER",
    "RECEIVED",
    "TODAY",
    "at",
    "counts",
    "d",
    "fresh",
    "import_rows",
    "kinds",
    "new_case",
    "row",
    "step",
]
