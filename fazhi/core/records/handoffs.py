"""Handing a record to another unit (ADR 0012): a move whose change is the record's `unit`,
plus the `Handoff` trail row, in one transaction. The record keeps its number, timeline, child
rows and attachments (its whole history); the unit it left keeps reading it through the door
(`HandedRecordQuerySet`), and only the receiving unit can act on it from then on.

A ledger that hands records on gives its model `objects = HandedLiveRecordManager()` and
`with_voided = HandedRecordQuerySet.as_manager()`, and makes such moves not undoable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction

from fazhi.core.records import perform
from fazhi.core.records.ledger import Ledger
from fazhi.core.records.models import Handoff
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError

if TYPE_CHECKING:
    from typing_extensions import Unpack


def hand_over(
    ledger: Ledger,
    record: Any,
    code: str,
    *,
    by: Any,
    on: dt.date,
    to_unit: OrgUnit,
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    **step: Unpack[perform.Step],
) -> Any:
    """Make move `code` handing `record` to `to_unit`. Refused when the receiving unit already
    holds a record of that number (numbers are unique per unit)."""
    if ledger.move(code).undo_permission is not None:
        raise ValueError(f"move {code}: a hand-over cannot be undone (declare undo=None)")
    left: dict[str, Any] = {}

    def moved(locked: Any, events: list[Any]) -> dict[str, Any]:
        if locked.unit_id == to_unit.pk:
            raise ActionError("不能移交给本单位", field="to_unit")
        if ledger.model.with_voided.filter(unit=to_unit, number=locked.number).exists():
            raise ActionError(
                f"{to_unit.name}已有编号为「{locked.number}」的记录，请先更正本件编号再移交",
                field="to_unit",
            )
        left["unit"] = locked.unit
        return {**(changes or {}), "unit": to_unit}

    payload = {**(data or {}), "to_unit": to_unit.code, "to_unit_name": to_unit.name}
    with transaction.atomic():
        handed = perform.perform(
            ledger,
            record,
            code,
            by=by,
            on=on,
            data=payload,
            changes=moved,
            audit_data={"from_unit": record.unit.code, "to_unit": to_unit.code},
            **step,
        )
        Handoff.objects.create(
            model=ledger.model._meta.label_lower,
            record_id=handed.pk,
            number=handed.number,
            from_unit=left["unit"],
            to_unit=to_unit,
            on=on,
            by=by if getattr(by, "pk", None) else None,
        )
        return handed


def trail(ledger: Ledger, record: Any) -> list[Handoff]:
    """The units a record passed through, oldest first (for its detail page and dossier)."""
    return list(
        Handoff.objects.filter(model=ledger.model._meta.label_lower, record_id=record.pk)
        .select_related("from_unit", "to_unit")
        .order_by("on", "id")
    )
