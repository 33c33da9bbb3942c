"""A record's timeline as people read it: what happened, on the date it claims, and who entered
it when — so a step typed in long after its date (补录) is visible as such."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from fazhi.core.records.corrections import shown_value
from fazhi.core.tenancy.names import display_name
from fazhi.core.web.registry import LedgerUI


@dataclass(frozen=True)
class TimelineItem:
    on: dt.date
    label: str
    detail: str = ""
    by: str = ""
    entered: dt.datetime | None = None
    late_entry: bool = False  # entered more than FAZHI_BACKDATE_DAYS after its date
    backdate_reason: str = ""
    flags: tuple[str, ...] = field(default=())
    undone: bool = False
    event_id: int | None = None
    files: tuple[Any, ...] = ()  # attachments of this step (letters not among them)
    letter: Any = None  # fazhi.core.letters.queries.EventLetter, if the step makes one
    moment: dt.datetime | None = None  # when the step happened, if known (else `entered`)


def _who(event: Any) -> str:
    if event.by is not None:
        return display_name(event.by)
    data = event.data or {}
    if data.get("imported_by"):
        approver = f"，批准人：{data['approver']}" if data.get("approver") else ""
        return f"Excel 导入（{data.get('imported_by_name') or data['imported_by']}{approver}）"
    return ""


def _label(ui: LedgerUI, name: str, value: Any, *, stored: bool = False) -> str:
    """A value of a field as shown: a choice's code as its label (also in a correction logged
    before labels were written), "" for none. `stored`: as the step's JSON holds it (a time
    in ISO form), not as a correction wrote it for people."""
    try:
        field: Any = ui.model._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed: as it was written
        return "" if value is None else str(value)
    if stored and isinstance(value, str) and value:
        if isinstance(field, models.DateTimeField) and (at := parse_datetime(value)):
            return shown_value(
                ui.model, name, at if timezone.is_aware(at) else timezone.make_aware(at)
            )
        if isinstance(field, models.DateField) and (on := parse_date(value)):
            return shown_value(ui.model, name, on)
    if not field.choices:
        return "" if value is None else str(value)
    return shown_value(ui.model, name, value)


def _step_fields(ui: LedgerUI, data: dict[str, Any]) -> str:
    """What a move declared the timeline shows of it (`Move.shown`), as kept with the step."""
    return "；".join(
        f"{ui.ledger.field_label(name)}：{_label(ui, name, value, stored=True) or '（空）'}"
        for name, value in (data.get("_shown") or {}).items()
    )


def _kit_detail(ui: LedgerUI, event: Any) -> str:
    data = event.data or {}
    if event.kind == "fields_corrected":
        parts = []
        for name, (old, new) in data.get("changes", {}).items():
            label = ui.ledger.field_label(name)
            old, new = (
                _label(ui, name, v) if name not in ui.ledger.sensitive else v for v in (old, new)
            )
            parts.append(f"{label}：{old or '（空）'} → {new or '（空）'}")
        return "；".join(parts)
    if event.kind == "undone":
        move = ui.ledger.by_code.get(data.get("move", ""))
        return f"撤销「{move.label if move else data.get('move', '')}」"
    if event.kind in ("child_added", "child_removed"):
        spec = ui.ledger.child(data.get("child", ""))
        return f"{spec.label if spec else ''}：{data.get('text', '')}"
    return ""


def with_files(
    items: list[TimelineItem], by_event: dict[int, list[Any]], letters: dict[int, Any]
) -> list[TimelineItem]:
    """Each step with its own attachments and its letter, so both download from the timeline."""
    found = []
    for item in items:
        if item.event_id is None:
            found.append(item)
            continue
        letter = letters.get(item.event_id)
        skip = letter.attachment_id if letter is not None else None
        files = tuple(a for a in by_event.get(item.event_id, ()) if a.pk != skip)
        found.append(replace(item, files=files, letter=letter))
    return found


def timeline(ui: LedgerUI, record: Any) -> list[TimelineItem]:
    allowed = settings.FAZHI_BACKDATE_DAYS
    items = []
    for e in record.events.select_related("by"):
        data = e.data or {}
        detail_fn = ui.event_detail.get(e.kind)
        detail = detail_fn(data) if detail_fn else _kit_detail(ui, e)
        detail = "；".join(x for x in (detail, _step_fields(ui, data), e.note) if x)
        entered = timezone.localtime(e.at) if e.at else None
        late = bool(entered and allowed is not None and (entered.date() - e.on).days > allowed)
        items.append(
            TimelineItem(
                e.on,
                ui.ledger.event_label(e.kind),
                detail,
                _who(e),
                entered,
                late and not data.get("imported_by"),
                str(data.get("backdate_reason", "")),
                tuple(data.get("flags", ())),
                e.undone_at is not None,
                e.pk,
            )
        )
    if ui.field_steps is not None:
        extra = list(ui.field_steps(record))
        if extra:
            items = sorted([*items, *extra], key=_order)
    return items


def _order(item: TimelineItem) -> tuple[dt.date, dt.datetime]:
    """Steps by their date, then by when they happened (an event's: when it was entered)."""
    moment = item.moment or item.entered or timezone.now()
    return item.on, moment
