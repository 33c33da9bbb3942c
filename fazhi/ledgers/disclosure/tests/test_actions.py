"""The application's workflow through its actions: clocks, permissions, guards and audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction

from fazhi.core.audit.models import AppendOnlyError, AuditEvent
from fazhi.core.calendar.service import get_calendar
from fazhi.core.records import queries
from fazhi.core.records.clocks import events_of
from fazhi.core.workflow import ActionError, IllegalMove
from fazhi.ledgers.disclosure import actions, rules
from fazhi.ledgers.disclosure.ledger import LEDGER
from fazhi.ledgers.disclosure.models import Application, Outcome, Status
from fazhi.ledgers.disclosure.tests.replycase import content
from fazhi.ledgers.disclosure.workflow import EXTENSION

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        yield


FIRST = D(2026, 3, 2)


def new_app(cast: Any, received: dt.date = FIRST, **kw: Any) -> Application:
    fields = {
        "applicant_category": "natural_person",
        "applicant_name": "王某",
        "content": "辖区老旧小区改造项目清单",
    } | kw
    return actions.register(unit=cast.street_a, by=cast.a_clerk, received_on=received, **fields)


def pending_extensions() -> list[Application]:
    return list(queries.pending(LEDGER, EXTENSION, Application.objects.all()))


def audit_codes(app: Application) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="disclosure.application", object_id=str(app.pk))
        .order_by("id")
        .values_list("code", flat=True)
    )


def test_register_sets_the_reply_deadline_and_audits(cast: Any) -> None:
    app = new_app(cast)
    assert app.status == Status.RECEIVED
    assert app.number == "YSQ-2026-0001"
    assert app.due_on == app.reply_due_on == D(2026, 3, 30)
    assert app.due_kind == "reply"
    assert not app.due_provisional
    assert audit_codes(app) == ["disclosure.application.registered"]
    assert new_app(cast).number == "YSQ-2026-0002"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"received_on": D(2026, 12, 1)}, "不能晚于今天"),
        ({"applicant_category": "citizen"}, "申请人类型无效"),
        ({"applicant_name": "  "}, "申请人"),
        ({"content": ""}, "申请内容"),
        ({"id_number": "110105194912310021"}, "校验位"),
    ],
)
def test_register_rejects_bad_input_and_writes_nothing(
    cast: Any, fields: dict[str, Any], message: str
) -> None:
    base = {
        "received_on": D(2026, 3, 2),
        "applicant_category": "natural_person",
        "applicant_name": "王某",
        "content": "x",
    }
    with pytest.raises(ActionError, match=message):
        actions.register(unit=cast.street_a, by=cast.a_clerk, **(base | fields))
    assert not Application.objects.exists()
    assert not AuditEvent.objects.filter(code__startswith="disclosure").exists()


def test_duplicate_number_in_the_same_unit_is_refused(cast: Any) -> None:
    new_app(cast, number="YSQ-1")
    with pytest.raises(ActionError, match="已存在"):
        new_app(cast, number="YSQ-1")
    other = actions.register(
        unit=cast.street_b,
        by=cast.b_clerk,
        received_on=D(2026, 3, 2),
        applicant_category="business",
        applicant_name="某公司",
        content="x",
        number="YSQ-1",
    )
    assert other.number == "YSQ-1"


def test_outsider_and_supervisor_cannot_register_or_move_a_record(cast: Any) -> None:
    with pytest.raises(ActionError):
        actions.register(
            unit=cast.street_a,
            by=cast.b_clerk,
            received_on=D(2026, 3, 2),
            applicant_category="natural_person",
            applicant_name="x",
            content="x",
        )
    app = new_app(cast)
    with pytest.raises(ActionError, match="未找到"):
        actions.reply(app=app, by=cast.b_clerk, on=D(2026, 3, 10), outcome=Outcome.GRANTED)
    with pytest.raises(IllegalMove, match="权限"):
        actions.reply(app=app, by=cast.supervisor, on=D(2026, 3, 10), outcome=Outcome.GRANTED)
    app.refresh_from_db()
    assert app.status == Status.RECEIVED


def test_correction_restarts_the_reply_clock(cast: Any) -> None:
    app = new_app(cast)
    app = actions.request_correction(app=app, by=cast.a_clerk, on=D(2026, 3, 5), items="请写明文号")
    assert app.status == Status.AWAITING_CORRECTION
    assert app.due_kind == "correction"
    assert app.due_on == get_calendar().add_workdays(D(2026, 3, 5), rules.CORRECTION_PERIOD.amount)
    app = actions.record_correction(app=app, by=cast.a_clerk, on=D(2026, 3, 16))
    assert app.status == Status.RECEIVED
    # 20 working days from the corrected application (3/16), not from first receipt (3/2).
    assert app.due_on == app.reply_due_on == D(2026, 4, 14)
    assert app.received_on == D(2026, 3, 2)  # the report still counts the first receipt


def test_correction_notice_is_one_notice_within_seven_working_days(cast: Any) -> None:
    app = new_app(cast)  # received Monday 3/2; the 7th working day after is 3/11
    with pytest.raises(IllegalMove, match="7个工作日内"):
        actions.request_correction(app=app, by=cast.a_clerk, on=D(2026, 3, 12), items="请写明文号")
    app = actions.request_correction(
        app=app, by=cast.a_clerk, on=D(2026, 3, 11), items="请写明文号"
    )
    app = actions.record_correction(app=app, by=cast.a_clerk, on=D(2026, 3, 12))
    with pytest.raises(IllegalMove, match="一次性告知"):
        actions.request_correction(app=app, by=cast.a_clerk, on=D(2026, 3, 13), items="再补正")


def test_extension_during_a_long_consultation_uses_the_paused_clock(cast: Any) -> None:
    """While the third party has its 15 working days (to 3/24) the reply clock is paused, so the
    reply is due 4/21 at the earliest; the extension guard counts the pause the same way."""
    with time_machine.travel(dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC), tick=False):
        app = new_app(cast)
        app = actions.start_consultation(
            app=app, by=cast.a_clerk, on=D(2026, 3, 3), party_kind="third_party", party="某公司"
        )
    assert app.reply_due_on == D(2026, 4, 21)
    assert app.third_party_due_on == app.due_on == D(2026, 3, 24)
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC), tick=False):
        app = actions.request_extension(
            app=app, by=cast.a_clerk, on=D(2026, 4, 1), reason="第三方尚未答复"
        )
        app = actions.extend(
            app=app, by=cast.a_leader, on=D(2026, 4, 1), reason="同意", told_on=D(2026, 4, 1)
        )
    assert app.events.filter(kind="extended").count() == 1


def test_auto_numbering_skips_a_number_typed_in_by_hand(cast: Any) -> None:
    assert new_app(cast).number == "YSQ-2026-0001"
    assert new_app(cast, number="YSQ-2026-0002").number == "YSQ-2026-0002"
    assert new_app(cast).number == "YSQ-2026-0003"
    assert new_app(cast, received=D(2025, 12, 30)).number == "YSQ-2025-0001"


def test_closing_for_no_correction_only_after_the_applicants_deadline(cast: Any) -> None:
    app = new_app(cast)
    app = actions.request_correction(
        app=app, by=cast.a_clerk, on=D(2026, 3, 5), items="请写明文号", deadline=D(2026, 3, 20)
    )
    with pytest.raises(IllegalMove, match="期限尚未届满"):
        actions.close_uncorrected(app=app, by=cast.a_clerk, on=D(2026, 3, 20))
    app = actions.close_uncorrected(app=app, by=cast.a_clerk, on=D(2026, 3, 23))
    assert (app.status, app.outcome, app.replied_on) == (
        Status.CLOSED,
        Outcome.OTHER_1,
        D(2026, 3, 23),
    )


def test_consultation_pauses_the_clock(cast: Any) -> None:
    app = new_app(cast)
    app = actions.start_consultation(
        app=app, by=cast.a_clerk, on=D(2026, 3, 5), party_kind="third_party", party="某公司"
    )
    assert app.status == Status.CONSULTING
    with pytest.raises(IllegalMove):
        actions.reply(app=app, by=cast.a_clerk, on=D(2026, 3, 6), outcome=Outcome.GRANTED)
    app = actions.end_consultation(app=app, by=cast.a_clerk, on=D(2026, 3, 12))
    # 3/6–3/12 holds 5 working days, excluded: 3/30 → 4/7 (清明 4/6 is off).
    assert app.due_on == D(2026, 4, 7)


def test_only_a_leader_extends_and_only_once(cast: Any) -> None:
    app = new_app(cast)
    with pytest.raises(IllegalMove, match="权限"):
        actions.extend(
            app=app, by=cast.a_clerk, on=D(2026, 3, 20), reason="工作量大", told_on=D(2026, 3, 20)
        )
    app = actions.extend(
        app=app, by=cast.a_leader, on=D(2026, 3, 20), reason="工作量大", told_on=D(2026, 3, 20)
    )
    assert app.due_on == D(2026, 4, 28)
    with pytest.raises(IllegalMove, match="只能延长一次"):
        actions.extend(
            app=app, by=cast.a_leader, on=D(2026, 3, 21), reason="再延", told_on=D(2026, 3, 21)
        )
    assert audit_codes(app) == [
        "disclosure.application.registered",
        "disclosure.application.extended",
    ]


def test_extension_after_the_deadline_is_refused(cast: Any) -> None:
    app = new_app(cast)
    with pytest.raises(IllegalMove, match="届满"):
        actions.extend(
            app=app, by=cast.a_leader, on=D(2026, 3, 31), reason="工作量大", told_on=D(2026, 3, 31)
        )


@pytest.mark.parametrize(
    ("ordinal", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (55, 400)],
)
def test_fee_per_item(ordinal: int, fee: int) -> None:
    assert rules.fee_per_item(ordinal) == Decimal(fee)


@pytest.mark.parametrize(
    ("pages", "fee"),
    [(30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)],
)
def test_fee_per_page(pages: int, fee: int) -> None:
    assert rules.fee_per_page(pages) == Decimal(fee)


def test_fee_notice_payment_and_reply(cast: Any) -> None:
    app = new_app(cast)
    with pytest.raises(ActionError, match="不应收费"):
        actions.issue_fee_notice(
            app=app, by=cast.a_clerk, on=D(2026, 3, 4), method="per_page", quantity=30
        )
    app = actions.issue_fee_notice(
        app=app, by=cast.a_clerk, on=D(2026, 3, 4), method="per_page", quantity=120
    )
    assert app.status == Status.AWAITING_FEE
    assert app.due_kind == "fee"
    app = actions.record_payment(app=app, by=cast.a_clerk, on=D(2026, 3, 9))
    assert app.fee_amount == Decimal("1100")
    # The fee wait (3/5–3/9, 3 working days) is excluded from the reply period.
    assert app.due_on == D(2026, 4, 2)
    app = actions.reply(app=app, by=cast.a_clerk, on=D(2026, 3, 20), outcome=Outcome.GRANTED)
    assert app.status == Status.CLOSED


def test_unpaid_fee_closes_as_other_2_after_the_payment_deadline(cast: Any) -> None:
    app = new_app(cast)
    app = actions.issue_fee_notice(
        app=app,
        by=cast.a_clerk,
        on=D(2026, 3, 4),
        method="per_item",
        quantity=12,
        count_reason="申请人本月另有11件纸质申请尚未录入台账",
    )
    with pytest.raises(IllegalMove):
        actions.close_unpaid(app=app, by=cast.a_clerk, on=D(2026, 3, 10))
    app = actions.close_unpaid(app=app, by=cast.a_clerk, on=D(2026, 4, 2))
    assert app.outcome == Outcome.OTHER_2


@pytest.mark.parametrize(
    ("on", "outcome", "message"),
    [
        (D(2026, 3, 1), Outcome.GRANTED, "不能早于收到申请"),
        (D(2026, 11, 26), Outcome.GRANTED, "不能晚于今天"),
        (D(2026, 3, 10), "approved", "请选择办理结果"),
        (D(2026, 3, 10), Outcome.OTHER_1, "对应的办理操作"),
    ],
)
def test_reply_validation(cast: Any, on: dt.date, outcome: str, message: str) -> None:
    app = new_app(cast)
    with pytest.raises(ActionError, match=message):
        actions.reply(app=app, by=cast.a_clerk, on=on, outcome=outcome)
    app.refresh_from_db()
    assert app.status == Status.RECEIVED and not app.outcome


def test_a_step_cannot_be_dated_before_the_previous_one(cast: Any) -> None:
    app = new_app(cast)
    app = actions.start_consultation(
        app=app, by=cast.a_clerk, on=D(2026, 3, 10), party_kind="co_author", party="区住建局"
    )
    with pytest.raises(ActionError, match="上一办理环节"):
        actions.end_consultation(app=app, by=cast.a_clerk, on=D(2026, 3, 9))


def test_reply_closes_and_every_move_is_audited(cast: Any) -> None:
    app = new_app(cast)
    app = actions.request_correction(app=app, by=cast.a_clerk, on=D(2026, 3, 3), items="请写明文号")
    app = actions.record_correction(app=app, by=cast.a_clerk, on=D(2026, 3, 4))
    app = actions.extend(
        app=app, by=cast.a_leader, on=D(2026, 3, 10), reason="工作量大", told_on=D(2026, 3, 10)
    )
    app = actions.reply(
        app=app, by=cast.a_clerk, on=D(2026, 4, 20), outcome=Outcome.PARTIAL, **content("partial")
    )
    assert (app.status, app.outcome, app.replied_on) == (
        Status.CLOSED,
        Outcome.PARTIAL,
        D(2026, 4, 20),
    )
    assert app.due_on is None
    assert audit_codes(app) == [
        "disclosure.application.registered",
        "disclosure.application.correction_requested",
        "disclosure.application.corrected",
        "disclosure.application.extended",
        "disclosure.application.replied",
    ]
    assert [e.kind for e in app.events.all()] == [
        "registered",
        "correction_requested",
        "corrected",
        "extended",
        "replied",
    ]


def test_database_constraints_hold_outside_the_actions(cast: Any) -> None:
    app = new_app(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=app.pk).update(
            outcome=Outcome.GRANTED
        )  # outcome without a reply date
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=app.pk).update(
            outcome=Outcome.GRANTED, replied_on=D(2026, 3, 1), status=Status.CLOSED
        )  # replied before receipt


def test_audit_events_are_append_only(cast: Any) -> None:
    new_app(cast)
    event = AuditEvent.objects.first()
    assert event is not None
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(code="x")
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET code = 'tampered'")


def test_clerk_requests_and_leader_approves_the_extension(cast: Any) -> None:
    app = new_app(cast)
    app = actions.request_extension(
        app=app, by=cast.a_clerk, on=D(2026, 3, 20), reason="需调取档案"
    )
    assert app.due_on == D(2026, 3, 30)  # a request changes nothing until approved
    assert list(pending_extensions()) == [app]
    with pytest.raises(IllegalMove, match="等待负责人批准"):
        actions.request_extension(app=app, by=cast.a_clerk, on=D(2026, 3, 21), reason="再次")
    app = actions.extend(
        app=app, by=cast.a_leader, on=D(2026, 3, 23), reason="同意", told_on=D(2026, 3, 23)
    )
    assert app.due_on == D(2026, 4, 28)
    assert not pending_extensions()


def test_leader_may_refuse_a_requested_extension(cast: Any) -> None:
    app = new_app(cast)
    with pytest.raises(IllegalMove, match="没有待批准"):
        actions.refuse_extension(app=app, by=cast.a_leader, on=D(2026, 3, 19), reason="不同意")
    app = actions.request_extension(
        app=app, by=cast.a_clerk, on=D(2026, 3, 19), reason="需调取档案"
    )
    with pytest.raises(IllegalMove, match="权限"):
        actions.refuse_extension(app=app, by=cast.a_clerk, on=D(2026, 3, 20), reason="不同意")
    app = actions.refuse_extension(
        app=app, by=cast.a_leader, on=D(2026, 3, 20), reason="可按期答复"
    )
    assert app.due_on == D(2026, 3, 30)
    assert not pending_extensions()
    # The handler may ask again (a new reason), and this time it is granted.
    app = actions.request_extension(
        app=app, by=cast.a_clerk, on=D(2026, 3, 23), reason="第三方材料未到"
    )
    app = actions.extend(
        app=app, by=cast.a_leader, on=D(2026, 3, 24), reason="同意", told_on=D(2026, 3, 24)
    )
    assert app.due_on == D(2026, 4, 28)


def test_the_consulted_partys_answer_is_recorded(cast: Any) -> None:
    app = new_app(cast)
    app = actions.start_consultation(
        app=app, by=cast.a_clerk, on=D(2026, 3, 3), party_kind="third_party", party="某公司"
    )
    with pytest.raises(ActionError, match="请选择第三方意见"):
        actions.end_consultation(app=app, by=cast.a_clerk, on=D(2026, 3, 10), answer="maybe")
    app = actions.end_consultation(app=app, by=cast.a_clerk, on=D(2026, 3, 10), answer="object")
    assert app.events.get(kind="consultation_ended").data["answer"] == "object"


def test_a_notice_sent_in_time_may_be_entered_later(cast: Any) -> None:
    """The 补正 button stays on offer after the 7 working days (it may have gone out in time and
    be entered late); the date given decides."""
    from fazhi.core.tenancy.access import access_for
    from fazhi.core.workflow import available_moves
    from fazhi.ledgers.disclosure.workflow import MOVES

    app = new_app(cast)  # received 3/2; today (11/25) is long past 3/11
    access = access_for(cast.a_clerk)
    offered = {
        m.code
        for m in available_moves(
            MOVES, app, events_of(app), cast.a_clerk, can=lambda p: access.can(app.unit_id, p)
        )
    }
    assert "request_correction" in offered and "extend" not in offered  # a clerk never extends
    with pytest.raises(IllegalMove, match="7个工作日内"):
        actions.request_correction(app=app, by=cast.a_clerk, on=D(2026, 3, 12), items="请写明文号")
    app = actions.request_correction(
        app=app, by=cast.a_clerk, on=D(2026, 3, 10), items="请写明文号"
    )
    assert app.status == Status.AWAITING_CORRECTION
