"""Audit events as people read them: who (the real name), which unit, which record, what changed
— in Chinese where the declarations say it, masked where personal data may hide (DESIGN
invariant 8), the stored value where nothing names it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from fazhi.core.attachments.sniff import human_size
from fazhi.core.audit.catalogue import (
    CodeGroup,
    code_groups,
    code_label,
    ledger_of_object,
    object_label,
)
from fazhi.core.audit.models import AuditEvent
from fazhi.core.calendar.models import DayKind
from fazhi.core.masking import mask_id_numbers_in
from fazhi.core.records.ledger import Ledger
from fazhi.core.tenancy.models import OrgUnit, UnitKind
from fazhi.core.tenancy.names import display_name
from fazhi.core.tenancy.roles import ROLES
from fazhi.core.web.registry import get_ledger as get_ledger_ui

DATA_LABELS = {
    "status": "状态",
    "reason": "原因",
    "move": "撤销的环节",
    "changes": "更正",
    "id": "明细编号",
    "file": "文件",
    "files": "文件",
    "created": "新建记录",
    "attachment": "附件编号",
    "event": "办理环节编号",
    "name": "名称",
    "type": "文件类型",
    "size": "大小",
    "sha256": "SHA-256",
    "keys": "保存的部分",
    "role": "角色",
    "title": "任务",
    "args": "参数",
    "source": "来源",
    "days": "天数",
    "kind": "类型",
    "parent": "上级单位",
    "amount": "金额",
    "party_kind": "征求意见对象",
}
KIND_LABELS = {**dict(UnitKind.choices), **dict(DayKind.choices)}
HIDDEN = "（已隐藏）"
DETAIL_MAX = 300  # characters of the data column on the page; the export keeps it whole


@dataclass(frozen=True)
class Row:
    event: AuditEvent
    at: dt.datetime  # local time
    code_label: str  # "" when nobody named the code
    actor_name: str
    unit_name: str
    object_label: str  # "政府信息公开申请 YSQ-2026-0001", "用户 a_clerk"
    object_url: str  # the record's detail page, when it is one
    detail: str  # the data, readable: "状态：已答复；办理结果：同意公开"

    @property
    def short_detail(self) -> str:
        return self.detail if len(self.detail) <= DETAIL_MAX else self.detail[:DETAIL_MAX] + "…"


def unscoped_actor_names(ids: Iterable[int]) -> dict[int, str]:
    """Real names of the accounts that wrote events, whoever manages those accounts: the events
    themselves have passed the audit door, their authors' names come with them."""
    users = (
        get_user_model().objects.filter(pk__in=set(ids)).only("username", "first_name", "last_name")
    )
    return {u.pk: display_name(u) for u in users}


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _field(ledger: Ledger, name: str) -> Any:
    try:
        return ledger.model._meta.get_field(name)
    except Exception:  # a key that is no field of the record (e.g. party_kind)
        return None


def _choice(field: Any, value: Any) -> str:
    choices = dict(getattr(field, "choices", None) or ())
    return str(choices.get(value, _text(value)))


def _ledger_item(ledger: Ledger, key: str, value: Any) -> tuple[str, str] | None:
    if key == "status":
        return "状态", str(dict(ledger.statuses.choices).get(value, _text(value)))
    if key == "move":
        move = ledger.by_code.get(str(value))
        return "撤销的环节", move.label if move else _text(value)
    if key == "changes" and isinstance(value, dict):
        parts = []
        for name, pair in value.items():
            f = _field(ledger, name)
            label = str(f.verbose_name) if f is not None else name
            if name in ledger.sensitive or not isinstance(pair, list | tuple) or len(pair) != 2:
                parts.append(f"{label}（已更正）")
            else:
                parts.append(f"{label}：{_text(pair[0])} → {_text(pair[1])}")
        return "更正", "，".join(parts)
    f = _field(ledger, key)
    if key in ledger.sensitive:
        return (str(f.verbose_name) if f is not None else key), HIDDEN
    if f is not None and key not in DATA_LABELS:
        return str(f.verbose_name), _choice(f, value)
    return None


def describe(event: AuditEvent, ledger: Ledger | None) -> str:
    """The event's data in one line; every ID number in it masked."""
    parts = []
    for key, value in (event.data or {}).items():
        if (key == "number" and ledger is not None) or value is None or value == "":
            continue  # the object column names the record; an empty value says nothing
        item = _ledger_item(ledger, key, value) if ledger is not None else None
        if item is None:
            label = DATA_LABELS.get(key, key)
            if key == "size" and isinstance(value, int):
                shown = human_size(value)
            elif key == "sha256" and isinstance(value, str):
                shown = value[:12] + "…"
            elif key == "role" and value in ROLES:
                shown = ROLES[value].name
            elif key == "kind" and value in KIND_LABELS:
                shown = str(KIND_LABELS[value])
            else:
                shown = _text(value)
            item = (label, shown)
        parts.append(f"{item[0]}：{item[1]}")
    return mask_id_numbers_in("；".join(parts))


@dataclass
class _Context:
    groups: list[CodeGroup]
    units: dict[str, str]
    actors: dict[int, str]
    numbers: dict[tuple[str, str], str]  # (ledger slug, record id) -> number


def _record_numbers(user: Any, events: Sequence[AuditEvent]) -> dict[tuple[str, str], str]:
    """Numbers of the records the events name, read through each ledger's door (voided too)."""
    wanted: dict[str, tuple[Ledger, set[int]]] = {}
    for e in events:
        ledger = ledger_of_object(e.object_type)
        if ledger is not None and e.object_id.isascii() and e.object_id.isdigit():
            wanted.setdefault(ledger.slug, (ledger, set()))[1].add(int(e.object_id))
    found = {}
    for slug, (ledger, ids) in wanted.items():
        visible = ledger.model.with_voided.visible_to(user).filter(pk__in=ids)
        for pk, number in visible.values_list("pk", "number"):
            found[(slug, str(pk))] = number
    return found


def _context(user: Any, events: Sequence[AuditEvent], groups: list[CodeGroup]) -> _Context:
    codes = {e.unit_code for e in events if e.unit_code}
    units = dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "name"))
    actors = unscoped_actor_names(e.actor_id for e in events if e.actor_id is not None)
    return _Context(groups, units, actors, _record_numbers(user, events))


def _row(event: AuditEvent, ctx: _Context) -> Row:
    ledger = ledger_of_object(event.object_type)
    url = ""
    if ledger is not None:
        number = ctx.numbers.get((ledger.slug, event.object_id)) or str(
            (event.data or {}).get("number") or f"#{event.object_id}"
        )
        shown = f"{ledger.name} {number}"
        if (ledger.slug, event.object_id) in ctx.numbers and get_ledger_ui(ledger.slug):
            url = reverse("web:detail", args=[ledger.slug, int(event.object_id)])
    elif event.object_type or event.object_id:
        kind = object_label(event.object_type) or event.object_type
        shown = f"{kind} {event.object_id}".strip()
    else:
        shown = ""
    if event.actor_id is not None:
        actor = ctx.actors.get(event.actor_id) or event.actor
    else:
        actor = event.actor or "系统"
    return Row(
        event=event,
        at=timezone.localtime(event.at),
        code_label=code_label(event.code, ctx.groups),
        actor_name=actor,
        unit_name=ctx.units.get(event.unit_code, event.unit_code),
        object_label=mask_id_numbers_in(shown),
        object_url=url,
        detail=describe(event, ledger),
    )


def rows(user: Any, events: Sequence[AuditEvent]) -> list[Row]:
    """One page of events, readable; `user` is the reader (record numbers pass their door)."""
    groups = code_groups()
    ctx = _context(user, events, groups)
    return [_row(e, ctx) for e in events]


def iter_rows(user: Any, events: Iterable[AuditEvent], chunk: int = 2000) -> Iterator[Row]:
    """`rows` for a long stream (the export), a chunk at a time."""
    groups = code_groups()
    batch: list[AuditEvent] = []
    for event in events:
        batch.append(event)
        if len(batch) == chunk:
            ctx = _context(user, batch, groups)
            yield from (_row(e, ctx) for e in batch)
            batch = []
    if batch:
        ctx = _context(user, batch, groups)
        yield from (_row(e, ctx) for e in batch)
