"""The order's 办理过程 says what happened: a return's reason, the results of 反馈 and 办结, the
回访 result and the limit a 派单 set; a correction names choices by their labels."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from fazhi.core.records import corrections
from fazhi.core.web.registry import get_ledger
from fazhi.core.web.timeline import timeline
from fazhi.ledgers.hotline import actions
from fazhi.ledgers.hotline.ledger import LEDGER
from fazhi.ledgers.hotline.models import WorkOrder, WorkOrderEvent

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 12, 7, 15))  # noqa: DTZ001 (local)


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def at(hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 12, 7, hour, minute))  # noqa: DTZ001


def _steps(order: WorkOrder) -> dict[str, list[str]]:
    ui = get_ledger("hotline")
    assert ui is not None
    found: dict[str, list[str]] = {}
    for item in timeline(ui, order):
        found.setdefault(item.label, []).append(item.detail)
    return found


def _order(cast: Any) -> WorkOrder:
    return actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        number="TL-1",
        called_at=at(8),
        category="complaint",
        content="楼下烧烤店油烟扰民",
        requester="张三",
        phone="13800138000",
    )


def test_each_step_shows_what_it_recorded(cast: Any) -> None:
    clerk = cast.a_clerk
    o = _order(cast)
    o = actions.dispatch(o, by=clerk, at=at(9), time_limit=at(17, 30))
    o = actions.return_order(o, by=clerk, at=at(9, 30), reason="不属本单位")
    o = actions.redispatch(o, by=clerk, at=at(10), time_limit=at(18))
    o = actions.feedback(o, by=clerk, at=at(11), result="已联系店主整改")
    o = actions.close(o, by=clerk, at=at(12), result="油烟净化器已安装")
    o = actions.visit(o, by=clerk, on=dt.date(2026, 12, 7), visit_result="dissatisfied")
    steps = _steps(o)
    expected = {
        "派单": ["办理时限：2026-12-07 17:30"],
        "退单": ["退单理由：不属本单位"],
        "重派": ["办理时限：2026-12-07 18:00"],
        "反馈": ["办理结果：已联系店主整改"],
        "办结": ["办理结果：油烟净化器已安装"],
        "回访": ["回访结果：不满意"],
    }
    for label, details in expected.items():
        assert steps[label] == details, (label, steps[label])
    page = Client()
    page.force_login(clerk)
    shown = page.get(f"/l/hotline/{o.pk}/").content.decode()
    assert "退单理由：不属本单位" in shown and "回访结果：不满意" in shown
    assert "张三" not in str(WorkOrderEvent.objects.filter(record=o).values_list("data"))


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({"category": "consult"}, "诉求类型：投诉 → 咨询"),
        ({"urgency": "urgent"}, "紧急程度：一般 → 紧急"),
        ({"requester": "李四"}, "诉求人：（已更正） → （已更正）"),
        ({"content": "油烟和噪声"}, "诉求内容：楼下烧烤店油烟扰民 → 油烟和噪声"),
    ],
)
def test_a_correction_names_choices_by_their_labels(
    cast: Any, changes: dict[str, str], shown: str
) -> None:
    o = _order(cast)
    corrections.correct(LEDGER, o, by=cast.a_clerk, changes=changes, reason="登记有误")
    assert _steps(o)["更正登记信息"] == [f"{shown}；登记有误"]


def test_a_correction_logged_with_codes_reads_with_labels(cast: Any) -> None:
    o = _order(cast)
    WorkOrderEvent.objects.create(
        record=o,
        kind="fields_corrected",
        on=dt.date(2026, 12, 7),
        data={"changes": {"category": ["complaint", "consult"]}},
    )
    assert _steps(o)["更正登记信息"] == ["诉求类型：投诉 → 咨询"]
