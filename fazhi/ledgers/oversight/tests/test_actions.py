"""The two ledgers' moves: a 履职记录 is confirmed by a leader and may name the unit's own 学法
session; a rectification item starts, completes with its evidence or becomes 长期坚持, and its
整改时限 is extended by a leader with a reason (audited, undone to the old date); bad input is
refused on its field in Chinese and writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from fazhi.core.audit.models import AuditEvent
from fazhi.core.records import corrections
from fazhi.core.workflow import ActionError
from fazhi.ledgers.oversight import actions
from fazhi.ledgers.oversight.ledger import DUTIES, RECTIFICATIONS
from fazhi.ledgers.oversight.models import (
    LeaderDuty,
    LeaderDutyEvent,
    Rectification,
    RectificationEvent,
)
from fazhi.ledgers.oversight.tests import pufa
from fazhi.ledgers.oversight.tests.world import d, duty, item


def counts() -> dict[str, int]:
    return {
        "duties": LeaderDuty.with_voided.count(),
        "duty_events": LeaderDutyEvent.objects.count(),
        "items": Rectification.with_voided.count(),
        "item_events": RectificationEvent.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def session(unit: Any, by: Any, **kw: Any) -> Any:
    return pufa.study(unit, by, **{"held_on": d(3, 20), **kw})


def test_a_record_is_confirmed_by_a_leader_and_audited(cast: Any, now: dt.date) -> None:
    r = duty(cast.street_a, cast.a_clerk)
    assert (r.number, r.status) == ("LZ-2026-0001", "registered")
    with pytest.raises(ActionError, match="权限"):
        actions.confirm(r, by=cast.a_clerk, on=d(3, 18))
    r = actions.confirm(r, by=cast.a_leader, on=d(3, 18))
    assert (r.status, r.confirmed_on) == ("confirmed", d(3, 18))
    codes = set(AuditEvent.objects.values_list("code", flat=True))
    assert {"oversight.duty.registered", "oversight.duty.confirmed"} <= codes
    r = corrections.undo(DUTIES, r, by=cast.a_leader, reason="确认有误")
    assert (r.status, r.confirmed_on) == ("registered", None)


def test_a_record_names_a_record_of_another_ledger_of_its_own_unit(cast: Any, now: dt.date) -> None:
    mine = session(cast.street_a, cast.a_clerk)
    theirs = session(cast.street_b, cast.b_clerk, number="XC-XF-001")  # no session of A has it
    before = counts()
    with pytest.raises(ActionError) as exc:
        duty(cast.street_a, cast.a_clerk, kind="study", held_on=d(3, 20),
             linked_slug="pufa_studies", linked_number=theirs.number)  # fmt: skip
    assert exc.value.field == "linked_number"
    assert "东湖街道的学法与考试台账中没有编号为「XC-XF-001」的记录" in exc.value.message
    for slug, number, field, message in (
        ("pufa_studies", "", "linked_number", "请填写关联记录的编号"),
        ("", mine.number, "linked_slug", "请选择关联记录所在的台账"),
        ("oversight_rectify", mine.number, "linked_slug", "请选择关联记录所在的台账"),
        ("nonsense", mine.number, "linked_slug", "请选择关联记录所在的台账"),
    ):
        with pytest.raises(ActionError) as exc:
            duty(cast.street_a, cast.a_clerk, kind="study", linked_slug=slug,
                 linked_number=number)  # fmt: skip
        assert (exc.value.field, exc.value.message) == (field, message)
    assert counts() == before
    r = duty(cast.street_a, cast.a_clerk, kind="study", held_on=d(3, 20),
             linked_slug="pufa_studies", linked_number=f" {mine.number} ")  # fmt: skip
    assert (r.linked_slug, r.linked_pk, r.linked_number) == ("pufa_studies", mine.pk, mine.number)
    with pytest.raises(IntegrityError), transaction.atomic():
        LeaderDuty.objects.filter(pk=r.pk).update(linked_number="")


BAD_DUTIES = [
    ({"kind": "court", "attendance": None}, "case_number", "出庭应诉请填写案号"),
    ({"case_number": "（2026）沪0105行初1号"}, "case_number", "只有出庭应诉需要填写案号"),
    ({"kind": "instruction"}, "attendance", "只有会议、述法和带头学法需要填写参加人数"),
    ({"attendance": 0}, "attendance", "参加人数至少为1人"),
    ({"attendance": 10**6}, "attendance", "超过10000"),
    ({"leader": " "}, "leader", "请填写第一责任人姓名"),
    ({"post": ""}, "post", "请填写第一责任人职务"),
    ({"kind": "nonsense"}, "kind", "请选择履职类别"),
    ({"subject": ""}, "subject", "请填写事由"),
    ({"held_on": d(12, 1)}, "held_on", "不能晚于今天"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_DUTIES)
def test_bad_duties_are_refused_on_their_field(
    cast: Any, now: dt.date, change: dict[str, Any], field: str, message: str
) -> None:
    before = counts()
    with pytest.raises(ActionError) as exc:
        duty(cast.street_a, cast.a_clerk, **change)
    assert exc.value.field == field
    assert message in exc.value.message
    assert counts() == before


def test_a_court_appearance_keeps_its_case_number(cast: Any, now: dt.date) -> None:
    r = duty(cast.street_a, cast.a_clerk, kind="court", attendance=None,
             case_number=" （2026）沪0105行初123号 ", subject="王某诉本街道政府信息公开案")  # fmt: skip
    assert r.case_number == "（2026）沪0105行初123号"
    with pytest.raises(IntegrityError), transaction.atomic():
        LeaderDuty.objects.filter(pk=r.pk).update(case_number="")


def test_an_item_runs_to_completion_with_its_evidence(cast: Any, now: dt.date) -> None:
    i = item(cast.street_a, cast.a_clerk)
    assert (i.number, i.status, i.due_on) == ("ZG-2026-001", "pending", d(6, 30))
    i = actions.start(i, by=cast.a_clerk, on=d(4, 15))
    assert i.status == "in_progress" and i.due_on == d(6, 30)
    before = counts()
    with pytest.raises(ActionError) as exc:
        actions.complete(i, by=cast.a_clerk, on=d(6, 20), evidence="  ")
    assert exc.value.field == "evidence" and "请填写整改成效及佐证材料" in exc.value.message
    with pytest.raises(ActionError, match="不能早于"):
        actions.complete(i, by=cast.a_clerk, on=d(4, 1), evidence="已完成")
    assert counts() == before
    i = actions.complete(i, by=cast.a_clerk, on=d(6, 20), evidence="制度文件、公示截图")
    assert (i.status, i.done_on, i.evidence, i.due_on) == (
        "done",
        d(6, 20),
        "制度文件、公示截图",
        None,
    )
    assert [e.kind for e in i.events.all()] == ["registered", "started", "completed"]
    assert "oversight.rectify.completed" in set(AuditEvent.objects.values_list("code", flat=True))


def test_ongoing_is_a_leaders_decision_and_closes_the_item(cast: Any, now: dt.date) -> None:
    i = item(cast.street_a, cast.a_clerk)
    with pytest.raises(ActionError, match="权限"):
        actions.ongoing(i, by=cast.a_clerk, on=d(6, 1), evidence="已建立长效机制")
    i = actions.ongoing(i, by=cast.a_leader, on=d(6, 1), evidence="已建立长效机制")
    assert (i.status, i.done_on, i.due_on) == ("ongoing", d(6, 1), None)
    with pytest.raises(ActionError, match="当前状态「长期坚持」下不能执行「整改完成」"):
        actions.complete(i, by=cast.a_clerk, on=d(6, 2), evidence="x")


def test_a_leader_extends_the_limit_with_a_reason_audited_and_undone(
    cast: Any, now: dt.date
) -> None:
    i = item(cast.street_a, cast.a_clerk)
    before = counts()
    with pytest.raises(ActionError, match="权限"):
        actions.extend(i, by=cast.a_clerk, on=d(6, 25), deadline=d(9, 30), reason="需区里审核")
    with pytest.raises(ActionError) as exc:
        actions.extend(i, by=cast.a_leader, on=d(6, 25), deadline=d(9, 30), reason=" ")
    assert exc.value.field == "reason" and exc.value.message == "请填写延期理由"
    with pytest.raises(ActionError) as exc:
        actions.extend(i, by=cast.a_leader, on=d(6, 25), deadline=d(6, 30), reason="需区里审核")
    assert exc.value.field == "deadline"
    assert "应晚于现整改时限（2026-06-30）" in exc.value.message
    assert counts() == before
    i = actions.extend(i, by=cast.a_leader, on=d(6, 25), deadline=d(9, 30), reason="需区里审核")
    assert (i.deadline, i.due_on, i.status) == (d(9, 30), d(9, 30), "pending")
    event = i.events.get(kind="extended")
    assert (event.data["from"], event.data["to"], event.note) == (
        "2026-06-30",
        "2026-09-30",
        "需区里审核",
    )
    audit = AuditEvent.objects.get(code="oversight.rectify.extended")
    assert audit.data["reason"] == "需区里审核" and audit.data["to"] == "2026-09-30"
    i = corrections.undo(RECTIFICATIONS, i, by=cast.a_leader, reason="延期未获批准")
    assert (i.deadline, i.due_on) == (d(6, 30), d(6, 30))


def test_the_limit_is_not_corrected_around_an_extension(cast: Any, now: dt.date) -> None:
    i = item(cast.street_a, cast.a_clerk)
    with pytest.raises(ActionError):
        corrections.correct(
            RECTIFICATIONS, i, by=cast.a_clerk, changes={"deadline": d(12, 31)}, reason="改期"
        )
    assert Rectification.objects.get(pk=i.pk).deadline == d(6, 30)


BAD_ITEMS = [
    ({"deadline": d(4, 1)}, "deadline", "整改时限不能早于反馈日期（2026-04-10）"),
    ({"deadline": None}, "deadline", "请填写整改时限"),
    ({"source": "gossip"}, "source", "请选择问题来源"),
    ({"problem": ""}, "problem", "请填写问题"),
    ({"measures": " "}, "measures", "请填写整改措施"),
    ({"department": ""}, "department", "请填写责任部门"),
    ({"owner": ""}, "owner", "请填写责任人"),
    ({"fed_back_on": d(12, 24), "deadline": d(12, 31)}, "fed_back_on", "不能晚于今天"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_ITEMS)
def test_bad_items_are_refused_on_their_field(
    cast: Any, now: dt.date, change: dict[str, Any], field: str, message: str
) -> None:
    before = counts()
    with pytest.raises(ActionError) as exc:
        item(cast.street_a, cast.a_clerk, **change)
    assert exc.value.field == field
    assert message in exc.value.message
    assert counts() == before


def test_the_database_refuses_a_closed_item_without_evidence(cast: Any, now: dt.date) -> None:
    i = item(cast.street_a, cast.a_clerk)
    for change in ({"status": "done"}, {"status": "done", "done_on": d(6, 1)},
                   {"deadline": d(1, 1)}):  # fmt: skip
        with pytest.raises(IntegrityError), transaction.atomic():
            Rectification.objects.filter(pk=i.pk).update(**change)


def test_undoing_a_completion_reopens_the_item_and_its_clock(cast: Any, now: dt.date) -> None:
    i = item(cast.street_a, cast.a_clerk)
    i = actions.complete(i, by=cast.a_clerk, on=d(7, 5), evidence="制度文件")
    with pytest.raises(ActionError, match="权限"):
        corrections.undo(RECTIFICATIONS, i, by=cast.a_clerk, reason="尚未完成")
    i = corrections.undo(RECTIFICATIONS, i, by=cast.a_leader, reason="核查发现尚未整改到位")
    assert (i.status, i.done_on, i.evidence, i.due_on) == ("pending", None, "", d(6, 30))


# (current 整改时限, approved on, new 整改时限, refused with) — None: accepted.
EXTENSIONS = [
    (d(11, 10), d(11, 20), d(11, 15), "应晚于批准延期日期（2026-11-20）"),  # overdue, new passed
    (d(11, 10), d(11, 20), d(11, 20), "应晚于批准延期日期（2026-11-20）"),  # the approval day
    (d(11, 10), d(11, 20), d(11, 10), "应晚于现整改时限（2026-11-10）"),
    (d(11, 10), d(11, 20), d(11, 1), "应晚于现整改时限（2026-11-10）"),
    (d(11, 10), d(11, 20), d(4, 10, 2031), None),  # 5 years after the feedback: the bound
    (d(11, 10), d(11, 20), d(4, 11, 2031), "不能晚于反馈日期后5年（2031-04-10）"),
    (d(11, 10), d(11, 20), d(12, 31, 9999), "不能晚于反馈日期后5年（2031-04-10）"),
    (d(11, 10), d(11, 20), d(11, 21), None),
    (d(12, 31), d(11, 20), d(1, 15, 2027), None),  # not yet due
]


@pytest.mark.parametrize(("limit", "on", "new", "refused"), EXTENSIONS)
def test_an_extension_moves_the_limit_later_than_now_and_the_approval_day(
    cast: Any, now: dt.date, limit: dt.date, on: dt.date, new: dt.date, refused: str | None
) -> None:
    i = item(cast.street_a, cast.a_clerk, deadline=limit)
    before = counts()
    if refused is None:
        i = actions.extend(
            i, by=cast.a_leader, on=on, deadline=new, reason="需区里审核", backdate_reason="补录"
        )
        assert Rectification.objects.get(pk=i.pk).deadline == new
        return
    with pytest.raises(ActionError) as exc:
        actions.extend(
            i, by=cast.a_leader, on=on, deadline=new, reason="需区里审核", backdate_reason="补录"
        )
    assert exc.value.field == "deadline" and refused in exc.value.message, exc.value.message
    assert counts() == before
    assert Rectification.objects.get(pk=i.pk).deadline == limit


# (反馈日期, 整改时限, refused with) — None: accepted.
LIMITS = [
    (d(4, 10), d(12, 31, 9999), "不能晚于反馈日期后5年（2031-04-10）"),
    (d(4, 10), d(4, 11, 2031), "不能晚于反馈日期后5年（2031-04-10）"),
    (d(4, 10), d(4, 10, 2031), None),
    (d(2, 29, 2024), d(2, 28, 2029), None),
    (d(2, 29, 2024), d(3, 1, 2029), "（2029-02-28）"),
    (d(4, 10), d(4, 10), None),
]


@pytest.mark.parametrize(("fed", "limit", "refused"), LIMITS)
def test_a_limit_is_at_most_five_years_after_the_feedback(
    cast: Any, now: dt.date, fed: dt.date, limit: dt.date, refused: str | None
) -> None:
    before = counts()
    if refused is None:
        assert item(cast.street_a, cast.a_clerk, fed_back_on=fed, deadline=limit).deadline == limit
        return
    with pytest.raises(ActionError) as exc:
        item(cast.street_a, cast.a_clerk, fed_back_on=fed, deadline=limit)
    assert exc.value.field == "deadline" and refused in exc.value.message, exc.value.message
    assert counts() == before
