"""Ticking 责任清单 items off with activities, the roster's moves, and the checks every count
and date passes (the form, the action, a correction and the import share them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from fazhi.core.audit.models import AuditEvent
from fazhi.core.calendar.service import get_calendar
from fazhi.core.records import corrections, queries
from fazhi.core.records.clocks import states
from fazhi.core.workflow import ActionError
from fazhi.ledgers.pufa import actions
from fazhi.ledgers.pufa.ledger import ACTIVITIES, DUTIES, STUDIES
from fazhi.ledgers.pufa.models import (
    Activity,
    ActivityEvent,
    Duty,
    DutyEvent,
    Person,
    Study,
)
from fazhi.ledgers.pufa.tests.world import TODAY, World, activity, d, person, study


def counts() -> dict[str, int]:
    return {
        "activities": Activity.with_voided.count(),
        "activity_events": ActivityEvent.objects.count(),
        "duties": Duty.with_voided.count(),
        "duty_events": DutyEvent.objects.count(),
        "done": Duty.objects.filter(status="done").count(),
        "people": Person.with_voided.count(),
        "studies": Study.with_voided.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_an_activity_naming_an_item_ticks_it_off_in_the_same_step(world: World) -> None:
    cast = world.cast
    a = activity(cast.street_a, cast.a_clerk, duty_number=world.a_law.number)
    duty = Duty.objects.get(pk=world.a_law.pk)
    assert a.duty_id == duty.pk
    assert (duty.status, duty.done_on) == ("done", d(5, 20))
    assert duty.due_on is None  # 已落实: the 完成期限 no longer runs
    assert [e.kind for e in duty.events.all()] == ["registered", "ticked"]
    assert duty.events.get(kind="ticked").data["activity"] == a.number
    assert [e.kind for e in a.events.all()] == ["registered", "ticked"]
    codes = set(AuditEvent.objects.values_list("code", flat=True))
    assert {"pufa.activity.registered", "pufa.activity.ticked", "pufa.duty.ticked"} <= codes


def test_an_item_of_another_unit_is_refused_like_a_missing_one_and_nothing_is_written(
    world: World,
) -> None:
    cast = world.cast
    before = counts()
    with pytest.raises(ActionError) as theirs:
        activity(cast.street_a, cast.a_clerk, duty_number=world.b_duty.number)
    with pytest.raises(ActionError) as missing:
        activity(cast.street_a, cast.a_clerk, duty_number="QD-2026-999")
    assert theirs.value.field == missing.value.field == "duty_number"
    assert "东湖街道的普法责任清单中没有编号为" in theirs.value.message
    assert counts() == before
    a = activity(cast.street_a, cast.a_clerk)
    with pytest.raises(ActionError) as direct:
        actions.tick(a, by=cast.a_clerk, on=d(5, 20), duty=world.b_duty)
    assert direct.value.field == "duty"
    assert Duty.objects.get(pk=world.b_duty.pk).status == "open"


def test_an_item_is_ticked_once_and_an_activity_ticks_one_item(world: World) -> None:
    cast = world.cast
    first = activity(cast.street_a, cast.a_clerk, duty_number=world.a_law.number)
    before = counts()
    with pytest.raises(ActionError, match="已落实"):
        activity(cast.street_a, cast.a_clerk, duty_number=world.a_law.number)
    with pytest.raises(ActionError, match="一场活动落实一项"):
        actions.tick(first, by=cast.a_clerk, on=d(5, 21), duty=world.a_safety)
    assert counts() == before


def test_an_activity_before_the_item_was_listed_cannot_tick_it(world: World) -> None:
    cast = world.cast
    late = actions.register_duty(
        unit=cast.street_a, by=cast.a_clerk, year=2026, department="司法所",
        content="宪法宣传周", listed_on=d(6, 1),
    )  # fmt: skip
    before = counts()
    with pytest.raises(ActionError) as exc:
        activity(cast.street_a, cast.a_clerk, held_on=d(5, 20), duty_number=late.number)
    assert exc.value.field == "duty_number"
    assert "不能早于列入清单日期（2026-06-01）" in exc.value.message
    assert counts() == before


def test_a_leader_takes_a_tick_back_and_the_item_is_open_again(world: World) -> None:
    cast = world.cast
    a = activity(cast.street_a, cast.a_clerk, duty_number=world.a_law.number)
    with pytest.raises(ActionError, match="权限"):
        actions.untick(a, by=cast.a_clerk, on=d(5, 22))
    a = actions.untick(a, by=cast.a_leader, on=d(5, 22))
    duty = Duty.objects.get(pk=world.a_law.pk)
    assert a.duty_id is None and (duty.status, duty.done_on) == ("open", None)
    # The item is open again, overdue since its planned date (2026-05-31).
    assert duty.due_on == d(5, 31)
    # Neither side is undone alone: the undo button is not offered for either.
    assert corrections.undo_blocked(DUTIES, duty, list(duty.events.all()), cast.a_leader)
    assert corrections.undo_blocked(ACTIVITIES, a, list(a.events.all()), cast.a_leader)


def test_from_the_items_page_too_and_a_voided_activity_leaves_the_item_to_be_reopened(
    world: World,
) -> None:
    cast = world.cast
    a = activity(cast.street_a, cast.a_clerk)
    duty = actions.tick_from_duty(world.a_safety, by=cast.a_clerk, on=d(5, 21), activity=a)
    assert duty.status == "done" and Activity.objects.get(pk=a.pk).duty_id == duty.pk
    other = activity(cast.street_b, cast.b_clerk)
    with pytest.raises(ActionError) as exc:
        actions.tick_from_duty(world.a_law, by=cast.a_clerk, on=d(5, 21), activity=other)
    assert exc.value.field == "activity"
    corrections.void(ACTIVITIES, a, by=cast.a_leader, reason="重复登记")
    duty = actions.reopen(duty, by=cast.a_leader, on=d(5, 22))
    assert duty.status == "open"


def test_the_items_clock_runs_to_its_planned_date_or_the_end_of_its_year(world: World) -> None:
    law, safety = world.a_law, world.a_safety
    assert (law.plan_due_on, law.due_on) == (d(5, 31), d(5, 31))
    assert safety.due_on == d(12, 31)
    overdue = queries.overdue(DUTIES, Duty.objects.all(), TODAY)
    assert list(overdue.values_list("number", flat=True)) == [law.number]
    [state] = states(DUTIES, law, list(law.events.all()), get_calendar(), TODAY)
    assert "计划完成日期" in "\n".join(state.deadline.steps)


BAD_ACTIVITIES = [
    ({"attendance": -5}, "attendance", "参与人次不能为负数"),
    ({"attendance": 0}, "attendance", "线下活动请填写参与人次"),
    ({"materials": -1}, "materials", "发放资料份数不能为负数"),
    ({"form": "online", "attendance": 0, "online_reach": 0}, "online_reach", "线上覆盖人次"),
    ({"online_reach": 10**9}, "online_reach", "超过100000000"),
    ({"theme": "other"}, "theme_note", "请填写主题名称"),
    ({"theme_note": "安全生产月"}, "theme_note", "只有“其他主题”"),
    ({"held_on": dt.date(2026, 12, 1)}, "held_on", "不能晚于今天"),
    ({"held_on": dt.date(1926, 5, 20)}, "held_on", "早于2000年1月1日"),
    ({"venue": "  "}, "venue", "请填写活动地点"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_ACTIVITIES)
def test_bad_activities_are_refused_on_their_field(
    world: World, change: dict[str, Any], field: str, message: str
) -> None:
    before = counts()
    with pytest.raises(ActionError) as exc:
        activity(world.cast.street_a, world.cast.a_clerk, **change)
    assert exc.value.field == field
    assert message in exc.value.message
    assert counts() == before


BAD_STUDIES = [
    ({"participants": 26}, "participants", "实际参加人数（26）不能多于应参加人数（25）"),
    ({"expected": 0, "participants": 0}, "expected", "至少为1人"),
    ({"participants": -1}, "participants", "不能为负数"),
    ({"passed": 3}, "passed", "只有考试需要填写通过人数"),
    ({"kind": "exam"}, "passed", "请填写考试通过人数"),
    ({"kind": "exam", "passed": 24}, "passed", "考试通过人数（24）不能多于参考人数（23）"),
    ({"kind": "nonsense"}, "kind", "请选择类别"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_STUDIES)
def test_bad_studies_are_refused_on_their_field(
    world: World, change: dict[str, Any], field: str, message: str
) -> None:
    before = counts()
    with pytest.raises(ActionError) as exc:
        study(world.cast.street_a, world.cast.a_clerk, **change)
    assert exc.value.field == field
    assert message in exc.value.message
    assert counts() == before


def test_a_correction_is_held_to_the_same_rules(world: World) -> None:
    cast = world.cast
    exam = study(cast.street_a, cast.a_clerk, kind="exam", passed=20)
    with pytest.raises(ActionError, match="不能多于参考人数"):
        corrections.correct(
            STUDIES, exam, by=cast.a_clerk, changes={"participants": 19}, reason="核对"
        )
    exam = corrections.correct(
        STUDIES, exam, by=cast.a_clerk, changes={"passed": 21}, reason="核对成绩"
    )
    assert exam.passed == 21


def test_the_database_refuses_a_part_larger_than_its_whole(world: World) -> None:
    """Rates cannot pass 100%: even a write around the actions is refused."""
    exam = study(world.cast.street_a, world.cast.a_clerk, kind="exam", passed=20)
    for change in ({"passed": 24}, {"participants": 30}, {"passed": None}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Study.objects.filter(pk=exam.pk).update(**change)
    lecture = study(world.cast.street_a, world.cast.a_clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Study.objects.filter(pk=lecture.pk).update(passed=1)


BAD_DUTIES = [
    ({"planned_on": d(1, 5)}, "planned_on", "不能早于列入清单日期"),
    ({"planned_on": d(2, 1, 2027)}, "planned_on", "应在清单年度（2026年）内"),
    ({"year": 2025}, "year", "2026年列入的事项不能属于2025年度的清单"),
    ({"year": 1900}, "year", "有效的清单年度"),
    ({"department": ""}, "department", "请填写责任部门"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_DUTIES)
def test_bad_duties_are_refused_on_their_field(
    world: World, change: dict[str, Any], field: str, message: str
) -> None:
    from fazhi.ledgers.pufa.tests.world import duty

    before = counts()
    with pytest.raises(ActionError) as exc:
        duty(world.cast.street_a, world.cast.a_clerk, **{"department": "司法所", **change},
             content="x")  # fmt: skip
    assert exc.value.field == field
    assert message in exc.value.message
    assert counts() == before


def test_the_roster_checks_id_numbers_and_a_person_leaves_it(world: World) -> None:
    cast = world.cast
    with pytest.raises(ActionError) as exc:
        person(cast.street_a, cast.a_clerk, id_number="110105194912310021")
    assert exc.value.field == "id_number" and "身份证号有误" in exc.value.message
    with pytest.raises(ActionError) as exc:
        person(cast.street_a, cast.a_clerk, phone="call me")
    assert exc.value.field == "phone"
    p = person(cast.street_a, cast.a_clerk, id_number="11010519491231002x")
    assert p.id_number == "11010519491231002X"
    p = actions.leave(p, by=cast.a_clerk, on=d(10, 1))
    assert (p.status, p.left_on) == ("left", d(10, 1))
    with pytest.raises(ActionError, match="不能早于纳入名册日期"):
        actions.leave(person(cast.street_a, cast.a_clerk), by=cast.a_clerk, on=d(2, 1))
