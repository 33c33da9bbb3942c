"""更正登记信息 of a work order: what follows from a corrected field changes with it (the 来电日期
of a 来电时间, the blocking keys of a number or an address, a limit the SLA gave), repeats are
regrouped, and what is refused writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.core.audit.models import AuditEvent
from fazhi.core.records import corrections
from fazhi.core.workflow import ActionError
from fazhi.ledgers.hotline import actions
from fazhi.ledgers.hotline.ledger import LEDGER
from fazhi.ledgers.hotline.models import LimitSource, WorkOrder, WorkOrderEvent
from fazhi.ledgers.hotline.validation import address_key, phone_key

NOW = timezone.make_aware(dt.datetime(2026, 11, 25, 15, 0))  # noqa: DTZ001 (local)
SMOKE = "小区楼下烧烤店油烟扰民，夜间噪音很大"
SMOKE2 = "楼下烧烤店油烟扰民严重，晚上噪音很大"  # alike to SMOKE
HEAT = "供暖温度不达标，室温只有十四度"


@pytest.fixture(autouse=True)
def _day() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def t(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 11, day, hour, minute, second))  # noqa: DTZ001


def new(cast: Any, number: str, **kw: Any) -> WorkOrder:
    fields = {"called_at": t(23, 9), "category": "complaint", "content": SMOKE, **kw}
    return actions.register(unit=cast.street_a, by=cast.a_clerk, number=number, **fields)


def correct(cast: Any, order: WorkOrder, **changes: Any) -> WorkOrder:
    corrections.correct(LEDGER, order, by=cast.a_clerk, changes=changes, reason="登记有误")
    return WorkOrder.objects.get(pk=order.pk)


@pytest.mark.parametrize(
    ("changes", "follows"),
    [
        ({"phone": "139 0013 9000"}, {"phone_key": phone_key("139 0013 9000")}),
        ({"address": "和平路 12 号 3 栋"}, {"address_key": address_key("和平路 12 号 3 栋")}),
        ({"called_at": t(22, 20, 30)}, {"called_on": dt.date(2026, 11, 22)}),
    ],
)
def test_what_follows_from_a_corrected_field_changes_with_it(
    cast: Any, changes: dict[str, Any], follows: dict[str, Any]
) -> None:
    order = correct(cast, new(cast, "C-1", phone="13800138000", address="和平路12号"), **changes)
    for name, value in {**changes, **follows}.items():
        assert getattr(order, name) == value, name


def test_a_corrected_call_time_moves_the_registration_and_shows_local_minutes(cast: Any) -> None:
    order = correct(cast, new(cast, "C-1"), called_at=t(22, 20, 30))
    registered = WorkOrderEvent.objects.get(record=order, kind="registered")
    assert registered.on == dt.date(2026, 11, 22)
    event = WorkOrderEvent.objects.get(record=order, kind="fields_corrected")
    assert event.data["changes"] == {"called_at": ["2026-11-23 09:00", "2026-11-22 20:30"]}
    audit = AuditEvent.objects.filter(code="hotline.order.fields_corrected").get()
    assert set(audit.data["changes"]) == {"called_at"}  # not the derived 来电日期


def test_a_blocking_key_is_stored_but_never_shown(cast: Any) -> None:
    order = correct(cast, new(cast, "C-1", phone="13800138000"), phone="13900139000")
    event = WorkOrderEvent.objects.get(record=order, kind="fields_corrected")
    assert event.data["changes"] == {"phone": ["（已更正）", "（已更正）"]}
    audit = AuditEvent.objects.filter(code="hotline.order.fields_corrected").get()
    assert "13900139000" not in str(audit.data) and "phone_key" not in str(audit.data)


def test_a_corrected_urgency_reruns_the_sla_but_keeps_a_limit_from_the_file(cast: Any) -> None:
    sla = actions.dispatch(new(cast, "C-1"), by=cast.a_clerk, at=t(23, 10))
    assert sla.limit_source == LimitSource.SLA
    urgent = correct(cast, sla, urgency="urgent")
    assert urgent.time_limit < sla.time_limit
    assert urgent.due_on == timezone.localtime(urgent.time_limit).date()
    given = t(27, 18)
    filed = actions.dispatch(new(cast, "C-2"), by=cast.a_clerk, at=t(23, 10), time_limit=given)
    assert correct(cast, filed, urgency="urgent").time_limit == given


def test_a_corrected_number_makes_an_order_a_repeat_and_back(cast: Any) -> None:
    first = new(cast, "C-1", phone="13800138000")
    second = new(cast, "C-2", phone="13700137000", content=SMOKE2, called_at=t(24, 9))
    assert second.repeat_of_id is None
    second = correct(cast, second, phone="13800138000")
    assert second.repeat_of_id == first.pk
    second = correct(cast, second, content=HEAT)
    assert second.repeat_of_id is None


def test_a_corrected_call_time_regroups_from_the_earlier_date(cast: Any) -> None:
    later = new(cast, "C-2", phone="13800138000", called_at=t(24, 9))
    first = new(cast, "C-1", phone="13800138000", content=SMOKE2, called_at=t(25, 9))
    assert WorkOrder.objects.get(pk=first.pk).repeat_of_id == later.pk
    correct(cast, first, called_at=t(20, 9))  # now it came first: the other repeats it
    assert WorkOrder.objects.get(pk=later.pk).repeat_of_id == first.pk
    assert WorkOrder.objects.get(pk=first.pk).repeat_of_id is None


@pytest.mark.parametrize(
    ("dispatched", "changes", "message"),
    [
        (False, {"called_at": t(25, 16)}, "来电时间不能晚于现在"),  # later today
        (False, {"called_at": t(26, 9)}, "来电时间不能晚于现在"),
        (True, {"called_at": t(23, 11)}, "派单时间不能早于来电时间"),
        (True, {"called_at": t(24, 9)}, "派单时间不能早于来电时间"),
        # A future time is named as such, also when it is after the dispatch too.
        (True, {"called_at": t(25, 16)}, "来电时间不能晚于现在"),
        (True, {"called_at": t(26, 9)}, "来电时间不能晚于现在"),
    ],
)
def test_an_impossible_call_time_is_refused_and_writes_nothing(
    cast: Any, dispatched: bool, changes: dict[str, Any], message: str
) -> None:
    order = new(cast, "C-1")
    if dispatched:
        order = actions.dispatch(order, by=cast.a_clerk, at=t(23, 10))
    before = (
        list(WorkOrder.objects.values().filter(pk=order.pk)),
        WorkOrderEvent.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(ActionError) as exc:
        correct(cast, order, **changes)
    assert message in exc.value.message
    after = (
        list(WorkOrder.objects.values().filter(pk=order.pk)),
        WorkOrderEvent.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before


def test_the_page_leaves_an_imported_call_time_with_seconds_alone(cast: Any) -> None:
    # The form gives times to the minute: a 来电时间 with seconds that the clerk did not touch
    # is no change (a correction of another field corrects that field only).
    order = new(cast, "C-1", called_at=t(23, 9, 0, 42), phone="13800138000")
    client = Client()
    client.force_login(cast.a_clerk)
    url = reverse("web:correct", args=["hotline", order.pk])
    page = client.get(url).content.decode()
    assert 'value="2026-11-23T09:00"' in page
    form = {
        "called_at": "2026-11-23T09:00",
        "phone": "13800138000",
        "requester": "",
        "address": "",
        "category": "complaint",
        "urgency": "normal",
        "content": "小区楼下烧烤店油烟扰民，夜间噪音很大，已持续一周",
        "reason": "补全诉求内容",
    }
    assert client.post(url, form).status_code == 302
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.called_at == t(23, 9, 0, 42)
    event = WorkOrderEvent.objects.get(record=order, kind="fields_corrected")
    assert set(event.data["changes"]) == {"content"}
    form["called_at"] = "2026-11-23T08:30"
    form["reason"] = "来电时间登记错误"
    assert client.post(url, form).status_code == 302
    assert WorkOrder.objects.get(pk=order.pk).called_at == t(23, 8, 30)


def test_voiding_the_first_order_regroups_the_ones_that_repeated_it(cast: Any) -> None:
    first = new(cast, "C-1", phone="13800138000")
    second = new(cast, "C-2", phone="13800138000", content=SMOKE2, called_at=t(24, 9))
    third = new(cast, "C-3", phone="13800138000", called_at=t(25, 9))
    assert WorkOrder.objects.get(pk=second.pk).repeat_of_id == first.pk
    assert WorkOrder.objects.get(pk=third.pk).repeat_of_id == first.pk
    corrections.void(LEDGER, first, by=cast.a_leader, reason="重复登记")
    assert WorkOrder.objects.get(pk=second.pk).repeat_of_id is None  # now the first
    assert WorkOrder.objects.get(pk=third.pk).repeat_of_id == second.pk
