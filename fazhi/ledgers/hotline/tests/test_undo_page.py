"""撤销上一步 names the step it will take back and is done once: the same page posted again
(a double click, the back button) does not undo the step before it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from fazhi.core.tenancy.names import display_name
from fazhi.core.web.once import DUPLICATE_MESSAGE
from fazhi.ledgers.hotline import actions
from fazhi.ledgers.hotline.models import Status, WorkOrder, WorkOrderEvent

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 12, 7, 5, 20))  # noqa: DTZ001 (local)


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _fed_back(cast: Any) -> WorkOrder:
    at = timezone.make_aware(dt.datetime(2026, 12, 7, 2))  # noqa: DTZ001
    order = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        number="U-1",
        called_at=at,
        category="consult",
        content="咨询停水时间",
    )
    order = actions.dispatch(order, by=cast.a_clerk, at=at + dt.timedelta(minutes=30))
    return actions.feedback(order, by=cast.a_clerk, at=at + dt.timedelta(hours=3), result="已答复")


def _form(page: str) -> dict[str, str]:
    token = re.search(r'name="_once" value="([^"]+)"', page)
    step = re.search(r'name="step" value="(\d+)"', page)
    assert token and step, "the undo form carries no one-time token or step"
    return {"_once": token.group(1), "step": step.group(1), "reason": "误点"}


def test_the_page_names_the_step_and_a_replay_undoes_nothing_more(cast: Any) -> None:
    order = _fed_back(cast)
    client = Client()
    client.force_login(cast.a_clerk)
    url = f"/l/hotline/{order.pk}/undo/"
    page = client.get(url).content.decode()
    who = display_name(cast.a_clerk)
    assert f"将撤销：反馈（2026-12-07，{who}，录入于 2026-12-07 05:20）" in page
    form = _form(page)
    first = client.post(url, form)
    assert first.status_code == 302
    again = client.post(url, form, follow=True)
    assert DUPLICATE_MESSAGE in again.content.decode()
    assert WorkOrderEvent.objects.filter(record=order, kind="undone").count() == 1
    order.refresh_from_db()
    assert order.status == Status.HANDLING  # 派单 still stands


def test_a_page_naming_a_step_no_longer_last_is_refused(cast: Any) -> None:
    order = _fed_back(cast)
    client = Client()
    client.force_login(cast.a_clerk)
    url = f"/l/hotline/{order.pk}/undo/"
    stale = _form(client.get(url).content.decode())
    client.post(url, _form(client.get(url).content.decode()))  # another tab undid 反馈
    refused = client.post(url, {**stale, "_once": "another-token"}).content.decode()
    assert "办理环节已有变化，上一步现为「派单」" in refused
    assert WorkOrderEvent.objects.filter(record=order, kind="undone").count() == 1
    order.refresh_from_db()
    assert order.status == Status.HANDLING


def test_a_correction_posted_twice_is_told_so(cast: Any) -> None:
    order = _fed_back(cast)
    client = Client()
    client.force_login(cast.a_clerk)
    url = f"/l/hotline/{order.pk}/correct/"
    page = client.get(url).content.decode()
    token = re.search(r'name="_once" value="([^"]+)"', page)
    assert token
    form = {
        "called_at": "2026-12-07 02:00",
        "category": "complaint",
        "urgency": "normal",
        "content": "咨询停水时间",
        "reason": "登记有误",
        "_once": token.group(1),
    }
    assert client.post(url, form).status_code == 302
    again = client.post(url, form, follow=True).content.decode()
    assert DUPLICATE_MESSAGE in again and "没有需要更正的内容" not in again
    assert WorkOrderEvent.objects.filter(record=order, kind="fields_corrected").count() == 1
