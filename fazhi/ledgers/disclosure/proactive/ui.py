"""How the generic web layer shows the 主动公开 register: columns, filters, forms, export."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from fazhi.core.web.registry import Column, Filter, LedgerUI, due_column, year_filter
from fazhi.ledgers.disclosure.proactive import actions
from fazhi.ledgers.disclosure.proactive.forms import MOVE_FORMS, CorrectForm, RegisterForm
from fazhi.ledgers.disclosure.proactive.importing import DECLARATION, EXPORT_HEADERS
from fazhi.ledgers.disclosure.proactive.ledger import LEDGER
from fazhi.ledgers.disclosure.proactive.models import (
    DECISION_KINDS,
    DOCUMENT_KINDS,
    Category,
    EventKind,
    ProactiveItem,
    PublicationChannel,
    Status,
    Table2Kind,
    short_category,
)

SLUG = LEDGER.slug


def _search(qs: QuerySet[ProactiveItem], q: str) -> QuerySet[ProactiveItem]:
    return qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(doc_number__icontains=q))


def on_time_text(item: ProactiveItem) -> str:
    if item.published_on is None or item.publish_due_on is None:
        return ""
    return "是" if item.published_on <= item.publish_due_on else "否（超过20个工作日）"


def _table2_text(item: ProactiveItem) -> str:
    if not item.table2_kind:
        return "不计入"
    text = Table2Kind(item.table2_kind).label
    if item.table2_kind in DOCUMENT_KINDS:
        text += f"·{item.get_doc_action_display()}"
    elif item.table2_kind in DECISION_KINDS:
        text += f"·处理决定 {item.quantity} 件"
    else:
        text += f"·{item.amount} 元"
    return text


def _details(item: ProactiveItem, request: HttpRequest) -> Sequence[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("索引号", item.number),
        ("单位", item.unit.name),
        ("名称", item.title),
        ("文号", item.doc_number or "—"),
        ("类别", item.get_category_display()),
        ("内容概述", item.summary or "—"),
        ("形成或变更", item.get_change_kind_display()),
        ("形成（变更）日期", item.made_on),
        ("年报表二统计项", _table2_text(item)),
        ("状态", item.get_status_display()),
    ]
    if item.published_on:
        rows += [
            ("公开日期", item.published_on),
            ("公开途径", item.get_channel_display()),
            ("公开位置", item.location or "—"),
        ]
        if item.publish_due_on:
            rows.append(
                ("按期公开", f"{on_time_text(item)}，公开期限 {item.publish_due_on:%Y-%m-%d}")
            )
    return rows


EVENT_DETAIL: dict[str, Callable[[dict[str, Any]], str]] = {
    EventKind.PUBLISHED: lambda d: (
        (PublicationChannel(d["channel"]).label if d.get("channel") else "")
        + (f"：{d['location']}" if d.get("location") else "")
    ),
}


def export_rows(qs: QuerySet[ProactiveItem]) -> Iterator[list[object]]:
    """The import file's columns, then the register's own facts; a re-import is idempotent."""
    for item in qs.iterator(chunk_size=1000):
        yield [
            item.number,
            item.title,
            item.doc_number,
            item.get_category_display(),
            item.summary,
            item.get_change_kind_display(),
            item.made_on,
            item.get_table2_kind_display() if item.table2_kind else "",
            item.get_doc_action_display() if item.doc_action else "",
            item.quantity or "",
            item.amount or "",
            item.published_on,
            item.get_channel_display() if item.channel else "",
            item.location,
            item.get_status_display(),
            item.publish_due_on,
            on_time_text(item),
            "暂定" if item.due_provisional else "",
        ]


def _export(qs: QuerySet[ProactiveItem]) -> tuple[list[str], Iterator[list[object]]]:
    return EXPORT_HEADERS, export_rows(qs)


UI = LedgerUI(
    ledger=LEDGER,
    columns=[
        Column("索引号", lambda i: i.number),
        Column("单位", lambda i: i.unit.name),
        Column("名称", lambda i: i.title),
        Column("类别", lambda i: short_category(i.category)),
        Column("形成（变更）日期", lambda i: f"{i.made_on:%Y-%m-%d}"),
        Column("状态", lambda i: i.get_status_display()),
        due_column("公开期限"),
        Column("公开日期", lambda i: f"{i.published_on:%Y-%m-%d}" if i.published_on else ""),
    ],
    filters=[
        Filter("status", "状态", lambda: Status.choices, lambda qs, v: qs.filter(status=v)),
        Filter("category", "类别", lambda: Category.choices, lambda qs, v: qs.filter(category=v)),
        year_filter("year", "形成年度", "made_on"),
        year_filter("published", "公开年度", "published_on"),
        Filter(
            "table2",
            "年报表二统计项",
            lambda: Table2Kind.choices,
            lambda qs, v: qs.filter(table2_kind=v),
        ),
    ],
    search=_search,
    search_hint="索引号、名称、文号",
    move_forms=MOVE_FORMS,
    register_form=RegisterForm,
    register=actions.register,
    register_label="登记主动公开信息",
    register_initial=lambda today: {"made_on": today},
    correct_form=CorrectForm,
    details=_details,
    event_detail=EVENT_DETAIL,
    import_declaration=DECLARATION,
    export=_export,
    badge_column=7,
    todo_columns=(1, 2),
    summary_indicators=("xxgk.proactive.on_time_rate",),
    links=(("政府信息公开指南和目录", "xxgk:index"),),
)
