"""信息处理费 (国办函〔2020〕109号): one method per application, the 按件 count from the ledger,
减免 on a second person's approval, no notice after the reply period, section 六 by payment date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.apps import apps as django_apps

from fazhi.core.audit.models import AuditEvent
from fazhi.core.metrics import evaluate
from fazhi.core.records import queries
from fazhi.core.workflow import ActionError, IllegalMove
from fazhi.ledgers.disclosure import actions, annual, fees, report
from fazhi.ledgers.disclosure.ledger import LEDGER
from fazhi.ledgers.disclosure.models import Application, Outcome, Status
from fazhi.ledgers.disclosure.tests.importcase import id_number
from fazhi.ledgers.disclosure.workflow import FEE_RELIEF

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        yield


MARCH_2 = D(2026, 3, 2)
MARCH_4 = D(2026, 3, 4)


def new_app(cast: Any, received: dt.date = MARCH_2, unit: Any = None, **kw: Any) -> Any:
    fields = {
        "applicant_category": "natural_person",
        "applicant_name": "王某",
        "contact": "13900000001",
        "content": "辖区老旧小区改造项目清单",
    } | kw
    unit = unit or cast.street_a
    by = cast.a_clerk if unit == cast.street_a else cast.b_clerk
    return actions.register(unit=unit, by=by, received_on=received, **fields)


def fee_notice(cast: Any, app: Any, on: dt.date = MARCH_4, **kw: Any) -> Any:
    kw = {"method": "per_page", "quantity": 120} | kw
    return actions.issue_fee_notice(app=app, by=cast.a_clerk, on=on, **kw)


# --- one method, one notice -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"method": "per_page", "quantity": 120}, {"method": "per_item", "quantity": 12}),
        ({"method": "per_page", "quantity": 120}, {"method": "per_page", "quantity": 150}),
    ],
    ids=["other-method", "same-method"],
)
def test_a_second_fee_notice_is_refused(cast: Any, first: Any, second: Any) -> None:
    """109号 Art. 3: one method per application; the same method twice would charge the
    progressive scale twice over one application, so it is refused too."""
    app = fee_notice(cast, new_app(cast), **first)
    app = actions.record_payment(app=app, by=cast.a_clerk, on=D(2026, 3, 9))
    assert app.status == Status.RECEIVED
    with pytest.raises(IllegalMove, match=r"已发出过收费通知（按量计收）.*不得同时或重复计算"):
        fee_notice(cast, app, on=D(2026, 3, 10), count_reason="x", **second)
    assert app.events.filter(kind="fee_notice").count() == 1


def test_an_undone_notice_may_be_issued_again_with_the_other_method(cast: Any) -> None:
    app = fee_notice(cast, new_app(cast))
    app = actions.undo(app=app, by=cast.a_clerk, reason="计收方式选错")
    app = fee_notice(
        cast, app, on=D(2026, 3, 5), method="per_item", quantity=11, count_reason="纸质申请未录入"
    )
    assert app.status == Status.AWAITING_FEE


def test_a_fee_notice_after_the_reply_period_is_refused(cast: Any) -> None:
    app = new_app(cast)  # received Monday 3/2: reply due 3/30
    with pytest.raises(IllegalMove, match="答复期限已于 2026-03-30 届满，不能再发出收费通知"):
        fee_notice(cast, app, on=D(2026, 3, 31))
    app = fee_notice(cast, app, on=D(2026, 3, 30))
    assert app.status == Status.AWAITING_FEE


# --- the 按件 count -----------------------------------------------------------------------

ID_X = id_number(1)
ID_Y = id_number(2)

# (what the application is, its fields, counted with the target (ID_X, 王某, 13900000001))
NEIGHBOURS = [
    ("same id", {"id_number": ID_X}, True),
    (
        "same id, other name and contact",
        {"id_number": ID_X, "applicant_name": "王某某", "contact": "1"},
        True,
    ),
    ("no id, same name and contact", {}, True),
    ("no id, same name, other contact", {"contact": "13900000002"}, False),
    ("other id, same name and contact", {"id_number": ID_Y}, False),
]


@pytest.mark.parametrize(("what", "fields", "counted"), NEIGHBOURS, ids=[n[0] for n in NEIGHBOURS])
def test_who_counts_as_the_same_applicant(
    cast: Any, what: str, fields: dict[str, Any], counted: bool
) -> None:
    other = new_app(cast, D(2026, 3, 3), **fields)
    target = new_app(cast, D(2026, 3, 10), id_number=ID_X)
    found = fees.month_count(target)
    assert (other in found.records) is counted, what
    assert found.ordinal == (2 if counted else 1)
    assert found.records[-1] == target


def test_the_count_is_the_month_the_unit_and_live_records_up_to_this_one(cast: Any) -> None:
    new_app(cast, D(2026, 2, 27), id_number=ID_X)  # the month before
    first = new_app(cast, D(2026, 3, 2), id_number=ID_X)
    new_app(cast, D(2026, 3, 3), unit=cast.street_b, id_number=ID_X)  # another office
    voided = new_app(cast, D(2026, 3, 4), id_number=ID_X)
    actions.void(app=voided, by=cast.a_leader, reason="重复录入")
    same_day_before = new_app(cast, D(2026, 3, 10), id_number=ID_X)
    target = new_app(cast, D(2026, 3, 10), id_number=ID_X)
    new_app(cast, D(2026, 3, 10), id_number=ID_X)  # registered after it, the same day
    new_app(cast, D(2026, 3, 20), id_number=ID_X)  # later in the month
    found = fees.month_count(target)
    assert found.records == [first, same_day_before, target]
    assert found.ordinal == 3


def _applicant_month(cast: Any, n: int) -> list[Any]:
    return [new_app(cast, D(2026, 3, 2 + i // 4), id_number=ID_X) for i in range(n)]


@pytest.mark.parametrize(("n", "fee"), [(11, 100), (30, 100), (31, 200)])
def test_the_per_item_fee_comes_from_the_ledgers_count(cast: Any, n: int, fee: int) -> None:
    target = _applicant_month(cast, n)[-1]
    app = fee_notice(cast, target, on=D(2026, 3, 10), method="per_item", quantity=None)
    notice = app.events.get(kind="fee_notice")
    assert (notice.data["counted"], notice.data["quantity"], notice.data["amount"]) == (
        n,
        n,
        str(fee),
    )
    assert "count_reason" not in notice.data


def test_the_tenth_application_of_the_month_is_free(cast: Any) -> None:
    target = _applicant_month(cast, 10)[-1]
    with pytest.raises(ActionError, match="不应收费"):
        fee_notice(cast, target, on=D(2026, 3, 10), method="per_item", quantity=None)
    assert not target.events.filter(kind="fee_notice").exists()


def test_overriding_the_count_needs_a_reason_and_is_audited(cast: Any) -> None:
    target = _applicant_month(cast, 3)[-1]
    with pytest.raises(ActionError, match="台账统计本件为该申请人本月第3件申请") as refused:
        fee_notice(cast, target, on=D(2026, 3, 10), method="per_item", quantity=12)
    assert refused.value.field == "count_reason"
    app = fee_notice(
        cast,
        target,
        on=D(2026, 3, 10),
        method="per_item",
        quantity=12,
        count_reason="申请人另有9件纸质申请，已补录于纸质台账",
    )
    notice = app.events.get(kind="fee_notice")
    assert (notice.data["counted"], notice.data["quantity"], notice.data["amount"]) == (
        3,
        12,
        "100",
    )
    audit = AuditEvent.objects.get(code="disclosure.application.fee_notice")
    assert audit.data["counted"] == 3 and audit.data["quantity"] == 12
    assert audit.data["count_reason"].startswith("申请人另有9件")


# --- 减免 -------------------------------------------------------------------------------


def test_waiver_is_requested_by_the_handler_and_approved_by_a_leader(cast: Any) -> None:
    app = fee_notice(cast, new_app(cast))
    app = actions.request_fee_relief(
        app=app, by=cast.a_clerk, on=D(2026, 3, 5), reason="申请人为低保对象", amount=Decimal(0)
    )
    assert list(queries.pending(LEDGER, FEE_RELIEF, Application.objects.all())) == [app]
    with pytest.raises(IllegalMove, match="权限"):
        actions.waive_fee(app=app, by=cast.a_clerk, on=D(2026, 3, 6), reason="同意")
    app = actions.waive_fee(app=app, by=cast.a_leader, on=D(2026, 3, 6), reason="同意免收")
    assert app.status == Status.RECEIVED
    assert app.fee_due_on is None  # the payment clock stopped
    assert not list(queries.pending(LEDGER, FEE_RELIEF, Application.objects.all()))
    # The fee wait (3/5–3/6, 2 working days) is excluded from the reply period: 3/30 → 4/1.
    assert app.reply_due_on == D(2026, 4, 1)
    app = actions.reply(app=app, by=cast.a_clerk, on=D(2026, 3, 20), outcome=Outcome.GRANTED)
    assert app.fee_amount == 0 and app.fee_paid_on is None


def test_the_leader_who_asked_may_not_approve_their_own_relief(cast: Any) -> None:
    app = fee_notice(cast, new_app(cast))
    app = actions.request_fee_relief(
        app=app, by=cast.a_leader, on=D(2026, 3, 5), reason="困难群众", amount=Decimal(0)
    )
    with pytest.raises(IllegalMove, match="提请减免的人不能自行批准"):
        actions.waive_fee(app=app, by=cast.a_leader, on=D(2026, 3, 6), reason="同意")


def test_a_reduction_is_paid_in_its_reduced_amount(cast: Any) -> None:
    app = fee_notice(cast, new_app(cast))  # 120 pages: 700 + 400 = 1100 元
    for amount in (Decimal(0), Decimal(1100), Decimal(2000)):
        with pytest.raises(ActionError, match="减收后的金额应大于0、小于通知金额（1100 元）"):
            actions.reduce_fee(
                app=app, by=cast.a_leader, on=D(2026, 3, 6), reason="减半", amount=amount
            )
    app = actions.reduce_fee(
        app=app, by=cast.a_leader, on=D(2026, 3, 6), reason="减半收取", amount=Decimal(550)
    )
    assert app.status == Status.AWAITING_FEE
    with pytest.raises(IllegalMove, match="已批准减免，不能再次减免"):
        actions.request_fee_relief(app=app, by=cast.a_clerk, on=D(2026, 3, 7), reason="再减")
    app = actions.record_payment(app=app, by=cast.a_clerk, on=D(2026, 3, 9))
    assert (app.fee_amount, app.fee_paid_on) == (Decimal(550), D(2026, 3, 9))
    assert app.events.get(kind="fee_paid").data["amount"] == "550"


def test_a_refused_relief_leaves_the_fee_due(cast: Any) -> None:
    app = fee_notice(cast, new_app(cast))
    with pytest.raises(IllegalMove, match="没有待批准的减免申请"):
        actions.refuse_fee_relief(app=app, by=cast.a_leader, on=D(2026, 3, 5), reason="不符合")
    app = actions.request_fee_relief(app=app, by=cast.a_clerk, on=D(2026, 3, 5), reason="困难")
    app = actions.refuse_fee_relief(app=app, by=cast.a_leader, on=D(2026, 3, 6), reason="不符合")
    assert app.status == Status.AWAITING_FEE
    app = actions.record_payment(app=app, by=cast.a_clerk, on=D(2026, 3, 9))
    assert app.fee_amount == Decimal(1100)


def test_relief_is_off_when_the_unit_does_not_grant_it(cast: Any, settings: Any) -> None:
    settings.FAZHI_XXGK_FEE_RELIEF = False
    app = fee_notice(cast, new_app(cast))
    with pytest.raises(IllegalMove, match="不办理信息处理费减免"):
        actions.request_fee_relief(app=app, by=cast.a_clerk, on=D(2026, 3, 5), reason="困难")
    with pytest.raises(IllegalMove, match="不办理信息处理费减免"):
        actions.waive_fee(app=app, by=cast.a_leader, on=D(2026, 3, 5), reason="困难")


# --- section 六: fees by payment date --------------------------------------------------------


def _paid(cast: Any, received: dt.date, notice: dt.date, paid: dt.date, replied: dt.date) -> Any:
    app = fee_notice(cast, new_app(cast, received), on=notice)
    app = actions.record_payment(app=app, by=cast.a_clerk, on=paid)
    return actions.reply(app=app, by=cast.a_clerk, on=replied, outcome=Outcome.GRANTED)


def test_section_six_counts_the_fees_paid_in_the_year(cast: Any) -> None:
    across = _paid(cast, D(2025, 12, 15), D(2025, 12, 17), D(2025, 12, 22), D(2026, 1, 6))
    this_year = _paid(cast, D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 9), D(2026, 3, 20))
    qs = Application.objects.filter(unit=cast.street_a)
    # Paid in 2025, answered in 2026: 2025's fee, not 2026's (the old rule's mistake).
    assert annual.fees_collected(qs, 2025) == Decimal(1100)
    assert annual.fees_collected(qs, 2026) == Decimal(1100)
    figure = evaluate("xxgk.fees_collected", qs, 2026)
    assert figure.value == Decimal(1100)
    assert list(figure.records(qs)) == [this_year]
    assert list(evaluate("xxgk.fees_collected", qs, 2025).records(qs)) == [across]
    built = report.build(cast.street_a, 2026)
    assert built.fees == Decimal(1100)
    assert "本年度共收取信息处理费1100.00元" in built.fee_sentence()
    links = [
        b.link
        for b in built.document(lambda row, col: f"/x/{row}/{col}").blocks
        if getattr(b, "link", "")
    ]
    assert links == [f"/x/{report.FEES_FIGURE}/total"]


def test_the_migration_dates_fees_kept_before_payment_dates(cast: Any) -> None:
    from importlib import import_module

    migration = import_module("fazhi.ledgers.disclosure.migrations.0006_fee_service")
    stepped = _paid(cast, D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 9), D(2026, 3, 20))
    bare = actions.reply(
        app=new_app(cast, D(2026, 4, 1)), by=cast.a_clerk, on=D(2026, 4, 10), outcome="granted"
    )
    Application.objects.filter(pk__in=[stepped.pk, bare.pk]).update(fee_paid_on=None)
    Application.objects.filter(pk=bare.pk).update(fee_amount=Decimal("120.50"))
    migration.fill_fee_paid_on(django_apps, None)
    stepped.refresh_from_db()
    bare.refresh_from_db()
    assert stepped.fee_paid_on == D(2026, 3, 9)  # its 缴费 step
    assert bare.fee_paid_on == D(2026, 4, 10)  # no step: its reply, the year it was reported in


def test_the_relief_requested_is_less_than_the_fee(cast: Any) -> None:
    """The request asked 5000 元 of a 4700 元 notice and was accepted (finding 6)."""
    from fazhi.core.workflow import ActionError
    from fazhi.ledgers.disclosure import actions

    app = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=dt.date(2026, 3, 2),
        applicant_category="natural_person",
        applicant_name="郑某",
        content="近三年全部会议纪要",
    )
    app = actions.issue_fee_notice(
        app=app, by=cast.a_clerk, on=dt.date(2026, 3, 4), method="per_page", quantity=250
    )
    for amount in ("4700", "5000"):
        with pytest.raises(ActionError, match="应小于通知金额（4700 元）"):
            actions.request_fee_relief(
                app=app,
                by=cast.a_clerk,
                on=dt.date(2026, 3, 5),
                reason="困难",
                amount=Decimal(amount),
            )
    assert not app.events.filter(kind="fee_relief_requested").exists()
    actions.request_fee_relief(
        app=app, by=cast.a_clerk, on=dt.date(2026, 3, 5), reason="困难", amount=Decimal("1000")
    )
