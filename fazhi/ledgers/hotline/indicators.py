"""The hotline's figures as predicates (core.metrics). No national standard defines them
(legal-rules §9): the definitions follow the settings and are shown with every figure.

| code | figure | definition |
|---|---|---|
| hotline.orders | 受理工单数 | orders called in that year |
| hotline.on_time_rate | 按时办结率 | of the dispatched orders handled, those fed back (or closed, FAZHI_HOTLINE_ON_TIME_BY) no later than 办理时限 |
| hotline.closed_rate | 办结率 | of the orders called in the year, those closed |
| hotline.satisfied_rate | 满意率 | of the orders visited back (a result other than 未回访), those in FAZHI_HOTLINE_SATISFIED |
| hotline.return_rate | 退单率 | of the dispatched orders, those returned at least once |
| hotline.repeat_rate | 重复诉求率 | of the orders, those flagged as repeating an earlier one |
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, Q

from fazhi.core.metrics import Indicator, register
from fazhi.ledgers.hotline import repeats
from fazhi.ledgers.hotline.models import VisitResult, WorkOrder


def _year(y: int) -> Q:
    return Q(called_on__year=y)


def done_field() -> str:
    return "closed_at" if settings.FAZHI_HOTLINE_ON_TIME_BY == "closed" else "feedback_at"


def satisfied_codes() -> list[str]:
    return [c.strip() for c in settings.FAZHI_HOTLINE_SATISFIED.split(",") if c.strip()]


def _handled(y: int) -> Q:
    return _year(y) & Q(dispatched_at__isnull=False) & Q(**{f"{done_field()}__isnull": False})


def _on_time(y: int) -> Q:
    return Q(time_limit__isnull=False) & Q(**{f"{done_field()}__lte": F("time_limit")})


def _visited(y: int) -> Q:
    return _year(y) & ~Q(visit_result="") & ~Q(visit_result=VisitResult.NONE)


def on_time_definition() -> str:
    done = "办结时间" if done_field() == "closed_at" else "反馈时间"
    return f"{done}不晚于办理时限的工单数 ÷ 已派单且已{done[:2]}的工单数"


def satisfied_definition() -> str:
    labels = "、".join(VisitResult(c).label for c in satisfied_codes() if c in VisitResult.values)
    return f"回访结果为{labels}的工单数 ÷ 已回访（不含未回访）的工单数"


register(
    Indicator("hotline.orders", "受理工单数", "当年来电受理的工单数", WorkOrder, _year),
    Indicator(
        "hotline.on_time_rate",
        "按时办结率",
        on_time_definition(),
        WorkOrder,
        _handled,
        numerator=_on_time,
    ),
    Indicator(
        "hotline.closed_rate",
        "办结率",
        "已办结的工单数 ÷ 当年受理的工单数",
        WorkOrder,
        _year,
        numerator=lambda y: Q(closed_at__isnull=False),
    ),
    Indicator(
        "hotline.satisfied_rate",
        "满意率",
        satisfied_definition(),
        WorkOrder,
        _visited,
        numerator=lambda y: Q(visit_result__in=satisfied_codes()),
    ),
    Indicator(
        "hotline.return_rate",
        "退单率",
        "退单一次以上的工单数 ÷ 已派单的工单数",
        WorkOrder,
        lambda y: _year(y) & Q(dispatched_at__isnull=False),
        numerator=lambda y: Q(returns__gt=0),
    ),
    Indicator(
        "hotline.repeat_rate",
        "重复诉求率",
        f"标记为重复诉求的工单数 ÷ 当年受理的工单数（{repeats.definition()}）",
        WorkOrder,
        _year,
        numerator=lambda y: Q(repeat_of__isnull=False),
    ),
)

SUMMARY = (
    "hotline.orders",
    "hotline.on_time_rate",
    "hotline.closed_rate",
    "hotline.satisfied_rate",
    "hotline.return_rate",
    "hotline.repeat_rate",
)
