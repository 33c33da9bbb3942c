"""The figures of item 3 of the 法治政府建设 report (the 第一责任人's duties) and of the
rectification that followed 督察, 考核, 审计 and 巡视巡察, registered with core.metrics: each a
predicate over one ledger's live records for a year, so every figure lists exactly the records
it counts. The report reads them by code; the codes are a contract."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import F, Q

from fazhi.core.metrics import Indicator, register
from fazhi.ledgers.oversight.models import DutyKind, LeaderDuty, Rectification, RectifyStatus


def _year(field: str, year: int) -> Q:
    return Q(**{f"{field}__gte": dt.date(year, 1, 1), f"{field}__lte": dt.date(year, 12, 31)})


def _duties(kind: str) -> Callable[[int], Q]:
    return lambda year: _year("held_on", year) & Q(kind=kind)


def _duty(code: str, kind: DutyKind, name: str, what: str) -> Indicator:
    return Indicator(
        f"oversight.{code}",
        name,
        f"履职日期在本年度内、类别为“{kind.label}”的第一责任人履职记录（{what}；待确认的也计入，作废的不计）",
        LeaderDuty,
        _duties(kind),
    )


def due_or_closed(year: int) -> Q:
    """The year's rectification items: due in the year (整改时限, as extended) or closed in it
    (已完成 or 长期坚持, by 完成（销号）日期)."""
    return _year("deadline", year) | _year("done_on", year)


def completed(year: int) -> Q:
    return Q(status=RectifyStatus.DONE) & _year("done_on", year)


register(
    _duty(
        "meetings",
        DutyKind.MEETING,
        "研究法治工作会议次数",
        "党委（党组）会议、政府常务会议等专题研究法治工作",
    ),
    Indicator(
        "oversight.duties",
        "第一责任人履职记录数",
        "履职日期在本年度内的第一责任人履职记录，不分类别（待确认的也计入，作废的不计）",
        LeaderDuty,
        lambda year: _year("held_on", year),
    ),
    _duty("shufa", DutyKind.SHUFA, "述法次数", "年终述职中述法、专题述法"),
    _duty("instructions", DutyKind.INSTRUCTION, "法治工作批示件数", "对法治建设工作作出的批示"),
    _duty("study", DutyKind.STUDY, "带头学法次数", "主要负责人带头参加或主讲的学法"),
    _duty(
        "court", DutyKind.COURT, "出庭应诉次数", "行政机关负责人出庭应诉行政诉讼案件，按案号登记"
    ),
    Indicator(
        "oversight.rectify_items",
        "督察整改事项数",
        "本年度的督察整改事项：整改时限（经批准延长的，以延长后为准）在本年度内，"
        "或在本年度内完成、转为长期坚持的",
        Rectification,
        due_or_closed,
    ),
    Indicator(
        "oversight.rectify_done_rate",
        "督察整改完成率",
        "本年度内整改完成（状态为已完成、完成日期在本年度内）的事项数 ÷ 本年度的督察整改事项数"
        "（整改时限在本年度内，或在本年度内完成、转为长期坚持的）；长期坚持的计入分母、不计为完成",
        Rectification,
        due_or_closed,
        numerator=completed,
    ),
    Indicator(
        "oversight.rectify_on_time_rate",
        "督察整改按期完成率",
        "本年度内整改完成的事项中，完成日期不晚于整改时限（经批准延长的，以延长后为准）的事项数 ÷ "
        "本年度内整改完成的事项数",
        Rectification,
        completed,
        numerator=lambda year: Q(done_on__lte=F("deadline")),
    ),
)

DUTY_CODES = (
    "oversight.duties",
    "oversight.meetings",
    "oversight.shufa",
    "oversight.instructions",
    "oversight.study",
    "oversight.court",
)
RECTIFY_CODES = (
    "oversight.rectify_items",
    "oversight.rectify_done_rate",
    "oversight.rectify_on_time_rate",
)
HEADLINE = DUTY_CODES + RECTIFY_CODES
