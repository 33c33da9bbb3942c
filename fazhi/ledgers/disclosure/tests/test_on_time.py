"""在法定期限内答复: defined for every way an application ends, and counted so in 一（二）
and the 按时答复率 (an application closed as 逾期不补正 used to count as answered late).

Every application here is received Monday 2026-03-02: reply due 3/30, a 补正 notice due by
3/11; a fee notice 3/4 leaves the applicant to 4/1."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import override_settings

from fazhi.core.metrics import evaluate, get_indicator
from fazhi.ledgers.disclosure import actions, report
from fazhi.ledgers.disclosure.bulk import import_file
from fazhi.ledgers.disclosure.indicators import ON_TIME_DEFINITION
from fazhi.ledgers.disclosure.models import Application
from fazhi.ledgers.disclosure.tests import replycase
from fazhi.ledgers.disclosure.tests.importcase import base_row, xlsx_bytes

D = dt.date
pytestmark = pytest.mark.django_db
RECEIVED = D(2026, 3, 2)
SERIAL = itertools.count(1)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        yield


def _new(cast: Any) -> Any:
    return actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=RECEIVED,
        applicant_category="natural_person",
        applicant_name="王某",
        content="辖区老旧小区改造项目清单",
    )


def replied(on: dt.date, outcome: str = "granted") -> Callable[[Any], Any]:
    def make(cast: Any) -> Any:
        return actions.reply(
            app=_new(cast), by=cast.a_clerk, on=on, outcome=outcome, **replycase.content(outcome)
        )

    return make


def extended_then_replied(cast: Any) -> Any:
    app = actions.extend(
        app=_new(cast), by=cast.a_leader, on=D(2026, 3, 20), reason="档案多", told_on=D(2026, 3, 20)
    )
    return actions.reply(
        app=app,
        by=cast.a_clerk,
        on=D(2026, 4, 27),
        outcome="partial",
        **replycase.content("partial"),
    )


def uncorrected(cast: Any) -> Any:
    """The notice on the 7th working day (3/11), the applicant's 15 工作日 to 4/1, closed 4/2:
    after the reply's 3/30, which no longer applied (the old figure counted it late)."""
    app = actions.request_correction(
        app=_new(cast), by=cast.a_clerk, on=D(2026, 3, 11), items="请写明文号"
    )
    return actions.close_uncorrected(app=app, by=cast.a_clerk, on=D(2026, 4, 2))


def unpaid(cast: Any) -> Any:
    app = actions.issue_fee_notice(
        app=_new(cast), by=cast.a_clerk, on=D(2026, 3, 4), method="per_page", quantity=120
    )
    return actions.close_unpaid(app=app, by=cast.a_clerk, on=D(2026, 4, 2))


def unpaid_without_the_fee_pause(cast: Any) -> Any:
    """Where the fee wait does not pause the reply clock, the closing falls after 3/30."""
    with override_settings(FAZHI_XXGK_FEE_PAUSES_CLOCK=False):
        app = unpaid(cast)
    assert app.reply_due_on == D(2026, 3, 30)
    return app


def imported(**values: object) -> Callable[[Any], Any]:
    """A row of an old ledger, replayed: a step that broke a rule is kept and flagged."""

    def make(cast: Any) -> Any:
        number = f"YSQ-IMP-{next(SERIAL):04d}"
        row = base_row(1, RECEIVED, **values) | {"申请编号": number}
        outcome = import_file(
            unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes([row]), filename="x.xlsx"
        )
        assert outcome.ok, outcome.errors
        return Application.objects.get(number=number)

    return make


def withdrawn(on: dt.date, after: Callable[[Any], Any] | None = None) -> Callable[[Any], Any]:
    """The applicant withdraws on `on`, from the state `after` left the application in."""

    def make(cast: Any) -> Any:
        app = after(cast) if after else _new(cast)
        return actions.withdraw(app=app, by=cast.a_clerk, on=on, how="written")

    return make


def awaiting_correction(cast: Any) -> Any:
    return actions.request_correction(
        app=_new(cast), by=cast.a_clerk, on=D(2026, 3, 11), items="请写明文号"
    )


def awaiting_fee(cast: Any) -> Any:
    return actions.issue_fee_notice(
        app=_new(cast), by=cast.a_clerk, on=D(2026, 3, 4), method="per_page", quantity=120
    )


def voided_late(cast: Any) -> Any:
    app = replied(D(2026, 4, 10))(cast)
    return actions.void(app=app, by=cast.a_leader, reason="重复登记")


# (how it ended, how it is made, answered in time; None = not counted at all)
ENDINGS: list[tuple[str, Callable[[Any], Any], bool | None]] = [
    ("reply before the due date", replied(D(2026, 3, 20)), True),
    ("reply on the due date", replied(D(2026, 3, 30)), True),
    ("reply a day late", replied(D(2026, 3, 31)), False),
    ("reply within the approved extension", extended_then_replied, True),
    ("其他处理·其他, replied in time", replied(D(2026, 3, 20), "other_3"), True),
    ("逾期不补正 after a notice in time", uncorrected, True),
    ("逾期未缴费 after a fee notice in time", unpaid, True),
    ("逾期未缴费, the fee wait not pausing the reply", unpaid_without_the_fee_pause, True),
    (
        "imported 逾期不补正 after a late notice",
        imported(
            补正通知日期=D(2026, 3, 20),
            答复日期=D(2026, 4, 20),
            办理结果="申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        False,
    ),
    (
        "imported 逾期不补正 closed before the applicant's window",
        imported(
            补正通知日期=D(2026, 3, 3),
            答复日期=D(2026, 3, 10),
            办理结果="申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        False,
    ),
    (
        "imported 逾期未缴费 in order",
        imported(
            收费通知日期=D(2026, 3, 4),
            答复日期=D(2026, 4, 8),
            办理结果="申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        True,
    ),
    (
        "imported fee notice after the reply period",
        imported(
            收费通知日期=D(2026, 4, 1),
            答复日期=D(2026, 5, 20),
            办理结果="申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        False,
    ),
    ("withdrawn before the due date", withdrawn(D(2026, 3, 20)), True),
    ("withdrawn after the due date, the office still answering", withdrawn(D(2026, 4, 10)), False),
    (
        "withdrawn after the reply's 3/30 while awaiting the correction",
        withdrawn(D(2026, 4, 10), awaiting_correction),
        True,
    ),
    ("withdrawn while awaiting the fee", withdrawn(D(2026, 4, 20), awaiting_fee), True),
    ("imported withdrawal in time", imported(答复日期=D(2026, 3, 20), 办理结果="申请人撤回"), True),
    ("imported withdrawal late", imported(答复日期=D(2026, 4, 20), 办理结果="申请人撤回"), False),
    ("voided", voided_late, None),
]


@pytest.mark.parametrize(("ending", "make", "in_time"), ENDINGS, ids=[e[0] for e in ENDINGS])
def test_on_time_for_every_ending(
    cast: Any, ending: str, make: Callable[[Any], Any], in_time: bool | None
) -> None:
    make(cast)
    figure = evaluate("xxgk.on_time_rate", Application.objects.filter(unit=cast.street_a), 2026)
    if in_time is None:
        assert (figure.numerator, figure.denominator) == (0, 0), ending
    else:
        assert (figure.numerator, figure.denominator) == (int(in_time), 1), ending
    assert report.build(cast.street_a, 2026).on_time == int(bool(in_time))


def test_the_report_and_the_indicator_state_the_definition(cast: Any) -> None:
    for _, make, _ in ENDINGS:
        make(cast)
    counted = [t for _, _, t in ENDINGS if t is not None]
    built = report.build(cast.street_a, 2026)
    assert built.table3["total"]["total"] == len(counted)
    text = built.requests_summary()
    assert f"在法定期限内答复{sum(counted)}件" in text
    assert report.ON_TIME_NOTE in text
    figure = evaluate("xxgk.on_time_rate", Application.objects.filter(unit=cast.street_a), 2026)
    assert ON_TIME_DEFINITION in get_indicator("xxgk.on_time_rate").definition
    assert ON_TIME_DEFINITION in figure.definition
    assert f"{sum(counted)} ÷ {len(counted)}" in figure.definition
