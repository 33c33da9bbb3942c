"""Putting mistakes right: correct, void and undo, each an action with a reason and a declared
permission, shown in the timeline and audited; nothing leaves the timeline."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.metrics import evaluate
from fazhi.core.records import corrections, queries
from fazhi.core.records.tests.helpers import (
    LEDGER,
    TODAY,
    counts,
    d,
    fresh,
    import_rows,
    new_case,
    row,
    step,
)
from fazhi.core.records.tests.toy import actions
from fazhi.core.records.tests.toy.models import Case, CaseEvent, Status
from fazhi.core.records.tests.toy.ui import UI
from fazhi.core.web.timeline import timeline
from fazhi.core.workflow import ActionError

S = Status
pytestmark = pytest.mark.usefixtures("now")
ID_A = "11010519491231002X"
ID_B = "110105194912310037"


def correct(case: Case, by: Any, reason: str = "登记有误", **changes: Any) -> Case:
    done: Case = corrections.correct(LEDGER, case, by=by, changes=changes, reason=reason)
    return done


# --- correct ---------------------------------------------------------------------------------


def test_only_declared_fields_can_be_corrected(cast: Any) -> None:
    case = new_case(cast)
    written = counts()
    for field, value in [("status", S.CLOSED), ("handler", cast.a_leader), ("number", "X-1")]:
        with pytest.raises(ActionError) as refused:
            correct(case, cast.a_clerk, **{field: value})
        assert refused.value.message == f"不能更正：{field}"
    assert counts() == written


# (field, bad value, message): the same refusal when registering and when correcting.
BAD = [
    ("subject", "  ", "请填写事项"),
    ("category", "robot", "类型无效"),
    ("id_number", "12345", "证件号码应为18位"),
    ("subject", "长" * 101, "「事项」过长（最多100个字符，实际101个字符）"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD)
def test_a_correction_is_validated_like_a_registration(
    cast: Any, field: str, value: str, message: str
) -> None:
    with pytest.raises(ActionError) as at_registration:
        new_case(cast, **{field: value})
    case = new_case(cast)
    written = counts()
    with pytest.raises(ActionError) as at_correction:
        correct(case, cast.a_clerk, **{field: value})
    assert at_registration.value.message == at_correction.value.message == message
    assert at_registration.value.field == at_correction.value.field == field
    assert counts() == written


def test_a_correction_stores_the_value_as_validation_normalised_it(cast: Any) -> None:
    case = new_case(cast, id_number=ID_A.lower())
    assert fresh(case).id_number == ID_A  # registering upper-cases the check digit
    correct(case, cast.a_clerk, id_number="11010519491231003x")
    assert fresh(case).id_number == "11010519491231003X"
    with pytest.raises(ActionError, match="没有需要更正的内容"):  # only the case differs
        correct(case, cast.a_clerk, id_number="11010519491231003x")


def test_a_correction_needs_a_reason_a_change_and_the_permission(cast: Any) -> None:
    case = new_case(cast)
    with pytest.raises(ActionError, match="请写明更正的原因"):
        correct(case, cast.a_clerk, reason=" ", subject="新")
    with pytest.raises(ActionError, match="没有需要更正的内容"):
        correct(case, cast.a_clerk, subject=case.subject)
    with pytest.raises(ActionError, match="您没有更正登记信息的权限"):
        correct(case, cast.supervisor, subject="新")
    with pytest.raises(ActionError, match="未找到该记录"):
        correct(case, cast.b_clerk, subject="新")
    assert kinds_of(case) == ["registered"]


def kinds_of(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(record=case).values_list("kind", flat=True))


def test_the_start_date_moves_the_registration_step_and_the_clocks(cast: Any) -> None:
    case = new_case(cast)
    assert fresh(case).handle_due_on == d(11, 16)
    correct(case, cast.a_clerk, received_on=d(10, 30))
    registered = CaseEvent.objects.get(record=case, kind="registered")
    assert registered.on == d(10, 30)
    assert (fresh(case).handle_due_on, fresh(case).window_due_on) == (d(11, 13), d(11, 4))
    item = next(t for t in timeline(UI, case) if t.label == "更正登记信息")
    assert item.detail == "收到日期：2026-11-02 → 2026-10-30；登记有误"


def test_the_start_date_cannot_pass_the_first_step(cast: Any) -> None:
    case = step(new_case(cast), "ask", cast.a_clerk, d(11, 5))
    with pytest.raises(ActionError) as refused:
        correct(case, cast.a_clerk, received_on=d(11, 6))
    assert refused.value.message == "收到日期不能晚于第一个办理环节的日期（2026-11-05）"
    assert refused.value.field == "received_on"
    with pytest.raises(ActionError, match="收到日期不能晚于今天"):
        correct(new_case(cast), cast.a_clerk, received_on=d(11, 26))
    correct(case, cast.a_clerk, received_on=d(11, 5))  # the same day as the step is fine
    assert fresh(case).received_on == d(11, 5)


def test_sensitive_values_never_reach_the_timeline_or_the_audit(cast: Any) -> None:
    case = new_case(cast, id_number=ID_A)
    correct(case, cast.a_clerk, id_number=ID_B, subject="改正事项")
    event = CaseEvent.objects.get(record=case, kind="fields_corrected")
    assert event.data["changes"]["id_number"] == ["（已更正）", "（已更正）"]
    assert event.data["changes"]["subject"] == ["示例事项", "改正事项"]
    stored = json.dumps(
        [*CaseEvent.objects.values("data", "note"), *AuditEvent.objects.values("data")],
        ensure_ascii=False,
    )
    assert ID_A not in stored and ID_B not in stored
    assert "改正事项" in stored  # the positive control: ordinary values are there
    item = next(t for t in timeline(UI, case) if t.label == "更正登记信息")
    assert "证件号码：（已更正） → （已更正）" in item.detail
    assert fresh(case).id_number == ID_B
    audit = AuditEvent.objects.get(code="toy.case.fields_corrected")
    assert audit.data["reason"] == "登记有误"


# --- void ------------------------------------------------------------------------------------


def closed_case(cast: Any, number: str = "") -> Case:
    case = step(new_case(cast, number=number), "submit", cast.a_clerk, d(11, 5))
    return step(case, "review", cast.a_reviewer, d(11, 6))


def test_a_voided_record_leaves_lists_queries_todo_and_figures(cast: Any) -> None:
    kept, voided = closed_case(cast), closed_case(cast)
    overdue_kept, overdue_voided = new_case(cast), new_case(cast)
    unit_a = Case.objects.filter(unit=cast.street_a)
    assert evaluate("toy.closed", unit_a, 2026).value == 2
    assert queries.overdue(LEDGER, unit_a, TODAY).count() == 2
    for case in (voided, overdue_voided):
        corrections.void(LEDGER, case, by=cast.a_leader, reason="重复登记")
    unit_a = Case.objects.filter(unit=cast.street_a)
    figure = evaluate("toy.closed", unit_a, 2026)
    assert figure.value == 1 and list(figure.records()) == [kept]
    assert set(Case.objects.visible_to(cast.a_clerk)) == {kept, overdue_kept}
    assert list(queries.open_items(LEDGER, unit_a)) == [overdue_kept]
    assert list(queries.overdue(LEDGER, unit_a, TODAY)) == [overdue_kept]
    todo = queries.todo(LEDGER, Case.objects.visible_to(cast.a_clerk), TODAY)
    assert list(todo["逾期"]) == [overdue_kept]
    assert Case.with_voided.count() == 4  # still there, for the audit and the detail page
    client = Client()
    client.force_login(cast.a_clerk)
    page = client.get(reverse("web:detail", args=["toy", voided.pk])).content.decode()
    assert "作废：重复登记" in page and 'class="moves"' not in page
    listing = client.get(reverse("web:list", args=["toy"])).content.decode()
    assert kept.number in listing and voided.number not in listing


def test_a_voided_number_stays_taken(cast: Any) -> None:
    first, second = new_case(cast), new_case(cast)
    corrections.void(LEDGER, second, by=cast.a_leader, reason="误录")
    assert new_case(cast).number == "TOY-2026-003"
    with pytest.raises(ActionError) as refused:
        new_case(cast, number=second.number)
    assert refused.value.message.startswith("编号「TOY-2026-002」")  # taken (main names why)
    assert refused.value.field == "number"
    written = counts()
    outcome = import_rows(cast, [row(second.number), row("NEW-1")])
    assert outcome.errors == ["第2行「案件编号」「TOY-2026-002」已作废，不能再次导入"]
    assert counts() == written
    assert first.number == "TOY-2026-001"


def test_voiding_needs_its_permission_and_a_reason(cast: Any) -> None:
    case = new_case(cast)
    with pytest.raises(ActionError, match="您没有作废记录的权限"):
        corrections.void(LEDGER, case, by=cast.a_clerk, reason="误录")
    with pytest.raises(ActionError, match="请写明作废的原因"):
        corrections.void(LEDGER, case, by=cast.a_leader, reason="")
    corrections.void(LEDGER, case, by=cast.a_leader, reason="误录")
    with pytest.raises(ActionError, match="可能已作废"):
        corrections.void(LEDGER, case, by=cast.a_leader, reason="再次")
    audit = AuditEvent.objects.get(code="toy.case.voided")
    assert audit.data == {"number": case.number, "reason": "误录", "status": S.RECEIVED}


# --- undo ------------------------------------------------------------------------------------


def test_undo_restores_every_field_the_move_changed(cast: Any) -> None:
    case = closed_case(cast)
    assert (fresh(case).status, fresh(case).closed_on, fresh(case).due_on) == (
        S.CLOSED,
        d(11, 6),
        None,
    )
    corrections.undo(LEDGER, case, by=cast.a_leader, reason="审核意见录错")
    undone = fresh(case)
    assert (undone.status, undone.closed_on, undone.due_on, undone.due_kind) == (
        S.SUBMITTED,
        None,
        d(11, 16),
        "handle",
    )
    review = CaseEvent.objects.get(record=case, kind="reviewed")
    assert review.undone_at is not None
    assert [t.label for t in timeline(UI, case) if t.undone] == ["审核通过"]
    assert AuditEvent.objects.get(code="toy.case.undone").data == {
        "number": case.number,
        "move": "review",
        "reason": "审核意见录错",
        "status": S.SUBMITTED,
    }
    # The step can be taken again, by a reviewer.
    assert step(undone, "review", cast.a_reviewer, d(11, 9)).closed_on == d(11, 9)


def test_undo_restores_a_relation_the_move_set(cast: Any) -> None:
    case = new_case(cast, handler=cast.a_reviewer)
    actions.assign(case, by=cast.a_leader, on=d(11, 3), handler=cast.a_clerk)
    assert fresh(case).handler == cast.a_clerk
    assigned = CaseEvent.objects.get(record=case, kind="assigned")
    assert assigned.data["_before"] == {"handler": cast.a_reviewer.pk}
    corrections.undo(LEDGER, case, by=cast.a_leader, reason="分错了人")
    assert fresh(case).handler == cast.a_reviewer
    unassigned = new_case(cast)
    actions.assign(unassigned, by=cast.a_leader, on=d(11, 3), handler=cast.a_clerk)
    corrections.undo(LEDGER, unassigned, by=cast.a_leader, reason="分错了人")
    assert fresh(unassigned).handler is None


def test_undo_brings_back_the_clock_a_step_stopped(cast: Any) -> None:
    case = step(new_case(cast), "supplement", cast.a_clerk, d(11, 4))
    assert fresh(case).window_due_on is None
    corrections.undo(LEDGER, case, by=cast.a_clerk, reason="未收到材料")
    assert fresh(case).window_due_on == d(11, 9)


# (steps first, who undoes, the refusal or None)
UNDO = [
    (("submit", "review"), "a_reviewer", "您没有撤销「审核通过」的权限"),  # declared: APPROVE
    (("submit", "review"), "a_leader", None),
    (("request_extension", "refuse_extension"), "a_clerk", "「不予批准延期」不能撤销"),
    (("ask",), "a_clerk", None),  # same permission as the move
    (("ask",), "supervisor", "您没有撤销「发出征询」的权限"),
    ((), "a_clerk", "没有可撤销的办理环节"),
]


@pytest.mark.parametrize(("before", "who", "refusal"), UNDO)
def test_undo_needs_the_permission_declared_for_the_move(
    cast: Any, before: tuple[str, ...], who: str, refusal: str | None
) -> None:
    case = new_case(cast)
    actors = {"review": cast.a_reviewer, "refuse_extension": cast.a_leader}
    for i, code in enumerate(before):
        case = step(case, code, actors.get(code, cast.a_clerk), d(11, 3 + i))
    written = counts()
    if refusal is None:
        corrections.undo(LEDGER, case, by=getattr(cast, who), reason="录错")
        assert counts()["undone"] == written["undone"] + 1
        return
    with pytest.raises(ActionError) as refused:
        corrections.undo(LEDGER, case, by=getattr(cast, who), reason="录错")
    assert refused.value.message == refusal
    assert counts() == written


def test_undoing_twice_takes_back_the_move_before_if_it_too_is_allowed(cast: Any) -> None:
    case = step(new_case(cast), "ask", cast.a_clerk, d(11, 3))
    case = step(case, "answer", cast.a_clerk, d(11, 4))
    corrections.undo(LEDGER, case, by=cast.a_clerk, reason="录错")
    assert fresh(case).status == S.WAITING
    corrections.undo(LEDGER, case, by=cast.a_clerk, reason="也录错了")
    assert fresh(case).status == S.RECEIVED
    assert fresh(case).handle_due_on == d(11, 16)
    with pytest.raises(ActionError, match="没有可撤销的办理环节"):
        corrections.undo(LEDGER, case, by=cast.a_clerk, reason="再撤")
    # Behind a move that cannot be undone, undoing stops.
    other = step(new_case(cast), "request_extension", cast.a_clerk, d(11, 3))
    other = step(other, "refuse_extension", cast.a_leader, d(11, 4))
    other = step(other, "supplement", cast.a_clerk, d(11, 5))
    corrections.undo(LEDGER, other, by=cast.a_clerk, reason="录错")
    with pytest.raises(ActionError, match="「不予批准延期」不能撤销"):
        corrections.undo(LEDGER, other, by=cast.a_leader, reason="再撤")


def test_an_imported_step_cannot_be_undone(cast: Any) -> None:
    assert import_rows(cast, [row("IMP-1", 提交审核日期="2026-11-05")]).ok
    case = Case.objects.get(number="IMP-1")
    with pytest.raises(ActionError) as refused:
        corrections.undo(LEDGER, case, by=cast.a_leader, reason="录错")
    assert refused.value.message == "「提交审核」为导入的环节，不能撤销；如有错误请更正或作废"
    case = step(case, "review", cast.a_reviewer, d(11, 6))  # a step made in fazhi can be
    corrections.undo(LEDGER, case, by=cast.a_leader, reason="录错")
    assert fresh(case).status == S.SUBMITTED
    with pytest.raises(ActionError, match="为导入的环节"):
        corrections.undo(LEDGER, case, by=cast.a_leader, reason="再撤")
