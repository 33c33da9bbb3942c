"""How the generic web layer shows the 信访 ledger: columns, filters, forms, timeline, export."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest

from fazhi.core.masking import mask_address, mask_contact, mask_name
from fazhi.core.records.clocks import live_events
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.names import display_name
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.registry import Column, Filter, LedgerUI, due_column, year_filter
from fazhi.ledgers.petitions import actions
from fazhi.ledgers.petitions.forms import MOVE_FORMS, CorrectForm, RegisterForm, VisitForm
from fazhi.ledgers.petitions.importing import DECLARATION, EXPORT_HEADERS
from fazhi.ledgers.petitions.ledger import LEDGER
from fazhi.ledgers.petitions.models import (
    Category,
    EventKind,
    Form,
    Petition,
    PetitionEvent,
    Procedure,
    Result,
    ReviewResult,
    Satisfaction,
    Source,
    Stage,
    Status,
)


def _search(qs: QuerySet[Petition], q: str) -> QuerySet[Petition]:
    return qs.filter(Q(number__icontains=q) | Q(content__icontains=q) | Q(source_ref__icontains=q))


def _who(p: Petition) -> str:
    return mask_name(p.petitioner) if p.petitioner else "（匿名）"


def _full_or_masked(
    p: Petition, request: HttpRequest, value: str, mask: Callable[[str], str]
) -> str:
    if not value:
        return "—"
    if access_for(request.user).can(p.unit_id, Permission.HANDLE):
        return value
    return mask(value)


def _details(p: Petition, request: HttpRequest) -> Sequence[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("信访编号", p.number),
        ("受理单位", p.unit.name),
        ("事项类别", p.get_stage_display()),
        ("收到日期", p.received_on),
        ("信访形式", p.get_form_display()),
        ("来源", p.get_source_display() + (f"（{p.source_ref}）" if p.source_ref else "")),
        ("信访类型", p.get_category_display()),
        # Full personal data only here and only to those who handle the matter (invariant 8).
        (
            "信访人",
            _full_or_masked(p, request, p.petitioner, mask_name) if p.petitioner else "（匿名）",
        ),
        ("地址", _full_or_masked(p, request, p.address, mask_address)),
        ("联系方式", _full_or_masked(p, request, p.contact, mask_contact)),
        ("诉求内容", p.content),
    ]
    if p.original:
        rows.append(("原办理单位及答复", p.original))
    if p.repeat_of_id:
        rows.append(("重复信访", f"同一事项 {p.repeat_of} 正在办理中（条例第十九条）"))
    if p.handler_id:
        assert p.handler is not None
        rows.append(("承办人", display_name(p.handler)))
    rows.append(("状态", p.get_status_display()))
    if p.result:
        rows.append(("处理结果", f"{p.get_result_display()}（{p.replied_on:%Y-%m-%d}）"))
        if p.handle_due_on and p.replied_on:
            on_time = "是" if p.replied_on <= p.handle_due_on else "否（超过办理期限）"
            rows.append(("按期办结", f"{on_time}，办理期限 {p.handle_due_on:%Y-%m-%d}"))
    if p.satisfaction:
        rows.append(("满意度", p.get_satisfaction_display()))
    if p.review_result:
        rows.append(("复查结果", p.get_review_result_display()))
    if p.recheck_result:
        rows.append(("复核结果", p.get_recheck_result_display()))
    return rows


def _label(enum: Any, key: str) -> Callable[[dict[str, Any]], str]:
    return lambda d: enum(d[key]).label if d.get(key) in enum.values else ""


EVENT_DETAIL: dict[str, Callable[[dict[str, Any]], str]] = {
    EventKind.REGISTERED: lambda d: (
        f"重复信访，同一事项 {d['repeat_of']} 在办" if d.get("repeat_of") else ""
    ),
    EventKind.ACCEPTED: lambda d: f"承办人：{d['handler']}" if d.get("handler") else "",
    EventKind.TRANSFERRED: lambda d: (
        f"{'交办' if d.get('assign') else '转送'}至：{d.get('to', '')}"
    ),
    EventKind.NOT_ACCEPTED: lambda d: (
        f"告知信访人通过：{Procedure(d['procedure']).label}"
        if d.get("procedure") in Procedure.values
        else ""
    ),
    EventKind.EXTENSION_REQUESTED: lambda d: f"提请延长{d.get('amount', '')}日",
    EventKind.EXTENDED: lambda d: (
        f"延长{d.get('amount', '')}日"
        + (f"，{d['told_on']} 告知信访人" if d.get("told_on") else "")
    ),
    EventKind.OPINION: lambda d: (
        f"{Result(d['result']).label}；依据：{d.get('basis', '')}"
        if d.get("result") in Result.values
        else ""
    ),
    EventKind.AGREEMENT: _label(Result, "result"),
    EventKind.FEEDBACK: _label(Satisfaction, "satisfaction"),
    EventKind.REVIEW_REQUESTED: lambda d: f"向 {d.get('to', '')} 申请复查",
    EventKind.REVIEW_DECIDED: _label(ReviewResult, "result"),
    EventKind.RECHECK_REQUESTED: lambda d: f"向 {d.get('to', '')} 申请复核",
    EventKind.RECHECK_DECIDED: _label(ReviewResult, "result"),
}


def _route_word(event: Any) -> str:
    """How the import file names a routing step (its 处理方式 column)."""
    if event.kind == EventKind.TRANSFERRED:
        return "交办" if event.data.get("assign") else "转送"
    return {EventKind.ACCEPTED: "受理", EventKind.NOT_ACCEPTED: "不予受理"}.get(event.kind, "")


def _approver(event: Any) -> str:
    if event.data.get("approver"):
        return str(event.data["approver"])
    return display_name(event.by)


def _export(qs: QuerySet[Petition]) -> tuple[list[str], Iterator[list[object]]]:
    """The import file's columns (so an export imports back) plus status and deadlines; the
    personal data masked (invariant 8)."""
    events = Prefetch("events", queryset=PetitionEvent.objects.select_related("by"))

    def rows() -> Iterator[list[object]]:
        for p in qs.prefetch_related(events, "visits").iterator(chunk_size=1000):
            first: dict[str, Any] = {}
            for e in live_events(p.events.all()):
                first.setdefault(e.kind, e)
            visit = next((v for v in p.visits.all() if v.removed_at is None), None)
            routed = (
                first.get(EventKind.ACCEPTED)
                or first.get(EventKind.TRANSFERRED)
                or first.get(EventKind.NOT_ACCEPTED)
            )
            extended = first.get(EventKind.EXTENDED)
            opinion = first.get(EventKind.OPINION)
            procedure = routed.data.get("procedure") if routed else None
            yield [
                p.number,
                p.received_on,
                p.get_stage_display(),
                p.get_form_display(),
                p.get_source_display(),
                p.source_ref,
                p.get_category_display(),
                mask_name(p.petitioner),
                mask_address(p.address),
                mask_contact(p.contact),
                p.content,
                visit.visitors if visit else "",
                visit.representatives if visit else "",
                p.original,
                _route_word(routed) if routed else "",
                routed.on if routed else None,
                (routed.data.get("to") or "") if routed else "",
                Procedure(procedure).label if procedure in Procedure.values else "",
                extended.on if extended else None,
                extended.data.get("amount", "") if extended else "",
                _approver(extended) if extended else "",
                p.replied_on,
                p.get_result_display() if p.result else "",
                (opinion.data.get("basis") or "") if opinion else "",
                p.get_satisfaction_display() if p.satisfaction else "",
                p.get_status_display(),
                p.due_on,
                "暂定" if p.due_provisional else "",
            ]

    return EXPORT_HEADERS, rows()


UI = LedgerUI(
    ledger=LEDGER,
    columns=[
        Column("信访编号", lambda p: p.number),
        Column("单位", lambda p: p.unit.name),
        Column("收到日期", lambda p: f"{p.received_on:%Y-%m-%d}"),
        Column("形式", lambda p: p.get_form_display()),
        Column("类型", lambda p: p.get_category_display()),
        Column("信访人", _who),
        Column("状态", lambda p: p.get_status_display()),
        due_column(),
        Column("处理结果", lambda p: p.get_result_display() if p.result else ""),
    ],
    filters=[
        Filter("status", "状态", lambda: Status.choices, lambda qs, v: qs.filter(status=v)),
        year_filter("year", "收到年度", "received_on"),
        Filter("stage", "事项类别", lambda: Stage.choices, lambda qs, v: qs.filter(stage=v)),
        Filter("form", "信访形式", lambda: Form.choices, lambda qs, v: qs.filter(form=v)),
        Filter(
            "category", "信访类型", lambda: Category.choices, lambda qs, v: qs.filter(category=v)
        ),
        Filter("source", "来源", lambda: Source.choices, lambda qs, v: qs.filter(source=v)),
    ],
    search=_search,
    search_hint="编号、诉求内容、来源文号",
    move_forms=MOVE_FORMS,
    register_form=RegisterForm,
    register=actions.register,
    register_label="登记信访事项",
    register_initial=lambda today: {"received_on": today},
    correct_form=CorrectForm,
    details=_details,
    event_detail=EVENT_DETAIL,
    import_declaration=DECLARATION,
    export=_export,
    badge_column=8,
    todo_columns=(1, 3, 4),
    summary_indicators=("xf.accepted_in_time_rate", "xf.on_time_rate", "xf.satisfaction_rate"),
    child_forms={"visits": VisitForm},
)
