"""The 信访 ledger's figures, registered with core.metrics, each a predicate over matters."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, Sum, TextChoices
from django.utils import timezone

from fazhi.core.metrics import Indicator, register
from fazhi.ledgers.petitions.models import (
    Category,
    Form,
    Petition,
    ReviewResult,
    Satisfaction,
    Source,
)


def _year(field: str, year: int) -> Q:
    return Q(**{f"{field}__gte": dt.date(year, 1, 1), f"{field}__lte": dt.date(year, 12, 31)})


def received(year: int) -> Q:
    return _year("received_on", year)


def _counted(code: str, name: str, definition: str, q: object) -> Indicator:
    return Indicator(code, name, definition, Petition, q)  # type: ignore[arg-type]


register(
    _counted("xf.received", "本年收到信访事项", "收到日期在本年度内的信访事项", received),
    Indicator(
        "xf.accepted_in_time_rate",
        "及时受理率",
        "收到之日起15日内受理、转送或不予受理（并告知）的件数 ÷ 本年收到、已作出处理或"
        "告知期限已过的件数",
        Petition,
        lambda y: (
            received(y)
            & Q(notice_due_on__isnull=False)
            & (Q(routed_on__isnull=False) | Q(notice_due_on__lt=timezone.localdate()))
        ),
        numerator=lambda y: Q(routed_on__lte=F("notice_due_on")),
    ),
    Indicator(
        "xf.on_time_rate",
        "按期办结率",
        "在办理期限（含批准延长的期限）内出具意见书或达成协议的件数 ÷ 本年办结件数",
        Petition,
        lambda y: _year("replied_on", y) & Q(handle_due_on__isnull=False),
        numerator=lambda y: Q(replied_on__lte=F("handle_due_on")),
    ),
    Indicator(
        "xf.satisfaction_rate",
        "满意率",
        "回访结果为满意或基本满意的件数 ÷ 本年办结且已回访的件数",
        Petition,
        lambda y: _year("replied_on", y) & ~Q(satisfaction=""),
        numerator=lambda y: Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY]),
    ),
    Indicator(
        "xf.visit_batches",
        "来访批次",
        "来访日期在本年度内的来访登记（每次来访为一批次）",
        Petition,
        lambda y: _year("visits__on", y) & Q(visits__removed_at__isnull=True),
        value=lambda y: Count(
            "visits", filter=_year("visits__on", y) & Q(visits__removed_at__isnull=True)
        ),
    ),
    Indicator(
        "xf.visit_people",
        "来访人次",
        "来访日期在本年度内的各批次来访人数之和",
        Petition,
        lambda y: _year("visits__on", y) & Q(visits__removed_at__isnull=True),
        value=lambda y: Sum(
            "visits__visitors",
            filter=_year("visits__on", y) & Q(visits__removed_at__isnull=True),
        ),
    ),
)


def _by(prefix: str, field: str, label: str, choices: type[TextChoices]) -> list[Indicator]:
    return [
        _counted(
            f"xf.{prefix}.{code}",
            f"本年收到的{name}{'' if prefix != 'form' else '件数'}",
            f"收到日期在本年度内、{label}为“{name}”的信访事项",
            lambda y, c=code: received(y) & Q(**{field: c}),
        )
        for code, name in choices.choices
    ]


register(
    *_by("form", "form", "信访形式", Form),
    *_by("category", "category", "信访类型", Category),
    *_by("source", "source", "来源", Source),
    *(
        _counted(
            f"xf.{kind}.{code}",
            f"{'复查' if kind == 'review' else '复核'}结果：{name}",
            f"{'复查' if kind == 'review' else '复核'}意见日期在本年度内、结果为“{name}”的事项",
            lambda y, k=kind, c=code: (
                Q(
                    **{f"{k}_result": c},
                    events__kind=f"{k}_decided",
                    events__undone_at__isnull=True,
                )
                & _year("events__on", y)
            ),
        )
        for kind in ("review", "recheck")
        for code, name in ReviewResult.choices
    ),
)
