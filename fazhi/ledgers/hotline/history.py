"""What an import wrote, as timeline entries: the import writes orders by COPY and no event
rows (ADR 0013, 0016, 0019), so the order's page builds an entry per step from the order's own
fields (来电, 派单, 反馈, 办结, 回访), each marked with the batch that wrote it. A step the
order also has as a real event (typed in, pushed) is shown by that event alone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fazhi.core.tenancy.names import display_name
from fazhi.core.web.timeline import TimelineItem
from fazhi.ledgers.hotline.models import EventKind, VisitResult, WorkOrder

# The event kinds that record each step when it is done in fazhi.
_KINDS = {
    "来电": {EventKind.REGISTERED},
    "派单": {EventKind.DISPATCHED, EventKind.REDISPATCHED},
    "反馈": {EventKind.FED_BACK},
    "办结": {EventKind.CLOSED},
    "回访": {EventKind.VISITED},
}


def _t(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _batch_text(order: WorkOrder) -> tuple[str, dt.datetime]:
    batch = order.import_batch
    assert batch is not None
    who = display_name(batch.by) if batch.by_id is not None else batch.actor or "系统"
    at = timezone.localtime(batch.at)
    return f"导入批次「{batch.filename}」（{at:%Y-%m-%d %H:%M}，{who}）", at


def imported_steps(order: WorkOrder) -> list[TimelineItem]:
    """The steps the order's fields hold that no live event records, for an order an import
    created or changed; [] for any other."""
    if order.import_batch_id is None:
        return []
    done = {
        e.kind for e in order.events.all() if e.undone_at is None and e.kind in EventKind.values
    }
    steps: list[tuple[str, dt.datetime, str]] = [("来电", order.called_at, "")]
    if order.dispatched_at is not None:
        parts = [f"派单时间：{_t(order.dispatched_at)}"]
        if order.time_limit is not None:
            parts.append(f"办理时限：{_t(order.time_limit)}")
        if order.returns or order.redispatches:
            parts.append(f"平台记录退单 {order.returns} 次、重派 {order.redispatches} 次")
        if order.supervised:
            parts.append("已督办")
        steps.append(("派单", order.dispatched_at, "；".join(parts)))
    result = f"办理结果：{order.result}" if order.result else ""
    if order.feedback_at is not None:
        steps.append(
            (
                "反馈",
                order.feedback_at,
                "；".join(x for x in (f"反馈时间：{_t(order.feedback_at)}", result) if x),
            )
        )
        result = ""
    if order.closed_at is not None:
        steps.append(
            (
                "办结",
                order.closed_at,
                "；".join(x for x in (f"办结时间：{_t(order.closed_at)}", result) if x),
            )
        )
    if order.visit_result and order.closed_at is not None:
        label = dict(VisitResult.choices).get(order.visit_result, order.visit_result)
        # The platform gives no time for it: shown after the closing.
        steps.append(("回访", order.closed_at + dt.timedelta(seconds=1), f"回访结果：{label}"))
    by, entered = _batch_text(order)
    return [
        TimelineItem(
            timezone.localtime(at).date(),
            label,
            detail,
            by,
            entered,
            moment=at,
        )
        for label, at, detail in steps
        if not (_KINDS[label] & done)
    ]
