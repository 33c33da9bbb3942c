"""`perform` and `register`: the one door through which a record changes (DESIGN invariant 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fazhi.core.audit.models import AuditEvent
from fazhi.core.records import corrections, perform
from fazhi.core.records.tests.helpers import (
    LEDGER,
    TODAY,
    counts,
    d,
    fresh,
    kinds,
    new_case,
    step,
)
from fazhi.core.records.tests.toy import actions
from fazhi.core.records.tests.toy.models import CaseEvent, Status
from fazhi.core.records.tests.toy.ui import UI
from fazhi.core.web.timeline import timeline
from fazhi.core.workflow import ActionError

S = Status
pytestmark = pytest.mark.usefixtures("now")

# (steps taken first, the move, the status it leads to). Who acts follows the move's permission.
PATHS = [
    ((), "ask", S.WAITING),
    (("ask",), "answer", S.RECEIVED),
    ((), "suspend", S.SUSPENDED),
    (("suspend",), "resume", S.RECEIVED),
    ((), "supplement", S.RECEIVED),  # no target: the status stays
    (("ask",), "request_extension", S.WAITING),  # no target, from another status
    ((), "submit", S.SUBMITTED),
    (("submit",), "review", S.CLOSED),
    (("submit",), "send_back", S.RECEIVED),
]


def actor(cast: Any, code: str) -> Any:
    return {"review": cast.a_reviewer, "send_back": cast.a_reviewer, "extend": cast.a_leader}.get(
        code, cast.a_clerk
    )


@pytest.mark.parametrize(("before", "code", "status"), PATHS)
def test_status_comes_from_the_moves_target(
    cast: Any, before: tuple[str, ...], code: str, status: str
) -> None:
    case = new_case(cast)
    for i, earlier in enumerate(before):
        case = step(case, earlier, actor(cast, earlier), d(11, 3 + i))
    was = case.status
    done = step(case, code, actor(cast, code), d(11, 6))
    assert done.status == fresh(case).status == status
    event = CaseEvent.objects.filter(record=case).last()
    assert event is not None and event.kind == LEDGER.move(code).event_kind
    # What undo would restore: the status before, recorded only when the move changed it.
    assert event.data["_before"].get("status") == (was if LEDGER.move(code).target else None)


def test_changes_may_not_set_the_status(cast: Any) -> None:
    case = new_case(cast)
    before = counts()
    for code in ("supplement", "ask"):  # without a target, and with one
        with pytest.raises(ValueError, match="status"):
            perform.perform(
                LEDGER, case, code, by=cast.a_clerk, on=d(11, 3), changes={"status": S.CLOSED}
            )
    assert counts() == before
    assert fresh(case).status == S.RECEIVED


def test_the_event_and_its_audit_are_written_together(cast: Any) -> None:
    case = new_case(cast)
    before = counts()
    step(case, "ask", cast.a_clerk, d(11, 3), note="请某局提出意见")
    assert counts() == {**before, "events": before["events"] + 1, "audit": before["audit"] + 1}
    event = CaseEvent.objects.filter(record=case).last()
    assert event is not None
    assert (event.kind, event.on, event.by, event.note) == (
        "asked",
        d(11, 3),
        cast.a_clerk,
        "请某局提出意见",
    )
    audit = AuditEvent.objects.order_by("-id").first()
    assert audit is not None
    assert (audit.code, audit.object_type, audit.object_id, audit.unit_code, audit.actor) == (
        "toy.case.asked",
        "toy.case",
        str(case.pk),
        "A1",
        "a_clerk",
    )
    assert audit.data == {"number": case.number, "status": S.WAITING}
    registered = AuditEvent.objects.filter(code="toy.case.registered", object_id=str(case.pk))
    assert registered.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_audit_that_fails_takes_the_step_with_it(cast: Any) -> None:
    """No test transaction around it: the audit row fails after the record was saved and the
    timeline event written; both must be gone, because they share one transaction."""
    case = new_case(cast)
    before = counts()
    with pytest.raises(TypeError):
        perform.perform(
            LEDGER, case, "ask", by=cast.a_clerk, on=d(11, 3), audit_data={"x": object()}
        )
    assert counts() == before
    assert fresh(case).status == S.RECEIVED
    assert kinds(case) == ["registered"]


# (what is wrong, steps first, the move, who, date, the message)
REFUSED = [
    ("wrong status", (), "answer", "a_clerk", d(11, 3), "当前状态「办理中」下不能执行「登记答复」"),
    ("no permission", ("submit",), "review", "a_clerk", d(11, 5), "您没有执行「审核通过」的权限"),
    ("guard", ("request_extension",), "request_extension", "a_clerk", d(11, 5), "已提请延期"),
    ("future date", (), "ask", "a_clerk", d(11, 26), "征询日期不能晚于今天（2026-11-25）"),
    ("before start", (), "ask", "a_clerk", d(11, 1), "征询日期不能早于收到日期（2026-11-02）"),
    ("before last step", ("ask",), "answer", "a_clerk", d(11, 3), "不能早于上一办理环节的日期"),
    ("other unit", (), "ask", "b_clerk", d(11, 3), "未找到该记录"),
    ("supervisor", (), "ask", "supervisor", d(11, 3), "您没有执行「发出征询」的权限"),
    ("unknown move", (), "fly", "a_clerk", d(11, 3), "未知操作「fly」"),
]


@pytest.mark.parametrize(
    ("why", "before", "code", "who", "on", "message"), REFUSED, ids=[r[0] for r in REFUSED]
)
def test_a_refused_move_writes_nothing(
    cast: Any, why: str, before: tuple[str, ...], code: str, who: str, on: dt.date, message: str
) -> None:
    case = new_case(cast)
    for earlier in before:
        case = step(case, earlier, cast.a_clerk, d(11, 4))
    was, written = fresh(case), counts()
    with pytest.raises(ActionError) as refused:
        step(case, code, getattr(cast, who), on)
    assert message in refused.value.message
    assert counts() == written
    now = fresh(case)
    assert (now.status, now.due_on, now.handle_due_on) == (
        was.status,
        was.due_on,
        was.handle_due_on,
    )


def test_the_door_answers_an_outsider_as_if_nothing_were_there(cast: Any) -> None:
    case = new_case(cast)
    with pytest.raises(ActionError) as refused:
        step(case, "ask", cast.b_clerk, d(11, 3))
    assert refused.value.message == "未找到该记录"
    for undo_or_void in (corrections.void, corrections.undo):
        with pytest.raises(ActionError) as refused:
            undo_or_void(LEDGER, case, by=cast.b_clerk, reason="越权")
        assert refused.value.message == "未找到该记录"


def test_a_voided_record_cannot_be_moved(cast: Any) -> None:
    case = new_case(cast)
    corrections.void(LEDGER, case, by=cast.a_leader, reason="重复登记")
    written = counts()
    with pytest.raises(ActionError) as refused:
        step(case, "ask", cast.a_clerk, d(11, 3))
    assert refused.value.message == "未找到该记录（可能已作废）"
    assert counts() == written


def test_text_too_long_is_a_chinese_error_on_its_field(cast: Any) -> None:
    case = new_case(cast)
    written = counts()
    attempts = [
        ("note", lambda: step(case, "ask", cast.a_clerk, d(11, 3), note="长" * 5001)),
        (
            "backdate_reason",
            lambda: step(case, "ask", cast.a_clerk, d(11, 3), backdate_reason="长" * 501),
        ),
        ("number", lambda: new_case(cast, number="N" * 65)),
        ("reason", lambda: corrections.void(LEDGER, case, by=cast.a_leader, reason="长" * 501)),
    ]
    for field, attempt in attempts:
        with pytest.raises(ActionError) as refused:
            attempt()
        assert refused.value.field == field
        assert "过长（最多" in refused.value.message
    assert counts() == written


# --- step dates ------------------------------------------------------------------------------


def test_steps_may_share_a_day_and_the_kits_own_entries_do_not_date_steps(cast: Any) -> None:
    case = new_case(cast)
    case = step(case, "ask", cast.a_clerk, d(11, 10))
    case = step(case, "answer", cast.a_clerk, d(11, 10))  # same day as the last step: fine
    # A correction is entered today; it is not a step of the case and dates nothing.
    corrections.correct(LEDGER, case, by=cast.a_clerk, changes={"subject": "改"}, reason="笔误")
    case = step(case, "suspend", cast.a_clerk, d(11, 11))
    assert fresh(case).status == S.SUSPENDED


def test_an_undone_step_no_longer_dates_the_next_one(cast: Any) -> None:
    case = new_case(cast)
    case = step(case, "ask", cast.a_clerk, d(11, 20))
    corrections.undo(LEDGER, case, by=cast.a_clerk, reason="日期录错")
    case = step(fresh(case), "ask", cast.a_clerk, d(11, 5))
    assert fresh(case).status == S.WAITING


def test_registration_date_checks(cast: Any) -> None:
    with pytest.raises(ActionError) as refused:
        new_case(cast, d(11, 26))
    assert refused.value.field == "received_on"
    assert refused.value.message == "收到日期不能晚于今天（2026-11-25）"
    with pytest.raises(ActionError) as refused:
        new_case(cast, by=cast.a_reviewer)  # a reviewer does not register
    assert refused.value.message == "您没有在该单位登记的权限"
    assert counts()["cases"] == 0


# --- the backdating rule (FAZHI_BACKDATE_DAYS) ----------------------------------------------

# (days before today, reason given, allowed)
BACKDATED = [
    (0, "", True),
    (7, "", True),
    (8, "", False),
    (8, "补录纸质台账", True),
    (30, "", False),
]


@pytest.fixture
def backdate_rule(settings: Any) -> None:
    settings.FAZHI_BACKDATE_DAYS = 7


@pytest.mark.usefixtures("backdate_rule")
@pytest.mark.parametrize(("days", "reason", "allowed"), BACKDATED)
def test_a_backdated_step_needs_a_reason(cast: Any, days: int, reason: str, allowed: bool) -> None:
    case = new_case(cast, d(10, 20), backdate_reason="补录纸质台账")
    on = TODAY - dt.timedelta(days=days)
    written = counts()
    if not allowed:
        with pytest.raises(ActionError) as refused:
            step(case, "ask", cast.a_clerk, on, backdate_reason=reason)
        assert refused.value.field == "backdate_reason"
        assert refused.value.message == (
            f"征询日期（{on:%Y-%m-%d}）早于今天{days}日，超过7日的补录须写明补录原因"
        )
        assert counts() == written
        return
    step(case, "ask", cast.a_clerk, on, backdate_reason=reason)
    event = CaseEvent.objects.get(record=case, kind="asked")
    assert event.data.get("backdate_reason", "") == reason
    item = next(t for t in timeline(UI, case) if t.label == "发出征询")
    assert item.backdate_reason == reason
    assert item.late_entry is (days > 7)


@pytest.mark.usefixtures("backdate_rule")
@pytest.mark.parametrize(("days", "reason", "allowed"), BACKDATED)
def test_a_backdated_registration_needs_a_reason(
    cast: Any, days: int, reason: str, allowed: bool
) -> None:
    on = TODAY - dt.timedelta(days=days)
    if not allowed:
        with pytest.raises(ActionError) as refused:
            new_case(cast, on, backdate_reason=reason)
        assert refused.value.field == "backdate_reason"
        assert f"收到日期（{on:%Y-%m-%d}）早于今天{days}日" in refused.value.message
        assert counts()["cases"] == 0
        return
    case = new_case(cast, on, backdate_reason=reason)
    registered = CaseEvent.objects.get(record=case, kind="registered")
    assert registered.data.get("backdate_reason", "") == reason
    assert timeline(UI, case)[0].backdate_reason == reason


def test_without_the_rule_old_dates_need_no_reason(cast: Any) -> None:
    """historical_entry (autouse here) turns the rule off for suites that replay old work."""
    case = new_case(cast, d(1, 5))
    step(case, "ask", cast.a_clerk, d(1, 6))
    assert fresh(case).status == S.WAITING


def test_register_draws_numbers_and_refuses_a_taken_one(cast: Any) -> None:
    first = new_case(cast)
    second = new_case(cast)
    assert (first.number, second.number) == ("TOY-2026-001", "TOY-2026-002")
    typed = new_case(cast, number="TOY-2026-007")
    assert typed.number == "TOY-2026-007"
    with pytest.raises(ActionError) as refused:
        new_case(cast, number="TOY-2026-007")
    assert refused.value.message == "编号「TOY-2026-007」在本单位已存在"
    assert refused.value.field == "number"
    # Another unit has its own numbers.
    other = actions.register(
        unit=cast.street_b, by=cast.b_clerk, received_on=d(11, 2), subject="乙", number=""
    )
    assert other.number == "TOY-2026-001"
