"""The 普法 figures, registered with core.metrics: each a predicate over one ledger's records
for a year, so every figure lists exactly the records it counts. Per theme, per kind of study
and per department they are the same predicates narrowed; per community (法律明白人) the
statistics page narrows the roster's predicate by the community's name (`views.stats`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Q, Sum

from fazhi.core.metrics import Indicator, register
from fazhi.ledgers.pufa.models import (
    EXAMS,
    STUDIES,
    Activity,
    Duty,
    DutyStatus,
    Person,
    Study,
    StudyKind,
    Theme,
)


def _year(field: str, year: int) -> Q:
    return Q(**{f"{field}__gte": dt.date(year, 1, 1), f"{field}__lte": dt.date(year, 12, 31)})


def held(year: int) -> Q:
    return _year("held_on", year)


def on_roster(year: int) -> Q:
    """On the roster at the end of the year (or today, for the current one: nobody joins or
    leaves in the future)."""
    end = dt.date(year, 12, 31)
    return Q(joined_on__lte=end) & (Q(left_on__isnull=True) | Q(left_on__gt=end))


def _sum(field: str, q: Q) -> Sum:
    return Sum(field, filter=q)


def _studies(year: int) -> Q:
    return held(year) & Q(kind__in=sorted(STUDIES))


def _exams(year: int) -> Q:
    return held(year) & Q(kind__in=sorted(EXAMS))


def _of_kind(code: str) -> Callable[[int], Q]:
    return lambda year: held(year) & Q(kind=code)


def _activities(code: str, label: str, narrow: Q) -> Indicator:
    return Indicator(
        f"pufa.activities{code}",
        f"普法活动场次{label}",
        f"活动日期在本年度内的普法活动{label}",
        Activity,
        lambda y: held(y) & narrow,
    )


register(
    _activities("", "", Q()),
    *(_activities(f".theme.{code}", f"（{name}）", Q(theme=code)) for code, name in Theme.choices),
    Indicator(
        "pufa.attendance",
        "普法活动参与人次",
        "活动日期在本年度内的普法活动参与人次之和",
        Activity,
        held,
        value=lambda y: _sum("attendance", held(y)),
    ),
    Indicator(
        "pufa.materials",
        "发放普法资料份数",
        "活动日期在本年度内的普法活动发放资料份数之和",
        Activity,
        held,
        value=lambda y: _sum("materials", held(y)),
    ),
    Indicator(
        "pufa.online",
        "线上覆盖人次",
        "活动日期在本年度内的普法活动线上覆盖（浏览、观看、参与）人次之和",
        Activity,
        held,
        value=lambda y: _sum("online_reach", held(y)),
    ),
    Indicator(
        "pufa.duty_rate",
        "普法责任清单完成率",
        "已由普法活动落实的清单事项数 ÷ 本年度普法责任清单事项数",
        Duty,
        lambda y: Q(year=y),
        numerator=lambda y: Q(status=DutyStatus.DONE),
    ),
    Indicator(
        "pufa.people",
        "法律明白人人数",
        "年末（本年为今天）在册的法律明白人：纳入名册日期不晚于年末、未退出或年末以后退出",
        Person,
        on_roster,
    ),
    Indicator(
        "pufa.studies",
        "学法次数",
        "日期在本年度内的中心组学法、法律讲堂、会前学法和其他集体学法",
        Study,
        _studies,
    ),
    *(
        Indicator(
            f"pufa.studies.{code}",
            f"学法次数（{name}）",
            f"日期在本年度内的{name}",
            Study,
            _of_kind(code),
        )
        for code, name in StudyKind.choices
        if code in STUDIES
    ),
    Indicator(
        "pufa.exams",
        "考试场次",
        "日期在本年度内的学法用法考试和任前法律知识考试",
        Study,
        _exams,
    ),
    Indicator(
        "pufa.exam_participation",
        "考试参考率",
        "本年度各场考试实际参考人数之和 ÷ 应参考人数之和",
        Study,
        _exams,
        numerator=lambda y: Q(),
        value=lambda y: _sum("expected", _exams(y)),
        numerator_value=lambda y: _sum("participants", _exams(y)),
    ),
    Indicator(
        "pufa.exam_pass_rate",
        "考试通过率",
        "本年度各场考试通过人数之和 ÷ 实际参考人数之和",
        Study,
        _exams,
        numerator=lambda y: Q(),
        value=lambda y: _sum("participants", _exams(y)),
        numerator_value=lambda y: _sum("passed", _exams(y)),
    ),
)

HEADLINE = (
    "pufa.activities",
    "pufa.attendance",
    "pufa.materials",
    "pufa.online",
    "pufa.duty_rate",
    "pufa.people",
    "pufa.studies",
    "pufa.exams",
    "pufa.exam_participation",
    "pufa.exam_pass_rate",
)
