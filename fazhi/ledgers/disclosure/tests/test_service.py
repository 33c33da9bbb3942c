"""送达: the applicant's and the consulted party's windows run from the day they received the
notice (条例 Arts. 30, 32; 109号), recorded or — while 待送达 — presumed.

Dates of 2026: 3/2 is a Monday; 清明 4/4–4/6 is off. Expected dates are counted by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from fazhi.core.workflow import ActionError, IllegalMove
from fazhi.ledgers.disclosure import actions, service
from fazhi.ledgers.disclosure.models import Status

D = dt.date
pytestmark = pytest.mark.django_db
NOTICE = D(2026, 3, 3)  # a Tuesday


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        yield


def new_app(cast: Any) -> Any:
    return actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=D(2026, 3, 2),
        applicant_category="natural_person",
        applicant_name="王某",
        content="辖区老旧小区改造项目清单",
    )


# (送达方式, 送达日期 given with the notice, 登记送达 later, period in 工作日, last day to correct)
CORRECTION_CASES = [
    ("in_person", None, None, None, D(2026, 3, 24)),  # handed over with the notice: 3/3 + 15
    ("in_person", D(2026, 3, 5), None, None, D(2026, 3, 26)),  # handed over two days later
    ("electronic", None, None, None, D(2026, 3, 24)),  # reaches the system the same day
    ("post", None, None, None, D(2026, 3, 31)),  # 待送达: presumed 3/10 (posting + 7 days)
    ("post", None, D(2026, 3, 6), None, D(2026, 3, 27)),  # the signed receipt, 3/6
    ("post", None, D(2026, 3, 6), 10, D(2026, 3, 20)),  # a shorter period stated in the notice
]


@pytest.mark.parametrize(("method", "served", "recorded", "period", "due"), CORRECTION_CASES)
def test_the_correction_period_runs_from_the_applicants_receipt(
    cast: Any,
    method: str,
    served: dt.date | None,
    recorded: dt.date | None,
    period: int | None,
    due: dt.date,
) -> None:
    app = actions.request_correction(
        app=new_app(cast),
        by=cast.a_clerk,
        on=NOTICE,
        items="请写明文号",
        period=period,
        service_method=method,
        served_on=served,
    )
    if recorded:
        app = actions.record_service(app=app, by=cast.a_clerk, on=recorded)
    assert app.correction_due_on == app.due_on == due
    # Closing as 逾期不补正 only once that window has run out.
    with pytest.raises(IllegalMove, match=f"期限尚未届满（{due:%Y-%m-%d}）"):
        actions.close_uncorrected(app=app, by=cast.a_clerk, on=due)
    app = actions.close_uncorrected(app=app, by=cast.a_clerk, on=due + dt.timedelta(days=1))
    assert app.status == Status.CLOSED


# (送达方式, 登记送达, from receipt (setting), last day to pay) for a notice sent Wednesday 3/4
FEE_CASES = [
    ("in_person", None, True, D(2026, 4, 1)),
    ("post", None, True, D(2026, 4, 9)),  # presumed 3/11; 清明 skipped
    ("post", D(2026, 3, 9), True, D(2026, 4, 7)),
    ("post", D(2026, 3, 9), False, D(2026, 4, 1)),  # the setting: from the sending instead
]


@pytest.mark.parametrize(("method", "recorded", "from_receipt", "due"), FEE_CASES)
def test_the_twenty_days_to_pay_run_from_receipt(
    cast: Any,
    settings: Any,
    method: str,
    recorded: dt.date | None,
    from_receipt: bool,
    due: dt.date,
) -> None:
    settings.FAZHI_XXGK_FEE_PERIOD_FROM_RECEIPT = from_receipt
    app = actions.issue_fee_notice(
        app=new_app(cast),
        by=cast.a_clerk,
        on=D(2026, 3, 4),
        method="per_page",
        quantity=120,
        service_method=method,
    )
    if recorded:
        app = actions.record_service(app=app, by=cast.a_clerk, on=recorded)
    assert app.fee_due_on == due
    with pytest.raises(IllegalMove, match="期限尚未届满"):
        actions.close_unpaid(app=app, by=cast.a_clerk, on=due)
    app = actions.close_unpaid(app=app, by=cast.a_clerk, on=due + dt.timedelta(days=1))
    assert app.outcome == "other_2"


# (对象类型, 送达方式, 登记送达, the party's last day, the reply's last day)
CONSULTATION_CASES = [
    # Sent 3/3 and handed over: the party's 15 工作日 end 3/24; the reply pauses 3/4–3/24.
    ("third_party", "in_person", None, D(2026, 3, 24), D(2026, 4, 21)),
    # The third party signed for it 3/9: its window ends 3/30, the pause with it.
    ("third_party", "post", D(2026, 3, 9), D(2026, 3, 30), D(2026, 4, 27)),
    # Not yet signed for: presumed received 3/10.
    ("co_author", "post", None, D(2026, 3, 31), D(2026, 4, 28)),
    # Another agency (Art. 33(3)): the local period, 15 工作日 by default.
    ("other_agency", "in_person", None, D(2026, 3, 24), D(2026, 4, 21)),
]


@pytest.mark.parametrize(
    ("kind", "method", "recorded", "party_due", "reply_due"), CONSULTATION_CASES
)
def test_the_consulted_partys_window_runs_from_its_receipt(
    cast: Any,
    kind: str,
    method: str,
    recorded: dt.date | None,
    party_due: dt.date,
    reply_due: dt.date,
) -> None:
    app = actions.start_consultation(
        app=new_app(cast),
        by=cast.a_clerk,
        on=NOTICE,
        party_kind=kind,
        party="某公司",
        service_method=method,
    )
    if recorded:
        app = actions.record_service(app=app, by=cast.a_clerk, on=recorded)
    assert app.third_party_due_on == party_due
    assert app.reply_due_on == reply_due  # today (11/25) the party's window is long past


def test_consulting_another_agency_is_named_in_the_explanation(cast: Any) -> None:
    from fazhi.core.calendar.service import get_calendar
    from fazhi.core.records.clocks import events_of, states
    from fazhi.ledgers.disclosure.ledger import LEDGER

    app = actions.start_consultation(
        app=new_app(cast),
        by=cast.a_clerk,
        on=NOTICE,
        party_kind="other_agency",
        party="区保密局",
        service_method="electronic",
    )
    found = {
        s.spec.code: s for s in states(LEDGER, app, events_of(app), get_calendar(), D(2026, 3, 10))
    }
    assert found["third_party"].deadline.rule_code == "xxgk.other_agency"
    reply = " ".join(found["reply"].deadline.steps)
    assert "征求其他机关意见" in reply and "至15个工作日期限届满之日止" in reply


def test_the_clock_says_pending_service_until_the_receipt_is_recorded(cast: Any) -> None:
    from fazhi.core.calendar.service import get_calendar
    from fazhi.core.records.clocks import events_of, states
    from fazhi.ledgers.disclosure.ledger import LEDGER

    def steps(app: Any) -> str:
        found = states(LEDGER, app, events_of(app), get_calendar(), D(2026, 3, 12))
        return " ".join(next(s for s in found if s.spec.code == "correction").deadline.steps)

    app = actions.request_correction(
        app=new_app(cast), by=cast.a_clerk, on=NOTICE, items="请写明文号", service_method="post"
    )
    assert "待送达" in steps(app) and "按交寄后第7日推定" in steps(app)
    app = actions.record_service(app=app, by=cast.a_clerk, on=D(2026, 3, 6), note="EMS回执")
    assert "已登记送达" in steps(app) and "待送达" not in steps(app)
    with pytest.raises(IllegalMove, match="送达日期已登记"):
        actions.record_service(app=app, by=cast.a_clerk, on=D(2026, 3, 9))


@pytest.mark.parametrize(
    ("method", "served", "message"),
    [
        ("fax", None, "请选择送达方式"),
        ("post", D(2026, 3, 2), "送达日期（2026-03-02）不能早于通知发出日期（2026-03-03）"),
        ("post", D(2026, 11, 26), "送达日期不能晚于今天"),
    ],
)
def test_bad_service_input_is_refused_and_writes_nothing(
    cast: Any, method: str, served: dt.date | None, message: str
) -> None:
    app = new_app(cast)
    with pytest.raises(ActionError, match=message):
        actions.request_correction(
            app=app,
            by=cast.a_clerk,
            on=NOTICE,
            items="请写明文号",
            service_method=method,
            served_on=served,
        )
    assert list(app.events.values_list("kind", flat=True)) == ["registered"]


def test_service_is_recorded_only_for_a_pending_notice(cast: Any) -> None:
    app = new_app(cast)
    with pytest.raises(IllegalMove, match="不能执行「登记送达」"):
        actions.record_service(app=app, by=cast.a_clerk, on=NOTICE)
    app = actions.request_correction(
        app=app, by=cast.a_clerk, on=NOTICE, items="请写明文号", service_method="in_person"
    )
    with pytest.raises(IllegalMove, match="送达日期已登记"):
        actions.record_service(app=app, by=cast.a_clerk, on=NOTICE)
    with pytest.raises(ActionError, match="未找到"):
        actions.record_service(app=app, by=cast.b_clerk, on=NOTICE)


def test_a_notice_recorded_before_service_was_kept_counts_from_its_date(cast: Any) -> None:
    """Events written before this change carry no 送达方式: their periods run as they did."""
    app = new_app(cast)
    app.events.create(kind="correction_requested", on=NOTICE, data={"deadline": "2026-03-24"})
    notice = app.events.get(kind="correction_requested")
    r = service.receipt(notice, [notice])
    assert (r.on, r.known, r.pending) == (NOTICE, False, False)
    assert "未登记送达" in r.text


def test_no_answer_is_recorded_only_after_the_partys_window(cast: Any) -> None:
    """逾期未提出意见 the day the request went out was accepted (the stranger's finding 5)."""
    from fazhi.core.workflow import ActionError
    from fazhi.ledgers.disclosure import actions
    from fazhi.ledgers.disclosure.models import Application, Status

    app = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=dt.date(2026, 3, 2),
        applicant_category="natural_person",
        applicant_name="吴某",
        content="某地块规划许可",
    )
    app = actions.start_consultation(
        app=app, by=cast.a_clerk, on=dt.date(2026, 3, 4), party_kind="third_party", party="某公司",
        service_method="in_person",
    )  # fmt: skip
    due = app.third_party_due_on
    with pytest.raises(ActionError, match="征求意见期限尚未届满"):
        actions.end_consultation(app=app, by=cast.a_clerk, on=due, answer="no_answer")
    assert Application.objects.get(pk=app.pk).status == Status.CONSULTING
    # An answer that came in may be recorded any day; no answer, the day after the window.
    after = actions.end_consultation(
        app=app, by=cast.a_clerk, on=due + dt.timedelta(days=1), answer="no_answer"
    )
    assert after.status == Status.RECEIVED
