"""A 信访事项 through its actions: clocks, routing, the head-approved extension, the 意见书,
复查/复核, repeat matters, visits, permissions and separation of duties."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from fazhi.core.audit.models import AuditEvent
from fazhi.core.metrics import evaluate
from fazhi.core.workflow import ActionError, IllegalMove
from fazhi.ledgers.petitions import actions
from fazhi.ledgers.petitions.models import Petition, Status, Visit

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        yield


FIRST = D(2026, 3, 2)


def new(cast: Any, received: dt.date = FIRST, **kw: Any) -> Petition:
    fields = {
        "form": "letter",
        "source": "direct",
        "category": "appeal",
        "content": "反映小区停车位规划问题",
        "petitioner": "王某",
        "address": "东湖街道1号",
        "contact": "13900000001",
    } | kw
    return actions.register(unit=cast.street_a, by=cast.a_clerk, received_on=received, **fields)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 1, 20), D(2026, 2, 4)),  # 15日, an ordinary Wednesday
        (D(2026, 2, 5), D(2026, 2, 24)),  # the 15th day (2/20) falls in 春节: rolls to 2/24
        (D(2026, 9, 16), D(2026, 10, 8)),  # the 15th day is 国庆 (10/1): rolls to 10/8
        (D(2026, 3, 21), D(2026, 4, 7)),  # 4/5 is 清明 (4/4–4/6 off): rolls to 4/7
    ],
)
def test_written_notice_is_due_within_15_days(cast: Any, received: dt.date, due: dt.date) -> None:
    p = new(cast, received)
    assert p.number == f"XF-{received.year}-0001"
    assert p.status == Status.REGISTERED
    assert p.notice_due_on == due


def test_no_notice_is_owed_when_name_or_address_is_unknown(cast: Any) -> None:
    p = new(cast, petitioner="", address="", contact="")
    assert p.notice_due_on is None and p.due_on is None
    assert not p.notifiable


@pytest.mark.parametrize(
    ("accepted", "due"),
    [
        (D(2026, 8, 1), D(2026, 9, 30)),  # 60日 from acceptance
        (D(2026, 8, 3), D(2026, 10, 8)),  # the 60th day is 10/2 (国庆): rolls to 10/8
    ],
)
def test_handling_runs_60_days_from_acceptance(cast: Any, accepted: dt.date, due: dt.date) -> None:
    p = new(cast, accepted - dt.timedelta(days=3))
    p = actions.accept(p, by=cast.a_clerk, on=accepted)
    assert (p.status, p.handle_due_on, p.due_kind, p.routed_on) == (
        Status.HANDLING,
        due,
        "handle",
        accepted,
    )
    assert p.handler == cast.a_clerk


def test_extension_is_asked_by_the_handler_and_approved_by_the_head(cast: Any) -> None:
    p = actions.accept(new(cast), by=cast.a_clerk, on=D(2026, 3, 5))
    assert p.handle_due_on == D(2026, 5, 6)  # the 60th day (5/4) is in 劳动节 (5/1–5/5)
    with pytest.raises(IllegalMove, match="没有待批准"):
        actions.extend(
            p, by=cast.a_leader, on=D(2026, 4, 20), reason="复杂", told_on=D(2026, 4, 20)
        )
    with pytest.raises(ActionError, match="1至30日"):
        actions.request_extension(p, by=cast.a_clerk, on=D(2026, 4, 20), days=31, reason="复杂")
    p = actions.request_extension(
        p, by=cast.a_clerk, on=D(2026, 4, 20), days=20, reason="涉及多部门"
    )
    with pytest.raises(IllegalMove, match="权限"):
        actions.extend(p, by=cast.a_clerk, on=D(2026, 4, 21), reason="同意", told_on=D(2026, 4, 21))
    with pytest.raises(ActionError, match="告知信访人"):
        actions.extend(
            p, by=cast.a_leader, on=D(2026, 4, 21), reason="同意", told_on=D(2026, 4, 20)
        )
    p = actions.extend(
        p, by=cast.a_leader, on=D(2026, 4, 21), reason="同意", told_on=D(2026, 4, 22)
    )
    assert p.handle_due_on == D(2026, 5, 25)  # 80日 from 3/5 is 5/24, a Sunday
    with pytest.raises(IllegalMove, match="只能延长一次"):
        actions.request_extension(p, by=cast.a_clerk, on=D(2026, 4, 23), days=5, reason="再延")


def test_the_head_who_asked_cannot_approve_their_own_extension(cast: Any) -> None:
    p = actions.accept(new(cast), by=cast.a_leader, on=D(2026, 3, 5))  # the leader handles it
    p = actions.request_extension(p, by=cast.a_leader, on=D(2026, 4, 1), days=10, reason="复杂")
    with pytest.raises(IllegalMove, match="不能自行批准"):
        actions.extend(p, by=cast.a_leader, on=D(2026, 4, 2), reason="同意", told_on=D(2026, 4, 2))


def test_only_the_assigned_handler_issues_the_opinion(cast: Any) -> None:
    p = actions.accept(new(cast), by=cast.a_clerk, on=D(2026, 3, 5), handler=cast.a_reviewer)
    with pytest.raises(IllegalMove, match="承办人"):
        actions.opinion(p, by=cast.a_clerk, on=D(2026, 3, 20), result="support", basis="《条例》")
    with pytest.raises(ActionError, match="依据"):
        actions.opinion(p, by=cast.a_reviewer, on=D(2026, 3, 20), result="support", basis=" ")
    p = actions.opinion(
        p, by=cast.a_reviewer, on=D(2026, 3, 20), result="explain", basis="《物业管理条例》"
    )
    assert (p.status, p.result, p.replied_on) == (Status.REPLIED, "explain", D(2026, 3, 20))
    assert p.review_request_due_on == D(2026, 4, 20)  # 30日 from the reply (4/19 is a Sunday)


def test_review_and_recheck_are_recorded_as_the_matters_history(cast: Any) -> None:
    p = actions.accept(new(cast), by=cast.a_clerk, on=D(2026, 3, 5))
    p = actions.opinion(p, by=cast.a_clerk, on=D(2026, 3, 20), result="reject", basis="无事实依据")
    p = actions.feedback(p, by=cast.a_clerk, on=D(2026, 3, 25), satisfaction="dissatisfied")
    p = actions.review_requested(p, by=cast.a_clerk, on=D(2026, 4, 10), to="示例区人民政府")
    assert p.status == Status.UNDER_REVIEW and p.review_request_due_on is None
    p = actions.review_decided(p, by=cast.a_clerk, on=D(2026, 5, 6), result="upheld")
    assert p.status == Status.REVIEWED and p.recheck_request_due_on == D(2026, 6, 5)
    p = actions.recheck_requested(p, by=cast.a_clerk, on=D(2026, 5, 20), to="市人民政府")
    p = actions.recheck_decided(p, by=cast.a_clerk, on=D(2026, 6, 10), result="upheld")
    assert (p.status, p.review_result, p.recheck_result) == (Status.FINAL, "upheld", "upheld")


def test_a_recheck_handled_here_excludes_its_hearing(cast: Any) -> None:
    p = new(
        cast,
        D(2026, 3, 2),
        stage="recheck",
        original="某街道2026年1月5日答复；区政府2月10日复查意见",
    )
    assert p.handle_due_on == D(2026, 4, 1)  # 30日 from receipt
    p = actions.accept(p, by=cast.a_clerk, on=D(2026, 3, 3))
    p = actions.start_hearing(p, by=cast.a_clerk, on=D(2026, 3, 10))
    p = actions.end_hearing(p, by=cast.a_clerk, on=D(2026, 3, 15))
    assert p.handle_due_on == D(2026, 4, 7)  # +5 days of hearing: 4/6 → 4/7 (清明)
    with pytest.raises(IllegalMove, match="没有正在进行的听证"):
        actions.end_hearing(p, by=cast.a_clerk, on=D(2026, 3, 16))
    p = actions.start_hearing(p, by=cast.a_clerk, on=D(2026, 3, 17))
    with pytest.raises(IllegalMove, match="听证尚未结束"):
        actions.start_hearing(p, by=cast.a_clerk, on=D(2026, 3, 18))
    with pytest.raises(ActionError, match="原办理单位"):
        new(cast, stage="review", original="")


def test_a_hearing_is_only_for_a_recheck_and_only_ends_once_started(cast: Any) -> None:
    p = actions.accept(new(cast), by=cast.a_clerk, on=D(2026, 3, 5))
    with pytest.raises(IllegalMove, match="只有复核事项"):
        actions.start_hearing(p, by=cast.a_clerk, on=D(2026, 3, 6))
    with pytest.raises(IllegalMove, match="没有正在进行的听证"):
        actions.end_hearing(p, by=cast.a_clerk, on=D(2026, 3, 6))
    assert list(p.events.values_list("kind", flat=True)) == ["registered", "accepted"]


def test_a_matter_from_above_may_be_objected_to_within_5_working_days(cast: Any) -> None:
    p = new(cast, D(2026, 3, 2), source="assigned")
    assert p.objection_due_on == D(2026, 3, 9)
    with pytest.raises(IllegalMove, match="5个工作日内"):
        actions.object_to_transfer(p, by=cast.a_clerk, on=D(2026, 3, 10), reason="不属本机关职权")
    p = actions.object_to_transfer(p, by=cast.a_clerk, on=D(2026, 3, 9), reason="不属本机关职权")
    assert p.status == Status.OBJECTED
    p = actions.objection_refused(p, by=cast.a_clerk, on=D(2026, 3, 12))
    assert p.status == Status.REGISTERED
    direct = new(cast, D(2026, 3, 2), contact="13900000009")
    with pytest.raises(IllegalMove, match="交办、转送"):
        actions.object_to_transfer(direct, by=cast.a_clerk, on=D(2026, 3, 3), reason="x")


def test_not_accepted_matters_are_pointed_to_their_procedure(cast: Any) -> None:
    p = new(cast)
    with pytest.raises(ActionError, match="途径"):
        actions.not_accept(p, by=cast.a_clerk, on=D(2026, 3, 5), procedure="")
    p = actions.not_accept(p, by=cast.a_clerk, on=D(2026, 3, 5), procedure="litigation")
    assert p.status == Status.NOT_ACCEPTED and p.routed_on == D(2026, 3, 5)
    assert p.events.get(kind="not_accepted").data["procedure"] == "litigation"


def test_a_repeat_while_the_same_matter_is_pending_is_linked(cast: Any) -> None:
    first = actions.accept(new(cast, D(2026, 3, 2)), by=cast.a_clerk, on=D(2026, 3, 4))
    repeat = new(cast, D(2026, 3, 10))
    assert repeat.repeat_of == first
    assert repeat.events.get(kind="registered").data["repeat_of"] == first.number
    other = new(cast, D(2026, 3, 10), petitioner="李某", contact="13900000002", address="")
    assert other.repeat_of is None
    actions.opinion(first, by=cast.a_clerk, on=D(2026, 3, 20), result="support", basis="依据")
    actions.not_accept(repeat, by=cast.a_clerk, on=D(2026, 3, 12), procedure="repeat")
    assert new(cast, D(2026, 3, 25)).repeat_of is None  # no longer pending


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"form": "visit", "visitors": 12, "representatives": 6}, "不超过5人"),
        ({"form": "visit", "visitors": 2, "representatives": 3}, "不能多于来访人数"),
        ({"category": "complaint"}, "信访类型"),
        ({"form": "fax"}, "信访形式"),
        ({"received": D(2026, 11, 26)}, "不能晚于今天"),
        ({"content": "  "}, "诉求内容"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    cast: Any, fields: dict[str, Any], message: str
) -> None:
    received = fields.pop("received", D(2026, 3, 2))
    with pytest.raises(ActionError, match=message):
        new(cast, received, **fields)
    assert not Petition.with_voided.exists() and not Visit.objects.exists()
    assert not AuditEvent.objects.filter(code__startswith="petitions").exists()


def test_a_reply_cannot_be_dated_before_receipt_or_acceptance(cast: Any) -> None:
    p = actions.accept(new(cast, D(2026, 3, 2)), by=cast.a_clerk, on=D(2026, 3, 5))
    with pytest.raises(ActionError, match="上一办理环节"):
        actions.opinion(p, by=cast.a_clerk, on=D(2026, 3, 4), result="support", basis="依据")
    with pytest.raises(ActionError, match="不能早于收到"):
        actions.opinion(p, by=cast.a_clerk, on=D(2026, 3, 1), result="support", basis="依据")


def test_visits_count_batches_and_people(cast: Any) -> None:
    p = new(cast, D(2026, 3, 2), form="visit", visitors=8, representatives=5)
    actions.add_visit(p, by=cast.a_clerk, on=D(2026, 3, 9), visitors=3, representatives=1)
    with pytest.raises(ActionError, match="不超过5人"):
        actions.add_visit(p, by=cast.a_clerk, on=D(2026, 3, 10), visitors=9, representatives=6)
    qs = Petition.objects.filter(unit=cast.street_a)
    assert evaluate("xf.visit_batches", qs, 2026).value == 2
    people = evaluate("xf.visit_people", qs, 2026)
    assert people.value == 11
    assert list(people.records()) == [p]


def test_indicators_count_exactly_their_records(cast: Any) -> None:
    on_time = actions.accept(new(cast, D(2026, 3, 2)), by=cast.a_clerk, on=D(2026, 3, 5))
    on_time = actions.opinion(
        on_time, by=cast.a_clerk, on=D(2026, 4, 1), result="support", basis="x"
    )
    actions.feedback(on_time, by=cast.a_clerk, on=D(2026, 4, 5), satisfaction="basically")
    late = new(cast, D(2026, 3, 2), petitioner="李某", contact="13900000003")
    late = actions.accept(late, by=cast.a_clerk, on=D(2026, 3, 30))  # routed after 15日
    late = actions.opinion(late, by=cast.a_clerk, on=D(2026, 6, 10), result="reject", basis="x")
    actions.feedback(late, by=cast.a_clerk, on=D(2026, 6, 12), satisfaction="dissatisfied")
    qs = Petition.objects.filter(unit=cast.street_a)
    for code, value, num in [
        ("xf.accepted_in_time_rate", 50.0, [on_time]),
        ("xf.on_time_rate", 50.0, [on_time]),
        ("xf.satisfaction_rate", 50.0, [on_time]),
    ]:
        figure = evaluate(code, qs, 2026)
        assert figure.value == value, code
        assert set(figure.records()) == {on_time, late}, code
        assert list(figure.records().filter(figure.numerator_q)) == num, code
    assert evaluate("xf.form.letter", qs, 2026).value == 2
    assert evaluate("xf.category.appeal", qs, 2026).value == 2


def test_a_correction_is_checked_with_the_fields_it_may_not_change(cast: Any) -> None:
    """来源 and 事项类别 are not correctable, yet the matter's checks need them: a typo is put
    right, and a 复查's 原办理单位及答复 cannot be corrected away."""
    from fazhi.core.records import corrections
    from fazhi.ledgers.petitions.ledger import LEDGER

    p = new(cast, content="反映小区停车为规划问题")
    p = corrections.correct(
        LEDGER, p, by=cast.a_clerk, changes={"content": "反映小区停车位规划问题"}, reason="笔误"
    )
    assert p.content == "反映小区停车位规划问题"
    review = new(cast, stage="review", original="某街道2026年1月5日答复", contact="13900000007")
    with pytest.raises(ActionError, match="原办理单位"):
        corrections.correct(LEDGER, review, by=cast.a_clerk, changes={"original": ""}, reason="x")
    review.refresh_from_db()
    assert review.original == "某街道2026年1月5日答复"


def test_outsider_and_supervisor_cannot_move_a_matter(cast: Any) -> None:
    p = new(cast)
    with pytest.raises(ActionError, match="未找到"):
        actions.accept(p, by=cast.b_clerk, on=D(2026, 3, 5))
    with pytest.raises(IllegalMove, match="权限"):
        actions.accept(p, by=cast.supervisor, on=D(2026, 3, 5))
    with pytest.raises(ActionError, match="承办人"):
        actions.accept(p, by=cast.a_clerk, on=D(2026, 3, 5), handler=cast.b_clerk)
    p.refresh_from_db()
    assert p.status == Status.REGISTERED


def test_a_calendar_change_moves_the_open_matters_clocks(cast: Any) -> None:
    """Every stage's clock shares the 办理期限 field; the recompute writes it once per row."""
    from fazhi.core.calendar.models import CalendarDay
    from fazhi.core.calendar.service import clear_cache
    from fazhi.core.records.clocks import recompute_all_ledgers

    handling = actions.accept(new(cast, D(2026, 10, 1)), by=cast.a_clerk, on=D(2026, 10, 9))
    recheck = new(cast, D(2026, 11, 20), stage="recheck", original="区政府复查意见", contact="1")
    assert (handling.handle_due_on, recheck.handle_due_on) == (D(2026, 12, 8), D(2026, 12, 21))
    # The 60th day (12/8) becomes a holiday: it rolls to the next working day.
    CalendarDay.objects.create(date=D(2026, 12, 8), kind="holiday", name="测试")
    clear_cache()
    assert recompute_all_ledgers() >= 1
    handling.refresh_from_db()
    recheck.refresh_from_db()
    assert (handling.handle_due_on, recheck.handle_due_on) == (D(2026, 12, 9), D(2026, 12, 21))
