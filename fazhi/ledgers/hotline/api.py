"""12345 work orders in the API: list, read, and the platform's push (PUT by 工单编号).

The push goes through `actions.upsert_order`, the hotline's one door for an order arriving
whole: new orders are registered and their platform history made as steps (派单, 反馈, 办结,
回访), facts the platform changed are updated in place and audited field by field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import Q
from django.utils import timezone
from ninja import Field, FilterLookup, Schema
from pydantic import AfterValidator, AwareDatetime

from fazhi.core.api.resources import (
    RecordFilters,
    RecordSummary,
    Resource,
    Upsert,
    one_of,
    shown,
)
from fazhi.core.masking import mask_address, mask_name
from fazhi.core.records.clocks import overdue_q
from fazhi.core.workflow import ActionError
from fazhi.ledgers.hotline import actions
from fazhi.ledgers.hotline.ledger import LEDGER
from fazhi.ledgers.hotline.models import Category, Status, Urgency, VisitResult, WorkOrder
from fazhi.ledgers.hotline.validation import mask_phone


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """Times are answered in the server's zone (Asia/Shanghai, +08:00), as the pages show them."""
    return timezone.localtime(value) if value is not None else None


class OrderSummary(RecordSummary):
    called_at: dt.datetime = Field(description="来电时间")
    category: str = Field(description="诉求类型")
    urgency: str = Field(description="紧急程度")
    phone: str = Field(description="来电号码（掩码）")
    requester: str = Field(description="诉求人（掩码）")
    dispatched_at: dt.datetime | None = Field(description="派单时间")
    time_limit: dt.datetime | None = Field(description="办理时限")
    closed_at: dt.datetime | None = Field(description="办结时间")
    visit_result: str = Field(description="回访结果")

    @staticmethod
    def resolve_called_at(obj: WorkOrder) -> dt.datetime | None:
        return _local(obj.called_at)

    @staticmethod
    def resolve_dispatched_at(obj: WorkOrder) -> dt.datetime | None:
        return _local(obj.dispatched_at)

    @staticmethod
    def resolve_time_limit(obj: WorkOrder) -> dt.datetime | None:
        return _local(obj.time_limit)

    @staticmethod
    def resolve_closed_at(obj: WorkOrder) -> dt.datetime | None:
        return _local(obj.closed_at)

    # Masked as the list page and the export mask them.
    @staticmethod
    def resolve_phone(obj: WorkOrder, context: Any = None) -> str:
        return mask_phone(obj.phone) if obj.phone else ""

    @staticmethod
    def resolve_requester(obj: WorkOrder, context: Any = None) -> str:
        return mask_name(obj.requester) if obj.requester else ""


class OrderDetail(OrderSummary):
    phone: str = Field(description="来电号码（只读令牌为掩码）")
    requester: str = Field(description="诉求人（只读令牌为掩码）")
    address: str = Field(description="地址（只读令牌为掩码）")
    content: str = Field(description="诉求内容")
    limit_source: str = Field(description="时限来源：file 平台派单时限 / sla 按本系统时限设置计算")
    feedback_at: dt.datetime | None = Field(description="反馈时间")
    result: str = Field(description="办理结果")
    returns: int = Field(description="退单次数")
    redispatches: int = Field(description="重派次数")
    supervised: bool = Field(description="督办")
    on_time: bool | None = Field(description="按时办理（未办结或无时限为 null）")
    handle_due_on: dt.date | None = Field(description="办理期限（日期）")

    @staticmethod
    def resolve_feedback_at(obj: WorkOrder) -> dt.datetime | None:
        return _local(obj.feedback_at)

    @staticmethod
    def resolve_phone(obj: WorkOrder, context: Any = None) -> str:
        return shown(obj, context, obj.phone, mask_phone)

    @staticmethod
    def resolve_requester(obj: WorkOrder, context: Any = None) -> str:
        return shown(obj, context, obj.requester, mask_name)

    @staticmethod
    def resolve_address(obj: WorkOrder, context: Any) -> str:
        return shown(obj, context, obj.address, mask_address)


class OrderFilters(RecordFilters):
    status: Annotated[str | None, FilterLookup("status"), *one_of(Status)] = Field(
        None, description="状态"
    )
    category: Annotated[str | None, FilterLookup("category"), *one_of(Category)] = Field(
        None, description="诉求类型"
    )
    urgency: Annotated[str | None, FilterLookup("urgency"), *one_of(Urgency)] = Field(
        None, description="紧急程度"
    )
    called_from: Annotated[dt.date | None, FilterLookup("called_on__gte")] = Field(
        None, description="来电日期不早于"
    )
    called_to: Annotated[dt.date | None, FilterLookup("called_on__lte")] = Field(
        None, description="来电日期不晚于"
    )
    overdue: bool | None = Field(
        None, description="true 只看逾期未办结的工单，false 只看未逾期的（与待办页的「逾期」一致）"
    )

    def filter_overdue(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        late = ~Q(status__in=LEDGER.closed) & overdue_q(LEDGER, timezone.localdate())
        return late if value else ~late


EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)


def _in_range(value: dt.datetime | None) -> dt.datetime | None:
    # A sanity bound before any date arithmetic (year 1 or 9999 would overflow a conversion to
    # local time); the ledger's own rules (not in the future, not before FAZHI_EARLIEST_DATE) come later.
    if value is not None and not EARLIEST <= value < LATEST:
        raise ValueError("时间超出范围（应在1900年至2999年之间）")
    return value


Time = Annotated[AwareDatetime, AfterValidator(_in_range)]


class OrderIn(Schema):
    """A work order as the platform has it now. A field left out (or null) is not reported and
    stays as it is; steps (派单, 反馈, 办结, 回访) are made once, when their time first arrives."""

    called_at: Time = Field(
        description="来电时间（ISO 8601，带时区，如 2026-11-02T09:30:00+08:00）"
    )
    category: Annotated[str, *one_of(Category, optional=False)] = Field(description="诉求类型")
    content: str = Field(min_length=1, max_length=5000, description="诉求内容")
    urgency: Annotated[str | None, *one_of(Urgency)] = Field(
        None, description="紧急程度（新工单缺省为 normal 一般）"
    )
    phone: str | None = Field(None, max_length=32, description="来电号码")
    requester: str | None = Field(None, max_length=100, description="诉求人")
    address: str | None = Field(None, max_length=200, description="地址")
    dispatched_at: Time | None = Field(None, description="派单时间")
    time_limit: Time | None = Field(
        None, description="办理时限（平台派单时限；缺省按本系统时限设置计算）"
    )
    feedback_at: Time | None = Field(None, description="反馈时间")
    closed_at: Time | None = Field(None, description="办结时间")
    result: str | None = Field(None, max_length=5000, description="办理结果")
    visit_result: Annotated[str | None, *one_of(VisitResult)] = Field(None, description="回访结果")
    returns: int | None = Field(None, ge=0, le=999, description="退单次数")
    redispatches: int | None = Field(None, ge=0, le=999, description="重派次数")
    supervised: bool | None = Field(None, description="是否督办")


def _state(order: WorkOrder) -> dict[str, Any]:
    return {k: getattr(order, k) for k in (*actions.UPDATABLE, "status", "limit_source")}


# The kit names the start date's field (called_on); the body has the time it comes from.
_BODY_FIELD = {"called_on": "called_at"}


def _push(*, unit: Any, by: Any, number: str, fields: dict[str, Any]) -> actions.Upserted:
    called, dispatched = fields.get("called_at"), fields.get("dispatched_at")
    if called and dispatched and dispatched < called:
        # The dispatch step would refuse it too, but on its own argument ("at").
        raise ActionError("派单时间不能早于来电时间", field="dispatched_at")
    try:
        return actions.upsert_order(unit=unit, by=by, number=number, **fields)
    except ActionError as exc:
        if exc.field in _BODY_FIELD:
            raise ActionError(exc.message, field=_BODY_FIELD[exc.field]) from exc
        raise


def create(*, unit: Any, by: Any, number: str, fields: dict[str, Any]) -> WorkOrder:
    # A rival push that committed this number between the kit's look-up and ours makes this an
    # update (upsert_order locks and finds it); the write is right, the answer says "created".
    return _push(unit=unit, by=by, number=number, fields=fields).order


def update(record: WorkOrder, *, by: Any, fields: dict[str, Any]) -> WorkOrder | None:
    """The pushed order again: `upsert_order` makes the new steps and updates what changed.
    Its `changed` lists the in-place updates only, so the steps are seen in the state."""
    before = _state(record)
    done = _push(unit=record.unit, by=by, number=record.number, fields=fields)
    if done.changed or _state(done.order) != before:
        return done.order
    return None


RESOURCE = Resource(
    ledger=LEDGER,
    summary=OrderSummary,
    detail=OrderDetail,
    filters=OrderFilters,
    upsert=Upsert(OrderIn, create=create, update=update),
)
