"""Every change to a register entry is one of these actions (DESIGN invariant 2): validate the
input, then one `perform` of the record kit (door, lock, table, event, clock, audit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from fazhi.core.records import corrections, perform
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure.proactive.ledger import LEDGER
from fazhi.ledgers.disclosure.proactive.models import (
    ChangeKind,
    ProactiveItem,
    PublicationChannel,
)


def register(
    *,
    unit: OrgUnit,
    by: Any,
    title: str,
    category: str,
    made_on: dt.date,
    doc_number: str = "",
    summary: str = "",
    change_kind: str = ChangeKind.MADE,
    table2_kind: str = "",
    doc_action: str = "",
    quantity: int | None = 0,
    amount: Decimal | None = None,
    number: str = "",
    published_on: dt.date | None = None,
    channel: str = "",
    location: str = "",
    backdate_reason: str = "",
) -> ProactiveItem:
    """A new entry; with a publication date it is registered as published (one transaction)."""
    fields = {
        "title": title,
        "doc_number": doc_number,
        "category": category,
        "summary": summary,
        "change_kind": change_kind or ChangeKind.MADE,
        "made_on": made_on,
        "table2_kind": table2_kind or "",
        "doc_action": doc_action or "",
        "quantity": quantity or 0,
        "amount": amount if amount is not None else Decimal(0),
    }
    if published_on is None and (channel or location):
        raise ActionError("填写了公开途径，请同时填写公开日期", field="published_on")
    with transaction.atomic():
        item: ProactiveItem = perform.register(
            LEDGER,
            unit=unit,
            by=by,
            fields=fields,
            number=number,
            data={"change_kind": fields["change_kind"]},
            backdate_reason=backdate_reason,
        )
        if published_on is not None:
            item = publish(
                item,
                by=by,
                on=published_on,
                channel=channel,
                location=location,
                backdate_reason=backdate_reason,
            )
    return item


def publish(
    item: ProactiveItem,
    *,
    by: Any,
    on: dt.date,
    channel: str,
    location: str = "",
    note: str = "",
    backdate_reason: str = "",
) -> ProactiveItem:
    """The information was published on `on`, through `channel` (at `location`)."""
    if channel not in PublicationChannel.values:
        raise ActionError("请选择公开途径", field="channel")
    location = perform.clean_input(
        location, max_length=300, multiline=False, label="公开位置", field="location"
    )
    data = {"channel": channel, "location": location}
    result: ProactiveItem = perform.perform(
        LEDGER,
        item,
        "publish",
        by=by,
        on=on,
        data=data,
        changes={"published_on": on, "channel": channel, "location": location},
        audit_data={"channel": channel},
        note=note,
        backdate_reason=backdate_reason,
    )
    return result


def correct(item: ProactiveItem, *, by: Any, reason: str, **changes: Any) -> ProactiveItem:
    result: ProactiveItem = corrections.correct(LEDGER, item, by=by, changes=changes, reason=reason)
    return result


def void(item: ProactiveItem, *, by: Any, reason: str) -> ProactiveItem:
    result: ProactiveItem = corrections.void(LEDGER, item, by=by, reason=reason)
    return result


def undo(item: ProactiveItem, *, by: Any, reason: str) -> ProactiveItem:
    result: ProactiveItem = corrections.undo(LEDGER, item, by=by, reason=reason)
    return result
