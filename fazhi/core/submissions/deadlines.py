"""The statutory dates of the annual reports and the clocks on 待办: pure functions of dates.

法治政府建设情况报告: to the unit above by FAZHI_FAZHI_SUBMIT_DEADLINE (3月1日), published by
FAZHI_FAZHI_PUBLISH_DEADLINE (4月1日) of the following year. 政府信息公开工作年度报告:
published by 1月31日 (departments), 3月31日 (governments), 街道/乡镇 by a local rule
(FAZHI_XXGK_TOWNSHIP_REPORT_DEADLINE); the 条例 sets no separate date for sending it up, so it
must reach the supervisor by the same date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from fazhi.core.tenancy.models import UnitKind


def _on(year: int, month_day: tuple[int, int]) -> dt.date:
    return dt.date(year + 1, *month_day)


def publish_due(kind: str, unit_kind: str, year: int) -> dt.date:
    if kind == "fazhi":
        return _on(year, settings.FAZHI_FAZHI_PUBLISH_DEADLINE)
    if unit_kind == UnitKind.DEPARTMENT:
        return _on(year, settings.FAZHI_XXGK_DEPARTMENT_REPORT_DEADLINE)
    if unit_kind == UnitKind.DISTRICT:
        return _on(year, settings.FAZHI_XXGK_GOVERNMENT_REPORT_DEADLINE)
    return _on(year, settings.FAZHI_XXGK_TOWNSHIP_REPORT_DEADLINE)


def submit_due(kind: str, unit_kind: str, year: int) -> dt.date:
    if kind == "fazhi":
        return _on(year, settings.FAZHI_FAZHI_SUBMIT_DEADLINE)
    return publish_due(kind, unit_kind, year)


@dataclass(frozen=True)
class Clock:
    label: str  # "报送期限", "公开期限"
    due: dt.date
    state: str  # "逾期", "临期" or ""

    @property
    def shown(self) -> str:
        return f"{self.label} {self.due:%Y-%m-%d}"


def clock(label: str, due: dt.date, today: dt.date) -> Clock:
    if today > due:
        return Clock(label, due, "逾期")
    if (due - today).days <= settings.FAZHI_SUBMISSION_DUE_SOON_DAYS:
        return Clock(label, due, "临期")
    return Clock(label, due, "")


def unit_clock(kind: str, unit_kind: str, year: int, status: str, today: dt.date) -> Clock | None:
    """The submitting unit's clock: send (or send again) by the date; none once it is sent."""
    if status in ("", "returned"):
        return clock("报送期限", submit_due(kind, unit_kind, year), today)
    return None


def supervisor_clock(
    kind: str, unit_kind: str, year: int, status: str, today: dt.date
) -> Clock | None:
    """The supervisor's clock: a report waiting for review or publication, against the date
    it must be public by; a unit that sent nothing runs against its own 报送期限."""
    if status in ("submitted", "accepted"):
        return clock("公开期限", publish_due(kind, unit_kind, year), today)
    if status in ("", "returned"):
        return clock("报送期限", submit_due(kind, unit_kind, year), today)
    return None
