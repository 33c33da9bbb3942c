"""An imported order's 办理过程: the import writes no event rows, so the page shows an entry per
step the order's fields hold (来电, 派单, 反馈, 办结, 回访), marked with its batch, merged in time
order with the steps done in fazhi."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client
from django.utils import timezone

from fazhi.core.web.registry import get_ledger
from fazhi.core.web.timeline import timeline
from fazhi.ledgers.hotline import actions
from fazhi.ledgers.hotline.models import WorkOrder
from fazhi.ledgers.hotline.tests.test_import import Local, row, run, write_csv
from fazhi.ledgers.hotline.tests.test_import import _day as _day  # the import tests' day (autouse)

BATCH = "导入批次「orders.csv」（2026-11-25 10:00，系统）"


def _steps(order: WorkOrder) -> list[tuple[str, str, str]]:
    ui = get_ledger("hotline")
    assert ui is not None
    return [(f"{i.on:%m-%d}", i.label, i.detail) for i in timeline(ui, order)]


def test_every_imported_step_is_an_entry_marked_with_its_batch(cast: Any, tmp_path: Path) -> None:
    rows = [
        row(
            "I-1",
            派单时间="2026-11-16 10:00",
            反馈时间="2026-11-17 09:00",
            办结时间="2026-11-18 09:00",
            办理结果="已协调店主安装油烟净化器",
            回访结果="满意",
            退单次数="1",
            督办="是",
        )
    ]
    assert run(cast, write_csv(tmp_path / "orders.csv", rows)).ok
    order = WorkOrder.objects.get(number="I-1")
    assert not order.events.exists()  # the import writes no event rows (ADR 0016)
    assert _steps(order) == [
        ("11-16", "来电", ""),
        (
            "11-16",
            "派单",
            "派单时间：2026-11-16 10:00；办理时限：2026-11-23 23:59；平台记录退单 1 次、重派 0 次；已督办",
        ),
        ("11-17", "反馈", "反馈时间：2026-11-17 09:00；办理结果：已协调店主安装油烟净化器"),
        ("11-18", "办结", "办结时间：2026-11-18 09:00"),
        ("11-18", "回访", "回访结果：满意"),
    ]
    client = Client()
    client.force_login(cast.a_clerk)
    page = client.get(f"/l/hotline/{order.pk}/").content.decode()
    assert page.count(BATCH) == 5
    assert "暂无" not in page.split('class="timeline"')[1]
    assert "138-0013-8000" not in page.split('class="timeline"')[1]


def test_steps_done_in_fazhi_are_shown_once_in_time_order(cast: Any, tmp_path: Path) -> None:
    order = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        number="I-2",
        called_at=timezone.make_aware(Local(2026, 11, 16, 9, 0)),
        category="complaint",
        content="楼下烧烤店油烟扰民",
        backdate_reason="补录纸质台账",
    )
    at = timezone.make_aware(Local(2026, 11, 16, 10, 0))
    actions.dispatch(order, by=cast.a_clerk, at=at, backdate_reason="补录纸质台账")
    rows = [row("I-2", 派单时间="2026-11-16 10:00", 反馈时间="2026-11-17 09:00", 办理结果="已处理")]
    assert run(cast, write_csv(tmp_path / "orders.csv", rows)).ok
    order.refresh_from_db()
    assert order.import_batch_id is not None
    labels = [(on, label) for on, label, _ in _steps(order)]
    assert labels == [("11-16", "登记"), ("11-16", "派单"), ("11-17", "反馈")]
    assert _steps(order)[2][2] == "反馈时间：2026-11-17 09:00；办理结果：已处理"
