"""How the generic web layer shows the hotline ledger: columns, filters, forms, export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from fazhi.core.imports import Column as ImportColumn
from fazhi.core.imports import ImportSpec
from fazhi.core.imports.spec import ParsedRow, RowError
from fazhi.core.masking import mask_address, mask_name
from fazhi.core.records.bulk import ImportDeclaration, ImportRow
from fazhi.core.records.search import looks_like_number, prefix_search
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.registry import Column, Filter, LedgerUI, due_column, year_filter
from fazhi.ledgers.hotline import actions, repeats
from fazhi.ledgers.hotline.columns import FIELDS
from fazhi.ledgers.hotline.forms import MOVE_FORMS, CorrectForm, RegisterForm
from fazhi.ledgers.hotline.history import imported_steps
from fazhi.ledgers.hotline.indicators import SUMMARY
from fazhi.ledgers.hotline.ledger import LEDGER
from fazhi.ledgers.hotline.models import Category, Status, Urgency, VisitResult, WorkOrder
from fazhi.ledgers.hotline.validation import mask_phone


def _t(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _search(qs: QuerySet[WorkOrder], q: str) -> QuerySet[WorkOrder]:
    """A term that reads as a number (6 or more letters, digits and hyphens, a digit among
    them) lists the orders whose number begins with it, by number, through the number's index;
    when no number begins with it, the orders whose content holds it. Any other term finds a
    fragment of the number or of the content anywhere."""
    if looks_like_number(q):
        found = prefix_search(qs, "number", q)
        return found if found is not None else qs.filter(content__icontains=q)
    return qs.filter(Q(number__icontains=q) | Q(content__icontains=q))


def _details(o: WorkOrder, request: HttpRequest) -> Sequence[tuple[str, Any]]:
    full = access_for(request.user).can(o.unit_id, Permission.HANDLE)
    on_time = {None: "—", True: "是", False: "否（超时）"}[o.on_time]
    return [
        ("工单编号", o.number),
        ("承办单位", o.unit.name),
        ("来电时间", _t(o.called_at)),
        ("来电号码", (o.phone if full else mask_phone(o.phone)) or "—"),
        ("诉求人", (o.requester if full else mask_name(o.requester)) or "—"),
        ("地址", (o.address if full else mask_address(o.address)) or "—"),
        ("诉求类型", o.get_category_display()),
        ("紧急程度", o.get_urgency_display()),
        ("诉求内容", o.content),
        ("派单时间", _t(o.dispatched_at) or "—"),
        (
            "办理时限",
            (_t(o.time_limit) + (f"（{o.get_limit_source_display()}）" if o.limit_source else ""))
            or "—",
        ),
        ("反馈时间", _t(o.feedback_at) or "—"),
        ("办结时间", _t(o.closed_at) or "—"),
        ("按时办理", on_time),
        ("办理结果", o.result or "—"),
        ("回访结果", o.get_visit_result_display() or "—"),
        ("退单/重派次数", f"{o.returns} / {o.redispatches}"),
        ("督办", "是" if o.supervised else "否"),
        ("重复诉求", repeats_markup(o)),
        ("导入批次", str(o.import_batch) if o.import_batch_id else "—"),
    ]


def repeats_markup(o: WorkOrder) -> Any:
    """The order's group of repeated demands, each linked, its first order marked; "—" when it
    is in none. The group holds orders of the order's own unit only (repeats.py)."""
    members = repeats.group(o)
    if not members:
        return "—"
    items = format_html_join(
        "",
        '<li>{}<a href="{}">{}</a>（{}，{}）{}</li>',
        (
            (
                "首次：" if m.repeat_of_id is None else "",
                reverse("web:detail", args=["hotline", m.pk]),
                m.number,
                _t(m.called_at),
                m.get_status_display(),
                "（本工单）" if m.pk == o.pk else "",
            )
            for m in members
        ),
    )
    group_url = reverse("web:list", args=["hotline"]) + f"?group={members[0].pk}"
    return format_html(
        '<div class="repeats"><p>{}。本组共 {} 件（<a href="{}">在列表中查看</a>）：</p>'
        "<ol>{}</ol></div>",
        "本工单为重复诉求" if o.repeat_of_id else "本工单有后续重复诉求",
        len(members),
        group_url,
        items,
    )


def _group(qs: QuerySet[WorkOrder], value: str) -> QuerySet[WorkOrder]:
    if not value.isdigit() or len(value) > 18:
        return qs.none()
    root = int(value)
    return qs.filter(Q(pk=root) | Q(repeat_of_id=root))


EXPORT_HEADERS = [f.label for f in FIELDS] + ["状态", "当前期限"]


def _export(qs: QuerySet[WorkOrder]) -> tuple[list[str], Any]:
    def rows() -> Iterator[list[Any]]:
        for o in qs.select_related("unit").iterator(chunk_size=2000):
            yield [
                o.number,
                _t(o.called_at),
                mask_phone(o.phone),
                mask_name(o.requester),
                mask_address(o.address),
                o.get_category_display(),
                o.get_urgency_display(),
                o.content,
                _t(o.dispatched_at),
                o.unit.name,
                _t(o.time_limit),
                _t(o.feedback_at),
                _t(o.closed_at),
                o.result,
                o.get_visit_result_display(),
                o.returns,
                o.redispatches,
                "是" if o.supervised else "否",
                o.get_status_display(),
                o.due_on,
            ]

    return EXPORT_HEADERS, rows()


def _no_rows(row: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
    # The hotline imports through its own streaming path (importing.py); the generic page
    # redirects there, so the kit's per-row path never reads a work order file.
    return None, [RowError(row.line, None, "请使用12345工单导入页面")]


# The template the generic page offers (fazhi's own headers: a file with these needs no mapping).
SPEC = ImportSpec(
    name="12345热线工单",
    columns=tuple(
        ImportColumn(f.label, f.key, required=f.required, allow_blank=not f.required, help=f.help)
        for f in FIELDS
    ),
    key="number",
)
DECLARATION = ImportDeclaration(
    spec=SPEC,
    to_row=_no_rows,
    stored_signature=lambda r, e: (),
    row_signature=lambda r: (),
    noun="工单",
)


def _repeat_filter(qs: QuerySet[WorkOrder], value: str) -> QuerySet[WorkOrder]:
    if value == "yes":
        return qs.filter(repeat_of__isnull=False)
    if value == "grouped":
        firsts = qs.filter(repeat_of__isnull=False).values("repeat_of_id")
        return qs.filter(Q(repeat_of__isnull=False) | Q(pk__in=firsts))
    return qs


# The list's labels by value: a dict lookup per cell, not get_FOO_display() (150 a page).
_CATEGORY, _STATUS = dict(Category.choices), dict(Status.choices)
_VISIT = dict(VisitResult.choices)

UI = LedgerUI(
    ledger=LEDGER,
    columns=[
        Column("工单编号", lambda o: o.number),
        Column("承办单位", lambda o: o.unit.name),
        Column("来电时间", lambda o: _t(o.called_at)),
        Column("诉求类型", lambda o: _CATEGORY.get(o.category, o.category)),
        Column("来电号码", lambda o: mask_phone(o.phone)),
        Column("状态", lambda o: _STATUS.get(o.status, o.status)),
        Column("办理时限", lambda o: _t(o.time_limit) or "—"),
        due_column(),
        Column("回访结果", lambda o: _VISIT.get(o.visit_result, o.visit_result)),
    ],
    list_fields=(
        "number",
        "called_at",
        "category",
        "phone",
        "time_limit",
        "visit_result",
    ),
    filters=[
        Filter("status", "状态", lambda: Status.choices, lambda qs, v: qs.filter(status=v)),
        year_filter("year", "来电年度", "called_on"),
        Filter(
            "category", "诉求类型", lambda: Category.choices, lambda qs, v: qs.filter(category=v)
        ),
        Filter("urgency", "紧急程度", lambda: Urgency.choices, lambda qs, v: qs.filter(urgency=v)),
        Filter(
            "repeat",
            "重复诉求",
            lambda: [("yes", "仅重复诉求"), ("grouped", "重复诉求组（含首次工单）")],
            _repeat_filter,
        ),
        Filter("group", "重复诉求组", list, _group, lambda v: "同一组的全部工单"),
    ],
    search=_search,
    search_hint="工单编号（从头输入）、诉求内容",
    move_forms=MOVE_FORMS,
    # The moves' results show through `Move.shown`; a return's reason is the step's own data.
    field_steps=imported_steps,
    event_detail={"returned": lambda d: f"退单理由：{d['reason']}" if d.get("reason") else ""},
    register_form=RegisterForm,
    register=actions.register,
    register_label="登记工单",
    correct_form=CorrectForm,
    details=_details,
    import_declaration=DECLARATION,
    export=_export,
    badge_column=7,
    todo_columns=(1, 3, 6),
    summary_indicators=SUMMARY,
    links=(("承办单位排名", "hotline:ranking"),),
    register_links=(("导入工单（表头映射）", "hotline:import"),),
    import_view="hotline:import",
)
