"""Cases through their moves: assignment and recusal, agreement and the 司法确认 window, the
refusal and failure ends, escalation to the upper unit; committees' 3–9 members."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.core.audit.models import AuditEvent
from fazhi.core.records import corrections
from fazhi.core.records.models import Handoff
from fazhi.core.workflow import ActionError
from fazhi.ledgers.mediation import actions
from fazhi.ledgers.mediation.ledger import LEDGER, MEDIATORS, SESSIONS
from fazhi.ledgers.mediation.models import Case, CaseEvent, Mediator, Party
from fazhi.ledgers.mediation.tests.world import Med, d, new_case


def session(case: Case, by: Any, on: Any = None) -> None:
    corrections.add_child(
        LEDGER,
        SESSIONS,
        case,
        by=by,
        fields={
            "on": on or d(11, 5),
            "place": "调解室",
            "present": "双方当事人",
            "content": "听取陈述",
            "result": "agreed",
        },
    )


def assigned(med: Med, unit: Any = None, by: Any = None) -> Case:
    by = by or med.c_clerk
    case = new_case(unit or med.community, by)
    mediator = med.community_committee.mediators.get(name="王强")
    return actions.assign(case, by=by, on=d(11, 3), committee=case.committee, mediator=mediator)


def test_register_takes_the_units_committee_and_the_parties(med: Med) -> None:
    case = new_case(med.community, med.c_clerk)
    assert case.number == "TJ-A1C1-2026-0001"
    assert case.committee == med.community_committee
    assert [p.name for p in Party.objects.filter(record=case)] == ["张三", "东湖物业服务有限公司"]
    # The one-month target: 2026-11-02 + 1 month = 12-02 (a Wednesday).
    assert (case.target_due_on, case.due_kind) == (d(12, 2), "target")


@pytest.mark.parametrize(
    ("parties", "field", "message"),
    [
        ([{"kind": "person", "name": "张三"}], "p2_name", "请至少填写两方当事人"),
        (
            [
                {"kind": "person", "name": "张三", "id_number": "110101199003071234"},
                {"kind": "org", "name": "某公司"},
            ],
            "p1_id_number",
            "身份证号有误",
        ),
        (
            [{"kind": "alien", "name": "张三"}, {"kind": "org", "name": "某公司"}],
            "p1_kind",
            "请选择当事人类型",
        ),
    ],
)
def test_bad_parties_are_refused_and_nothing_is_written(
    med: Med, parties: list[dict[str, str]], field: str, message: str
) -> None:
    before = (Case.with_voided.count(), Party.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ActionError, match=message) as caught:
        new_case(med.community, med.c_clerk, parties=parties)
    assert caught.value.field == field
    assert (Case.with_voided.count(), Party.objects.count(), AuditEvent.objects.count()) == before


def test_a_unit_without_a_committee_cannot_register(cast: Any, now: Any) -> None:
    with pytest.raises(ActionError, match="尚未登记人民调解委员会"):
        new_case(cast.street_a, cast.a_clerk)
    assert Case.with_voided.count() == 0


def test_recused_mediator_cannot_be_assigned(med: Med) -> None:
    case = assigned(med)
    wang = case.mediator
    case = actions.recuse(case, by=med.c_clerk, on=d(11, 4), mediator=wang, reason="relative")
    assert case.mediator is None  # the assigned mediator stepped aside
    with pytest.raises(ActionError, match="王强已在本件回避，不能指派") as caught:
        actions.assign(case, by=med.c_clerk, on=d(11, 4), committee=case.committee, mediator=wang)
    assert caught.value.field == "mediator"
    li = med.community_committee.mediators.get(name="李红")
    case = actions.assign(case, by=med.c_clerk, on=d(11, 4), committee=case.committee, mediator=li)
    assert case.mediator == li


def test_a_mediator_of_another_committee_is_refused(med: Med) -> None:
    case = new_case(med.community, med.c_clerk)
    outsider = med.street_committee.mediators.first()
    with pytest.raises(ActionError, match="不是东湖社区人民调解委员会的调解员"):
        actions.assign(
            case, by=med.c_clerk, on=d(11, 3), committee=case.committee, mediator=outsider
        )
    with pytest.raises(ActionError, match="请选择本单位的调解组织"):
        actions.assign(
            case, by=med.c_clerk, on=d(11, 3), committee=med.street_committee, mediator=outsider
        )


def test_written_agreement_opens_the_30_day_confirmation_window(med: Med) -> None:
    case = assigned(med)
    with pytest.raises(ActionError, match="请先填写调解记录"):
        actions.written_agreement(case, by=med.c_clerk, on=d(11, 6), agreement="赔偿2800元")
    session(case, med.c_clerk)
    case = actions.written_agreement(case, by=med.c_clerk, on=d(11, 6), agreement="赔偿2800元")
    assert (case.status, case.outcome, case.effective_on) == ("agreed", "written", d(11, 6))
    # 11-06 + 30日 = 12-06, a Sunday: the window ends on Monday 12-07 (DESIGN invariant 4).
    assert case.confirmation_due_on == d(12, 7)
    assert case.due_on is None  # a window, not a duty: never 逾期
    case = actions.apply_confirmation(case, by=med.c_clerk, on=d(11, 20), court="示例区人民法院")
    assert case.confirmation_applied_on == d(11, 20)
    with pytest.raises(ActionError, match="已登记申请司法确认"):
        actions.apply_confirmation(case, by=med.c_clerk, on=d(11, 21), court="示例区人民法院")
    case = actions.rule_confirmation(case, by=med.c_clerk, on=d(11, 24), result="confirmed")
    case = actions.follow_up(case, by=med.c_clerk, on=d(11, 25), performance="done")
    assert (case.court_result, case.performance) == ("confirmed", "done")


def test_confirmation_out_of_time_and_for_an_oral_agreement_are_refused(med: Med) -> None:
    case = assigned(med)
    session(case, med.c_clerk)
    oral = actions.oral_agreement(case, by=med.c_clerk, on=d(11, 6), agreement="当场道歉")
    with pytest.raises(ActionError, match="只有书面调解协议可以申请司法确认"):
        actions.apply_confirmation(oral, by=med.c_clerk, on=d(11, 7), court="法院")
    late = new_case(med.community, med.c_clerk, on=d(9, 1))
    li = med.community_committee.mediators.get(name="李红")
    late = actions.assign(late, by=med.c_clerk, on=d(9, 1), committee=late.committee, mediator=li)
    session(late, med.c_clerk, on=d(9, 2))
    late = actions.written_agreement(late, by=med.c_clerk, on=d(9, 2), agreement="赔偿")
    # 09-02 + 30日 = 10-02, inside 国庆 (10-01 to 10-07): the window runs to 10-08.
    assert late.confirmation_due_on == d(10, 8)
    with pytest.raises(ActionError, match=r"30日内（2026-10-08 前）申请"):
        actions.apply_confirmation(late, by=med.c_clerk, on=d(10, 9), court="示例区人民法院")
    assert Case.objects.get(pk=late.pk).confirmation_applied_on is None


def test_refusal_and_failure_end_the_case(med: Med) -> None:
    refused = actions.refuse(
        new_case(med.community, med.c_clerk), by=med.c_clerk, on=d(11, 3), party="对方当事人"
    )
    assert (refused.status, refused.outcome, refused.due_on) == ("refused", "refused", None)
    case = assigned(med)
    with pytest.raises(ActionError, match="请选择已告知当事人的其他途径"):
        actions.fail(case, by=med.c_clerk, on=d(11, 9), routes=[])
    failed = actions.fail(case, by=med.c_clerk, on=d(11, 9), routes=["arbitration", "litigation"])
    assert (failed.status, failed.outcome) == ("failed", "failed")
    event = CaseEvent.objects.get(record=failed, kind="failed")
    assert event.data["routes"] == ["arbitration", "litigation"]


def test_hand_up_moves_the_case_with_its_history_and_the_lower_unit_still_reads_it(
    med: Med,
) -> None:
    case = assigned(med)
    session(case, med.c_clerk)
    case = actions.hand_up(case, by=med.c_clerk, on=d(11, 10))
    assert (case.unit, case.status, case.mediator) == (med.cast.street_a, "handed_up", None)
    assert Handoff.objects.get(record_id=case.pk).from_unit == med.community
    # The lower unit reads it, with its sessions, but can no longer act on it.
    assert Case.objects.visible_to(med.c_clerk).filter(pk=case.pk).exists()
    with pytest.raises(ActionError, match="未找到该记录"):
        actions.refuse(case, by=med.c_clerk, on=d(11, 11), party="某")
    # The 街道 takes it over with its own committee; the month restarts from then.
    mediator = med.street_committee.mediators.get(name="赵敏")
    case = actions.take_over(
        case, by=med.cast.a_clerk, on=d(11, 12), committee=med.street_committee, mediator=mediator
    )
    assert (case.status, case.committee, case.target_due_on) == (
        "mediating",
        med.street_committee,
        d(12, 12) if d(12, 12).weekday() < 5 else d(12, 14),
    )
    assert case.sessions.count() == 1 and case.parties.count() == 2
    # 街道 → 区, and the 社区 still sees it; 街道 B never does.
    case = actions.hand_up(case, by=med.cast.a_clerk, on=d(11, 13))
    assert case.unit == med.cast.district
    for user in (med.c_clerk, med.cast.a_clerk):
        assert Case.objects.visible_to(user).filter(pk=case.pk).exists()
    assert not Case.objects.visible_to(med.cast.b_clerk).filter(pk=case.pk).exists()
    with pytest.raises(ActionError, match="没有上级单位"):
        actions.hand_up(case, by=med.cast.admin, on=d(11, 14))


def test_a_number_the_upper_unit_holds_refuses_the_hand_up(med: Med) -> None:
    new_case(med.cast.street_a, med.cast.a_clerk, number="TJ-2026-0001")
    lower = new_case(med.community, med.c_clerk, number="TJ-2026-0001")
    with pytest.raises(ActionError, match="已有编号为「TJ-2026-0001」的记录"):
        actions.hand_up(lower, by=med.c_clerk, on=d(11, 10))
    lower.refresh_from_db()
    assert lower.unit == med.community and not Handoff.objects.exists()


def test_committee_members_stay_between_three_and_nine(med: Med) -> None:
    c = med.community_committee
    assert c.term_due_on == d(1, 5, 2028)  # three years (Art. 9)
    with pytest.raises(ActionError, match="三至九人"):
        actions.register_committee(
            unit=med.community,
            by=med.c_clerk,
            name="x",
            kind="community",
            term_start=d(1, 5),
            members="甲 男\n乙 女",
        )
    one = c.mediators.get(name="王强")
    with pytest.raises(ActionError, match="调整后将为2人"):
        corrections.remove_child(actions.COMMITTEES, MEDIATORS, one, by=med.c_clerk, reason="调离")
    for n in range(6):
        corrections.add_child(
            actions.COMMITTEES,
            MEDIATORS,
            c,
            by=med.c_clerk,
            fields={
                "name": f"委员{n}",
                "role": "member",
                "gender": "male",
                "minority": False,
                "phone": "",
            },
        )
    with pytest.raises(ActionError, match="调整后将为10人"):
        corrections.add_child(
            actions.COMMITTEES,
            MEDIATORS,
            c,
            by=med.c_clerk,
            fields={
                "name": "第十人",
                "role": "member",
                "gender": "female",
                "minority": False,
                "phone": "",
            },
        )
    # An appointed mediator is not a member: the committee can take more of them.
    corrections.add_child(
        actions.COMMITTEES,
        MEDIATORS,
        c,
        by=med.c_clerk,
        fields={
            "name": "聘任甲",
            "role": "appointed",
            "gender": "female",
            "minority": False,
            "phone": "",
        },
    )
    assert Mediator.objects.filter(record=c, removed_at__isnull=True).count() == 10


@pytest.mark.parametrize(
    ("move", "on", "refused"),
    [
        ("written", d(11, 9), "协议生效日期（2026-11-09）早于最近一次调解的日期（2026-11-10）"),
        ("oral", d(11, 4), "达成协议日期（2026-11-04）早于最近一次调解的日期（2026-11-10）"),
        ("fail", d(11, 9), "终止调解日期（2026-11-09）早于最近一次调解的日期（2026-11-10）"),
        ("written", d(11, 10), None),
        ("oral", d(11, 11), None),
        ("fail", d(11, 10), None),
    ],
)
def test_an_outcome_cannot_precede_the_latest_session(
    med: Med, move: str, on: Any, refused: str | None
) -> None:
    case = assigned(med)
    session(case, med.c_clerk, on=d(11, 5))
    session(case, med.c_clerk, on=d(11, 10))
    run = {
        "written": lambda: actions.written_agreement(case, by=med.c_clerk, on=on, agreement="赔偿"),
        "oral": lambda: actions.oral_agreement(case, by=med.c_clerk, on=on, agreement="赔偿"),
        "fail": lambda: actions.fail(case, by=med.c_clerk, on=on, routes=["litigation"]),
    }[move]
    before = CaseEvent.objects.count()
    if refused is None:
        assert run().concluded_on == on
        return
    with pytest.raises(ActionError) as exc:
        run()
    assert refused in exc.value.message and exc.value.field == "on"
    case.refresh_from_db()
    assert (case.status, CaseEvent.objects.count()) == ("mediating", before)


ZHANG = {"kind": "person", "name": "张伟", "id_number": "110101199003071233"}


@pytest.mark.parametrize(
    ("second", "refused"),
    [
        (ZHANG, True),  # the same person twice
        ({**ZHANG, "name": "张 伟"}, True),  # the ID number decides, not the name
        ({**ZHANG, "id_number": ""}, False),  # a namesake without an ID number
        ({"kind": "person", "name": "张伟", "id_number": "11010519491231002X"}, False),
    ],
)
def test_one_person_cannot_be_both_parties(med: Med, second: dict[str, str], refused: bool) -> None:
    before = (Case.with_voided.count(), Party.objects.count())
    if not refused:
        assert new_case(med.community, med.c_clerk, parties=[ZHANG, second]).parties.count() == 2
        return
    with pytest.raises(ActionError) as caught:
        new_case(med.community, med.c_clerk, parties=[ZHANG, second])
    assert (caught.value.field, caught.value.message) == (
        "p2_id_number",
        "身份证号/统一社会信用代码「110101199003071233」已是本件另一方当事人的，同一人不能作为两方当事人",
    )
    assert (Case.with_voided.count(), Party.objects.count()) == before


def test_a_party_added_later_is_not_one_the_case_has(med: Med) -> None:
    from fazhi.ledgers.mediation.ledger import PARTIES

    case = new_case(med.community, med.c_clerk, parties=[ZHANG, PARTIES_ORG])
    before = Party.objects.count()
    with pytest.raises(ActionError, match="「110101199003071233」已是本件另一方当事人的") as caught:
        corrections.add_child(
            LEDGER, PARTIES, case, by=med.c_clerk, fields={**ZHANG, "contact": "", "address": ""}
        )
    assert caught.value.field == "id_number"
    assert Party.objects.count() == before
    namesake = {**ZHANG, "id_number": "", "contact": "", "address": ""}
    corrections.add_child(LEDGER, PARTIES, case, by=med.c_clerk, fields=namesake)
    assert Party.objects.count() == before + 1


PARTIES_ORG = {"kind": "org", "name": "东湖物业服务有限公司", "id_number": ""}


def test_taking_over_before_the_hand_up_names_the_hand_up(med: Med) -> None:
    case = assigned(med)
    case = actions.hand_up(case, by=med.c_clerk, on=d(11, 10))
    with pytest.raises(ActionError) as caught:
        actions.take_over(
            case, by=med.cast.a_clerk, on=d(11, 9), committee=med.street_committee, mediator=None
        )
    assert (caught.value.field, caught.value.message) == (
        "on",
        "受理日期不能早于上报日期（2026-11-10）",
    )
    # Before the case's own 受理 too (the hand-up is the later date, so it is the one named).
    with pytest.raises(ActionError, match="不能早于上报日期（2026-11-10）"):
        actions.take_over(
            case, by=med.cast.a_clerk, on=d(11, 1), committee=med.street_committee, mediator=None
        )
