"""The checks on a register entry's own fields, shared by the form, the actions, corrections and
the import: which table-二 figures an entry may carry follows from its category."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fazhi.core.masking import id_number_refusal
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure.proactive.models import (
    DECISION_KINDS,
    DOCUMENT_KINDS,
    TABLE2_BY_CATEGORY,
    Category,
    ChangeKind,
    DocAction,
    Table2Kind,
)

MAX_QUANTITY = 1_000_000
MAX_AMOUNT = Decimal("1e12")  # 元; the column holds 14 digits, 2 of them decimals


# What the catalogue (目录) publishes of an entry, in its own words.
PUBLISHED = {"title": "名称", "doc_number": "文号", "summary": "内容概述"}


def validate(fields: dict[str, Any]) -> None:
    """Raises ActionError(field=...). An entry counts in table 二 only where the clerk says so:
    a 第（五）项 entry may publish the licensing procedure, not decisions. What the catalogue
    publishes never carries an ID number (DESIGN invariant 8)."""
    if not str(fields.get("title") or "").strip():
        raise ActionError("请填写政府信息的名称", field="title")
    for name, label in PUBLISHED.items():
        refusal = id_number_refusal(
            str(fields.get(name) or ""), where=f"「{label}」", published="政府信息目录"
        )
        if refusal:
            raise ActionError(refusal, field=name)
    category = fields.get("category")
    if category not in Category.values:
        raise ActionError("请选择主动公开的类别（条例第二十条、第二十一条）", field="category")
    if fields.get("change_kind", ChangeKind.MADE) not in ChangeKind.values:
        raise ActionError("请选择新形成或变更", field="change_kind")
    allowed = TABLE2_BY_CATEGORY.get(category, frozenset())
    kind = fields.get("table2_kind") or ""
    if kind and kind not in Table2Kind.values:
        raise ActionError("年报表二统计项无效", field="table2_kind")
    if kind and kind not in allowed:
        section = Category(category).label.split(" ")[0]
        if not allowed:
            message = f"「{section}」的信息不计入年报表二，「年报表二统计项」请留空"
        else:
            options = "、".join(Table2Kind(k).label for k in Table2Kind.values if k in allowed)
            message = f"「{section}」的信息在年报表二中只能计入：{options}"
        raise ActionError(message, field="table2_kind")
    action = fields.get("doc_action") or ""
    if kind in DOCUMENT_KINDS:
        if action not in DocAction.values:
            raise ActionError("规章、规范性文件请选择本条是制发还是废止", field="doc_action")
    elif action:
        raise ActionError("只有规章、规范性文件才填写制发或废止", field="doc_action")
    quantity = _int(fields.get("quantity"))
    if quantity < 0 or quantity > MAX_QUANTITY:
        raise ActionError(f"处理决定数量应在 0 至 {MAX_QUANTITY} 之间", field="quantity")
    if quantity and kind not in DECISION_KINDS:
        raise ActionError(
            "填写处理决定数量的，「年报表二统计项」应为行政许可、行政处罚或行政强制",
            field="quantity",
        )
    fields["quantity"] = quantity
    amount = _decimal(fields.get("amount"))
    if amount < 0 or amount >= MAX_AMOUNT:
        raise ActionError("收费金额应为不小于 0 的金额（元）", field="amount")
    if amount and kind != Table2Kind.FEES:
        raise ActionError("填写收费金额的，「年报表二统计项」应为行政事业性收费", field="amount")
    fields["amount"] = amount


def _int(value: Any) -> int:
    if value in (None, ""):
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ActionError("处理决定数量应为整数", field="quantity") from None


def _decimal(value: Any) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ActionError("收费金额应为金额（元）", field="amount") from None
    if not amount.is_finite():
        raise ActionError("收费金额应为金额（元）", field="amount")
    return amount.quantize(Decimal("0.01"))
