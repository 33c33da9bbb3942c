"""Every move of a work order (派单, 退单, 重派, 反馈, 办结, 回访, 督办): what it writes, its
guards, the Chinese refusal and that a refused move writes nothing; `upsert_order`'s
idempotency; bad input (impossible times, steps out of order, unknown 诉求类型, oversize text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from fazhi.core.audit.models import AuditEvent
from fazhi.core.workflow import ActionError
from fazhi.ledgers.hotline import actions
from fazhi.ledgers.hotline.models import (
    LimitSource,
    Status,
    VisitResult,
    WorkOrder,
    WorkOrderEvent,
)

NOW = timezone.make_aware(dt.datetime(2026, 11, 25, 15, 0))  # noqa: DTZ001 (local)


@pytest.fixture(autouse=True)
def _day() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def t(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A local time in November 2026 (no holidays; the 23rd is a Monday)."""
    return timezone.make_aware(dt.datetime(2026, 11, day, hour, minute))  # noqa: DTZ001


def new(cast: Any, number: str = "W-1", **kw: Any) -> WorkOrder:
    fields = {
        "called_at": t(23, 9),
        "category": "complaint",
        "content": "楼下烧烤店油烟扰民",
        "phone": "13800138000",
        **kw,
    }
    return actions.register(unit=cast.street_a, by=cast.a_clerk, number=number, **fields)


def state(order: WorkOrder) -> tuple[Any, ...]:
    """Everything a move could write: the order's row, its timeline, the audit trail."""
    fresh = WorkOrder.with_voided.get(pk=order.pk)
    row = tuple(
        getattr(fresh, f.attname) for f in WorkOrder._meta.concrete_fields if f.name != "id"
    )
    return row, WorkOrderEvent.objects.count(), AuditEvent.objects.count()


def refused(order: WorkOrder, message: str, move: Callable[[], Any]) -> None:
    before = state(order)
    with pytest.raises(ActionError) as exc:
        move()
    assert message in exc.value.message, exc.value.message
    assert state(order) == before, "a refused move wrote something"


def test_the_happy_path_through_every_move(cast: Any) -> None:
    clerk, leader = cast.a_clerk, cast.a_leader
    o = new(cast)
    assert o.status == Status.RECEIVED and o.due_on is None
    o = actions.dispatch(o, by=clerk, at=t(23, 10))
    assert o.status == Status.HANDLING and o.limit_source == LimitSource.SLA
    # A complaint: 5 工作日 from 派单 (Mon 23rd) -> Mon 30th, end of day.
    assert timezone.localtime(o.time_limit).date() == dt.date(2026, 11, 30)
    assert o.due_on == dt.date(2026, 11, 30) and o.due_kind == "handle"
    o = actions.supervise(o, by=leader, on=dt.date(2026, 11, 24))
    assert o.supervised and o.status == Status.HANDLING
    o = actions.return_order(o, by=clerk, at=t(24, 9), reason="不属于本单位职责")
    assert o.status == Status.RETURNED and o.returns == 1
    o = actions.redispatch(o, by=clerk, at=t(24, 14), time_limit=t(27, 18))
    assert o.status == Status.HANDLING and o.redispatches == 1
    assert o.time_limit == t(27, 18) and o.limit_source == LimitSource.FILE
    o = actions.feedback(o, by=clerk, at=t(25, 9), result="已约谈店主，加装油烟净化器")
    assert o.status == Status.FED_BACK and o.on_time is True
    o = actions.close(o, by=clerk, at=t(25, 10))
    assert o.status == Status.CLOSED and o.closed_on == dt.date(2026, 11, 25) and o.due_on is None
    o = actions.visit(o, by=clerk, on=dt.date(2026, 11, 25), visit_result=VisitResult.SATISFIED)
    assert o.visit_result == VisitResult.SATISFIED
    kinds = list(
        WorkOrderEvent.objects.filter(record=o).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == [
        "registered",
        "dispatched",
        "supervised",
        "returned",
        "redispatched",
        "fed_back",
        "closed",
        "visited",
    ]
    codes = set(AuditEvent.objects.values_list("code", flat=True))
    assert {"hotline.order.dispatched", "hotline.order.closed"} <= codes


def test_redispatch_without_a_limit_runs_the_sla_afresh(cast: Any) -> None:
    o = actions.dispatch(new(cast), by=cast.a_clerk, at=t(23, 10))
    o = actions.return_order(o, by=cast.a_clerk, at=t(24, 9), reason="错派")
    o = actions.redispatch(o, by=cast.a_clerk, at=t(25, 9))
    assert timezone.localtime(o.time_limit).date() == dt.date(2026, 12, 2)  # Wed + 5 工作日
    assert o.limit_source == LimitSource.SLA


def test_moves_out_of_turn_are_refused_and_write_nothing(cast: Any) -> None:
    clerk = cast.a_clerk
    o = new(cast)
    refused(o, "不能", lambda: actions.feedback(o, by=clerk, at=t(23, 11), result="已处理"))
    refused(o, "不能", lambda: actions.return_order(o, by=clerk, at=t(23, 11), reason="错派"))
    refused(o, "不能", lambda: actions.redispatch(o, by=clerk, at=t(23, 11)))
    refused(o, "不能", lambda: actions.close(o, by=clerk, at=t(23, 11)))
    refused(
        o,
        "不能",
        lambda: actions.visit(o, by=clerk, on=dt.date(2026, 11, 24), visit_result="satisfied"),
    )
    o = actions.dispatch(o, by=clerk, at=t(23, 10))
    refused(o, "不能", lambda: actions.dispatch(o, by=clerk, at=t(23, 11)))
    o = actions.close(o, by=clerk, at=t(24, 10), result="已处理")
    refused(o, "不能", lambda: actions.supervise(o, by=cast.a_leader, on=dt.date(2026, 11, 25)))
    refused(o, "不能", lambda: actions.feedback(o, by=clerk, at=t(24, 11), result="已处理"))


def test_who_may_move(cast: Any) -> None:
    o = new(cast)
    refused(o, "权限", lambda: actions.dispatch(o, by=cast.supervisor, at=t(23, 10)))
    refused(o, "未找到", lambda: actions.dispatch(o, by=cast.b_clerk, at=t(23, 10)))
    refused(o, "权限", lambda: actions.supervise(o, by=cast.a_clerk, on=dt.date(2026, 11, 24)))


# (move on a dispatched order, the Chinese message it gets)
BAD_TIMES: list[tuple[str, Callable[[WorkOrder, Any], Any], str]] = [
    (
        "feedback before dispatch, same day",
        lambda o, by: actions.feedback(o, by=by, at=t(23, 9, 30), result="已处理"),
        "反馈时间不能早于派单时间（2026-11-23 10:00）",
    ),
    (
        "close before dispatch",
        lambda o, by: actions.close(o, by=by, at=t(23, 9, 30)),
        "办结时间不能早于派单时间",
    ),
    (
        "return before dispatch",
        lambda o, by: actions.return_order(o, by=by, at=t(23, 9, 59), reason="错派"),
        "退单时间不能早于派单时间",
    ),
    (
        "feedback later today than now",
        lambda o, by: actions.feedback(o, by=by, at=t(25, 23), result="已处理"),
        "反馈时间不能晚于现在",
    ),
    (
        "feedback tomorrow",
        lambda o, by: actions.feedback(o, by=by, at=t(26, 9), result="已处理"),
        "不能晚于今天",
    ),
    (
        "feedback before the call's day",
        lambda o, by: actions.feedback(o, by=by, at=t(20, 9), result="已处理"),
        "不能早于",
    ),
    (
        "feedback without a result",
        lambda o, by: actions.feedback(o, by=by, at=t(24, 9), result="  "),
        "请填写办理结果",
    ),
    (
        "feedback with an oversize result",
        lambda o, by: actions.feedback(o, by=by, at=t(24, 9), result="很" * 5001),
        "「办理结果」过长（最多5000个字符，实际5001个字符）",
    ),
    (
        "return without a reason",
        lambda o, by: actions.return_order(o, by=by, at=t(24, 9), reason=""),
        "请写明退单理由",
    ),
    (
        "return with an oversize reason",
        lambda o, by: actions.return_order(o, by=by, at=t(24, 9), reason="错" * 501),
        "「退单理由」过长（最多500个字符",
    ),
]


@pytest.mark.parametrize(("case", "move", "message"), BAD_TIMES, ids=[c[0] for c in BAD_TIMES])
def test_bad_input_on_a_dispatched_order(
    cast: Any, case: str, move: Callable[[WorkOrder, Any], Any], message: str
) -> None:
    o = actions.dispatch(new(cast), by=cast.a_clerk, at=t(23, 10))
    refused(o, message, lambda: move(o, cast.a_clerk))


def _returned(o: WorkOrder, by: Any) -> WorkOrder:
    o = actions.dispatch(o, by=by, at=t(24, 5))
    return actions.return_order(o, by=by, at=t(24, 6), reason="错派")


# (case, the order's steps before, the move refused, the message and its field)
TIMED_REFUSALS: list[tuple[str, Callable[..., WorkOrder], Callable[..., Any], str, str]] = [
    (
        "dispatch with a limit before it",
        lambda o, by: o,
        lambda o, by: actions.dispatch(o, by=by, at=t(24, 5), time_limit=t(24, 4, 30)),
        "办理时限不能早于派单时间",
        "time_limit",
    ),
    (
        "redispatch with a limit before it",
        _returned,
        lambda o, by: actions.redispatch(o, by=by, at=t(24, 7), time_limit=t(24, 6, 59)),
        "办理时限不能早于派单时间",
        "time_limit",
    ),
    (
        "redispatch before the return it follows",
        _returned,
        lambda o, by: actions.redispatch(o, by=by, at=t(24, 5, 30)),
        "重派时间不能早于退单时间（2026-11-24 06:00）",
        "at",
    ),
    (
        "redispatch before the latest of two returns",
        lambda o, by: actions.return_order(
            actions.redispatch(_returned(o, by), by=by, at=t(24, 7)),
            by=by,
            at=t(24, 8),
            reason="仍非本单位职责",
        ),
        lambda o, by: actions.redispatch(o, by=by, at=t(24, 7, 30)),
        "重派时间不能早于退单时间（2026-11-24 08:00）",
        "at",
    ),
]


@pytest.mark.parametrize(
    ("case", "before", "move", "message", "field"),
    TIMED_REFUSALS,
    ids=[c[0] for c in TIMED_REFUSALS],
)
def test_timed_refusals_name_their_field(
    cast: Any,
    case: str,
    before: Callable[..., WorkOrder],
    move: Callable[..., Any],
    message: str,
    field: str,
) -> None:
    o = before(new(cast), cast.a_clerk)
    snapshot = state(o)
    with pytest.raises(ActionError) as exc:
        move(o, cast.a_clerk)
    assert (exc.value.message, exc.value.field) == (message, field)
    assert state(o) == snapshot, "a refused move wrote something"


def test_bad_input_at_registration_writes_nothing(cast: Any) -> None:
    before = (WorkOrder.with_voided.count(), AuditEvent.objects.count())
    cases = [
        ({"category": "rumour"}, "请选择诉求类型"),
        ({"content": " "}, "请填写诉求内容"),
        ({"content": "扰" * 5001}, "过长"),
        ({"called_at": t(26, 9)}, "来电日期不能晚于今天"),
        ({"called_at": timezone.make_aware(dt.datetime(1900, 1, 1, 9))}, "请核对"),  # noqa: DTZ001
        ({"address": "路" * 201}, "过长"),
    ]
    for i, (change, message) in enumerate(cases):
        with pytest.raises(ActionError) as exc:
            new(cast, f"BAD-{i}", **change)
        assert message in exc.value.message, (change, exc.value.message)
    with pytest.raises(ActionError, match="请填写工单编号"):
        new(cast, "  ")
    o = new(cast)
    refused(
        o, "派单时间不能早于来电时间", lambda: actions.dispatch(o, by=cast.a_clerk, at=t(23, 8))
    )
    refused(
        o,
        "请选择回访结果",
        lambda: actions.visit(o, by=cast.a_clerk, on=dt.date(2026, 11, 24), visit_result="ok"),
    )
    assert (WorkOrder.with_voided.count(), AuditEvent.objects.count()) == (
        before[0] + 1,
        before[1] + 1,
    )


# --- upsert_order ----------------------------------------------------------------------------


def payload(**kw: Any) -> dict[str, Any]:
    return {
        "called_at": t(23, 9),
        "category": "complaint",
        "content": "楼下烧烤店油烟扰民",
        "phone": "13800138000",
        "dispatched_at": t(23, 10),
        "feedback_at": t(24, 9),
        "result": "已处理",
        **kw,
    }


def test_upsert_twice_is_one_order_and_changes_nothing(cast: Any) -> None:
    first = actions.upsert_order(unit=cast.street_a, by=cast.a_clerk, number="P-1", **payload())
    assert first.created and first.order.status == Status.FED_BACK
    before = state(first.order)
    again = actions.upsert_order(unit=cast.street_a, by=cast.a_clerk, number="P-1", **payload())
    assert not again.created and again.changed == {} and again.order.pk == first.order.pk
    assert state(first.order) == before
    assert WorkOrder.objects.filter(number="P-1").count() == 1


def test_upsert_with_a_changed_payload_updates_and_audits(cast: Any) -> None:
    actions.upsert_order(unit=cast.street_a, by=cast.a_clerk, number="P-1", **payload())
    changed = actions.upsert_order(
        unit=cast.street_a,
        by=cast.a_clerk,
        number="P-1",
        **payload(content="楼下烧烤店油烟和噪音扰民", closed_at=t(25, 9), visit_result="basic"),
    )
    o = changed.order
    assert not changed.created
    assert o.status == Status.CLOSED and o.visit_result == VisitResult.BASIC
    assert changed.changed["content"] == ["楼下烧烤店油烟扰民", "楼下烧烤店油烟和噪音扰民"]
    audit = AuditEvent.objects.filter(code="hotline.order.updated", object_id=str(o.pk)).get()
    assert audit.data["changes"]["content"][1] == "楼下烧烤店油烟和噪音扰民"
    kinds = set(WorkOrderEvent.objects.filter(record=o).values_list("kind", flat=True))
    assert {"closed", "visited"} <= kinds


def test_upsert_refuses_bad_payloads_and_writes_nothing(cast: Any) -> None:
    before = (WorkOrder.with_voided.count(), AuditEvent.objects.count())
    cases = [
        ({"category": "rumour"}, "请选择诉求类型"),
        ({"content": ""}, "请填写诉求内容"),
        ({"called_at": None}, "请填写来电时间"),
        ({"colour": "red"}, "未知字段：colour"),
        ({"dispatched_at": t(22, 9)}, "派单时间不能早于来电时间"),
        ({"feedback_at": t(23, 9, 30)}, "反馈时间不能早于派单时间"),
        ({"closed_at": t(26, 9)}, "不能晚于"),
    ]
    for change, message in cases:
        with pytest.raises(ActionError) as exc:
            actions.upsert_order(
                unit=cast.street_a, by=cast.a_clerk, number="P-9", **payload(**change)
            )
        assert message in exc.value.message, (change, exc.value.message)
    with pytest.raises(ActionError, match="过长"):
        actions.upsert_order(unit=cast.street_a, by=cast.a_clerk, number="P" * 65, **payload())
    with pytest.raises(ActionError, match="权限"):
        actions.upsert_order(unit=cast.street_a, by=cast.b_clerk, number="P-9", **payload())
    assert (WorkOrder.with_voided.count(), AuditEvent.objects.count()) == before


def test_a_number_differing_from_a_stored_one_only_by_case_is_refused(cast: Any) -> None:
    new(cast, "GD-abc-0002")
    for number in ("gd-abc-0002", "GD-ABC-0002"):
        with pytest.raises(ActionError) as refusal:
            new(cast, number)
        assert str(refusal.value) == f"工单编号 {number} 与已有工单 GD-abc-0002 仅大小写不同"
        with pytest.raises(ActionError, match="仅大小写不同"):
            actions.upsert_order(
                unit=cast.street_a, by=cast.a_clerk, number=number, called_at=t(23, 9),
                category="complaint", content="楼下烧烤店油烟扰民",
            )  # fmt: skip
    assert list(WorkOrder.objects.values_list("number", flat=True)) == ["GD-abc-0002"]
    # The same number again is the platform's order again, not a variant.
    pushed = actions.upsert_order(
        unit=cast.street_a, by=cast.a_clerk, number="GD-abc-0002", called_at=t(23, 9),
        category="complaint", content="楼下烧烤店油烟扰民", phone="13800138000",
    )  # fmt: skip
    assert not pushed.created
    # Another unit's number is not this unit's: 西城街道 may hold its own gd-abc-0002.
    actions.register(
        unit=cast.street_b, by=cast.b_clerk, number="gd-abc-0002", called_at=t(23, 9),
        category="complaint", content="油烟",
    )  # fmt: skip


def test_every_audit_code_the_hotline_writes_has_a_chinese_label(
    cast: Any, tmp_path: Any, historical_entry: None
) -> None:
    """Each way an order changes (registration, every move, a push's update, an import with a
    change, a correction, voiding) writes codes the audit page names (catalogue.code_label)."""
    from fazhi.core.audit.catalogue import code_label
    from fazhi.core.records import corrections
    from fazhi.ledgers.hotline.ledger import LEDGER
    from fazhi.ledgers.hotline.tests.test_import import row, run, write_csv

    test_the_happy_path_through_every_move(cast)
    pushed = dict(called_at=t(23, 9), category="complaint", content="油烟")  # noqa: C408
    actions.upsert_order(unit=cast.street_a, by=cast.a_clerk, number="U-1", **pushed)
    actions.upsert_order(
        unit=cast.street_a, by=cast.a_clerk, number="U-1", **{**pushed, "content": "油烟扰民"}
    )
    assert run(cast, write_csv(tmp_path / "a.csv", [row("I-1")])).ok
    assert run(cast, write_csv(tmp_path / "b.csv", [row("I-1", 诉求内容="改")])).updated == 1
    order = WorkOrder.objects.get(number="U-1")
    corrections.correct(LEDGER, order, by=cast.a_clerk, changes={"content": "更正"}, reason="笔误")
    corrections.void(LEDGER, WorkOrder.objects.get(number="I-1"), by=cast.a_leader, reason="重复")
    codes = set(AuditEvent.objects.values_list("code", flat=True))
    assert {"hotline.order.updated", "hotline.import.completed"} <= codes
    assert {c: code_label(c) for c in codes if not code_label(c)} == {}


# (case, the order's 诉求类型 and 紧急程度, its 派单 and platform limit, the explanation's step)
SLA_BASIS = "本地12345热线工单办理时限规定（FAZHI_HOTLINE_SLA）"
EXPLAINED = [
    (
        "a platform limit names the platform, with its hour",
        {},
        {"at": t(23, 10), "time_limit": t(27, 18)},
        "办理时限：2026年11月27日（周五） 18:00（平台派单时限）",
    ),
    (
        "a limit in working days is the whole last day",
        {},
        {"at": t(23, 10)},
        f"办理时限：2026年11月30日（周一）（{SLA_BASIS}）",
    ),
    (
        "a limit in hours has its hour",
        {"category": "consult", "urgency": "urgent"},
        {"at": t(24, 10)},
        f"办理时限：2026年11月24日（周二） 12:00（{SLA_BASIS}）",
    ),
]


@pytest.mark.parametrize(
    ("case", "order", "move", "step"), EXPLAINED, ids=[c[0] for c in EXPLAINED]
)
def test_the_limit_is_explained_with_its_source_and_hour(
    cast: Any, case: str, order: dict[str, Any], move: dict[str, Any], step: str
) -> None:
    from fazhi.core.calendar.service import get_calendar
    from fazhi.core.records.clocks import events_of, states
    from fazhi.ledgers.hotline.ledger import LEDGER

    o = actions.dispatch(new(cast, **order), by=cast.a_clerk, **move)
    (handle,) = states(LEDGER, o, events_of(o), get_calendar(), NOW.date())
    assert step in handle.deadline.steps, handle.deadline.steps


WIDE_NUMBER, WIDE_PHONE = "Ｔ－ＯＬＤ", "１３８００１３８０００"


def _corrected(cast: Any) -> WorkOrder:
    from fazhi.core.records import corrections
    from fazhi.ledgers.hotline.ledger import LEDGER

    o = new(cast, "T-OLD", phone="")
    return corrections.correct(
        LEDGER, o, by=cast.a_clerk, changes={"phone": WIDE_PHONE}, reason="来电号码录错"
    )


# (case, the way in) — each stores 工单编号 T-OLD and 来电号码 13800138000 in half width
WIDE_WAYS: list[tuple[str, Callable[[Any], WorkOrder]]] = [
    ("register", lambda cast: new(cast, WIDE_NUMBER, phone=WIDE_PHONE)),
    (
        "upsert",
        lambda cast: (
            actions.upsert_order(
                unit=cast.street_a, by=cast.a_clerk, number=WIDE_NUMBER, **payload(phone=WIDE_PHONE)
            ).order
        ),
    ),
    ("correction", _corrected),
]


@pytest.mark.parametrize(("case", "way"), WIDE_WAYS, ids=[c[0] for c in WIDE_WAYS])
def test_full_width_numbers_are_stored_in_half_width(
    cast: Any, case: str, way: Callable[[Any], WorkOrder]
) -> None:
    o = WorkOrder.objects.get(pk=way(cast).pk)
    assert (o.number, o.phone, o.phone_key) == ("T-OLD", "13800138000", "13800138000")


def test_a_full_width_twin_of_a_stored_number_is_that_order(cast: Any) -> None:
    stored = new(cast, "T-OLD")
    with pytest.raises(ActionError) as exc:
        new(cast, WIDE_NUMBER)
    assert exc.value.field == "number" and "T-OLD" in exc.value.message, exc.value.message
    with pytest.raises(ActionError, match="仅大小写不同"):
        new(cast, "Ｔ－ｏｌｄ")
    pushed = actions.upsert_order(
        unit=cast.street_a, by=cast.a_clerk, number=WIDE_NUMBER, **payload()
    )
    assert not pushed.created and pushed.order.pk == stored.pk
    assert WorkOrder.with_voided.count() == 1


def test_a_date_of_year_one_is_told_with_four_digits(cast: Any) -> None:
    with pytest.raises(ActionError) as exc:
        new(cast, "Y-1", called_at=dt.datetime(1, 1, 2, 9, tzinfo=dt.UTC))
    assert "来电日期（0001-01-02）早于" in exc.value.message, exc.value.message
