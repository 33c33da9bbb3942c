"""The work order's field rules, shared by the form, the API action and (as columns) the import."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone

from fazhi.core.records.search import half_width
from fazhi.core.workflow import ActionError
from fazhi.ledgers.hotline.models import Category, Urgency, VisitResult

_NON_DIGIT = re.compile(r"\D")
_SPACE_PUNCT = re.compile(r"[\s,，.。、;；:：\-—_()（）#·]")
ADDRESS_KEY_LENGTH = 24
# Typed with a Chinese input method, these may come full-width (Ｔ－１, １３８…): stored in ASCII.
FOLDED = ("number", "phone")


def fold(fields: dict[str, Any]) -> dict[str, Any]:
    """`fields` (changed in place, and returned) with FOLDED folded to half width."""
    for key in FOLDED:
        if isinstance(fields.get(key), str):
            fields[key] = half_width(fields[key])
    return fields


def phone_key(phone: str) -> str:
    """The blocking key of a number: its digits, the last 11 (drops +86, 0086, area prefixes)."""
    return _NON_DIGIT.sub("", phone)[-11:]


def address_key(address: str) -> str:
    """The blocking key of an address: without spaces and punctuation, its first 24 characters."""
    return _SPACE_PUNCT.sub("", address)[:ADDRESS_KEY_LENGTH]


def mask_phone(phone: str) -> str:
    """138****5678 in lists and exports; the full number only on the detail page."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def validate(fields: dict[str, Any]) -> None:
    fold(fields)  # a correction stores what validation leaves
    if fields.get("category") not in Category.values:
        raise ActionError("请选择诉求类型", field="category")
    if fields.get("urgency", Urgency.NORMAL) not in Urgency.values:
        raise ActionError("请选择紧急程度", field="urgency")
    if not (fields.get("content") or "").strip():
        raise ActionError("请填写诉求内容", field="content")
    visit = fields.get("visit_result") or ""
    if visit and visit not in VisitResult.values:
        raise ActionError("回访结果无效", field="visit_result")
    called, dispatched = fields.get("called_at"), fields.get("dispatched_at")
    if called and dispatched and dispatched < called:
        if called > timezone.now():  # the call's time is what is wrong (a correction's typo)
            raise ActionError("来电时间不能晚于现在", field="called_at")
        raise ActionError("派单时间不能早于来电时间", field="dispatched_at")
    limit = fields.get("time_limit")
    if dispatched and limit and limit < dispatched:
        raise ActionError("办理时限不能早于派单时间", field="time_limit")
