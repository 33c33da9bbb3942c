"""How the generic web layer shows the 人民调解 ledgers: columns, filters, forms, timeline, export."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from fazhi.core.masking import mask_name
from fazhi.core.records.clocks import live_events
from fazhi.core.records.handoffs import trail
from fazhi.core.records.ledger import get_ledger
from fazhi.core.web.registry import Column, Filter, LedgerUI, due_column, year_filter
from fazhi.ledgers.mediation import actions, forms
from fazhi.ledgers.mediation.importing import (
    COMMITTEE_DECLARATION,
    COMMITTEE_HEADERS,
    DECLARATION,
    EXPORT_HEADERS,
    SCREENING_DECLARATION,
    SCREENING_HEADERS,
)
from fazhi.ledgers.mediation.ledger import COMMITTEES, LEDGER, SCREENINGS
from fazhi.ledgers.mediation.models import (
    Case,
    Committee,
    CommitteeKind,
    CommitteeStatus,
    CourtResult,
    DisputeType,
    EventKind,
    Outcome,
    PartyKind,
    Performance,
    Route,
    Screening,
    ScreeningStatus,
    Source,
    Status,
)
from fazhi.ledgers.mediation.privacy import masked_party


def party_names(c: Case, masked: bool = True) -> str:
    """Natural persons masked (invariant 8); organisations are not personal data."""
    shown = [
        mask_name(p.name) if masked and p.kind == PartyKind.PERSON else p.name
        for p in c.parties.all()
        if p.removed_at is None
    ]
    return "、".join(shown)


def _search(qs: QuerySet[Case], q: str) -> QuerySet[Case]:
    return qs.filter(Q(number__icontains=q) | Q(summary__icontains=q) | Q(origin_ref__icontains=q))


def _label(enum: Any, key: str) -> Callable[[dict[str, Any]], str]:
    return lambda d: enum(d[key]).label if d.get(key) in enum.values else ""


def _origin_link(c: Case) -> Any:
    if not (c.origin_ledger and c.origin_id):
        return c.origin_ref or "—"
    if get_ledger(c.origin_ledger) is None:
        return c.origin_ref
    try:
        url = reverse("web:detail", args=[c.origin_ledger, c.origin_id])
    except NoReverseMatch:
        return c.origin_ref
    return format_html('<a href="{}">{}</a>（本系统记录）', url, c.origin_ref)


def _details(c: Case, request: HttpRequest) -> Sequence[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("调解编号", c.number),
        (
            "受理单位",
            f"已上报{c.unit.name}，待其受理" if c.status == Status.HANDED_UP else c.unit.name,
        ),
        ("受理日期", c.received_on),
        ("纠纷来源", c.get_source_display()),
        ("移交单位及文号/原记录", _origin_link(c)),
        ("纠纷类型", c.get_dispute_type_display()),
        ("纠纷简要情况", c.summary),
        ("调解组织", c.committee.name),
        ("调解员", c.mediator.name if c.mediator_id and c.mediator else "（未指派）"),
        ("状态", c.get_status_display()),
    ]
    handed = trail(LEDGER, c)
    if handed:
        steps = "；".join(f"{h.on:%Y-%m-%d} {h.from_unit.name} → {h.to_unit.name}" for h in handed)
        rows.append(("上报经过", steps))
    if c.outcome:
        rows.append(("调解结果", f"{c.get_outcome_display()}（{c.concluded_on:%Y-%m-%d}）"))
    if c.agreement:
        rows.append(("协议内容", c.agreement))
    if c.confirmation_applied_on:
        ruled = f"，{c.get_court_result_display()}" if c.court_result else ""
        rows.append(("司法确认", f"{c.confirmation_applied_on:%Y-%m-%d} 申请{ruled}"))
    if c.followup_on:
        rows.append(("回访", f"{c.followup_on:%Y-%m-%d} {c.get_performance_display()}"))
    url = reverse("mediation:dossier", args=[c.pk])
    rows.append(
        ("一案一册", format_html('<a href="{}" class="dossier">下载案卷（.docx）</a>', url))
    )
    return rows


EVENT_DETAIL: dict[str, Callable[[dict[str, Any]], str]] = {
    EventKind.REGISTERED: lambda d: (
        f"调解组织：{d.get('committee', '')}" if d.get("committee") else ""
    ),
    EventKind.ASSIGNED: lambda d: f"{d.get('committee', '')} · 调解员 {d.get('mediator', '')}",
    EventKind.RECUSED: lambda d: (
        f"{d.get('mediator', '')}回避：{actions.RECUSAL_REASONS.get(d.get('reason', ''), '')}"
    ),
    EventKind.FAILED: lambda d: (
        "已告知：" + "、".join(Route(r).label for r in d.get("routes", []) if r in Route.values)
    ),
    EventKind.REFUSED: lambda d: f"拒绝调解：{d.get('party', '')}",
    EventKind.HANDED_UP: lambda d: f"上报至 {d.get('to_unit_name', '')}",
    EventKind.TAKEN_OVER: lambda d: (
        f"{d.get('committee', '')}受理"
        + (f" · 调解员 {d['mediator']}" if d.get("mediator") else "")
    ),
    EventKind.CONFIRMATION_APPLIED: lambda d: f"向{d.get('court', '')}申请",
    EventKind.CONFIRMATION_RULED: _label(CourtResult, "result"),
    EventKind.FOLLOWED_UP: _label(Performance, "performance"),
}


def _export(qs: QuerySet[Case]) -> tuple[list[str], Iterator[list[object]]]:
    """The import's columns (so an export imports back), names of persons masked."""

    def rows() -> Iterator[list[object]]:
        cases = qs.select_related("committee", "mediator").prefetch_related("parties", "events")
        for c in cases.iterator(chunk_size=500):
            events = live_events(c.events.all())
            failed = next((e for e in events if e.kind == EventKind.FAILED), None)
            applied = next((e for e in events if e.kind == EventKind.CONFIRMATION_APPLIED), None)
            parties = [p for p in c.parties.all() if p.removed_at is None]
            yield [
                c.number,
                c.received_on,
                c.get_source_display(),
                c.origin_ref,
                c.get_dispute_type_display(),
                c.summary,
                "、".join(mask_name(p.name) for p in parties if p.kind == PartyKind.PERSON),
                "、".join(p.name for p in parties if p.kind == PartyKind.ORG),
                c.committee.name,
                c.mediator.name if c.mediator else "",
                c.get_outcome_display() if c.outcome else "",
                c.concluded_on,
                c.agreement,
                "、".join(Route(r).label for r in failed.data.get("routes", [])) if failed else "",
                c.confirmation_applied_on,
                applied.data.get("court", "") if applied else "",
                c.followup_on,
                c.get_performance_display() if c.performance else "",
                c.get_status_display(),
                c.due_on,
                "暂定" if c.due_provisional else "",
            ]

    return EXPORT_HEADERS, rows()


def _committee_filter(qs: QuerySet[Any], value: str) -> QuerySet[Any]:
    return qs.filter(committee_id=int(value)) if value.isascii() and value.isdigit() else qs.none()


def _committee_named(value: str) -> str:
    return "所选调解组织"  # no name by key here: the filter has no door of its own


CASES_UI = LedgerUI(
    ledger=LEDGER,
    columns=[
        Column("调解编号", lambda c: c.number),
        Column("单位", lambda c: c.unit.name),
        Column("受理日期", lambda c: f"{c.received_on:%Y-%m-%d}"),
        Column("纠纷类型", lambda c: c.get_dispute_type_display()),
        Column("当事人", party_names),
        Column("调解组织", lambda c: c.committee.name),
        Column("状态", lambda c: c.get_status_display()),
        due_column(),
        Column("调解结果", lambda c: c.get_outcome_display() if c.outcome else ""),
    ],
    filters=[
        Filter("status", "状态", lambda: Status.choices, lambda qs, v: qs.filter(status=v)),
        year_filter("year", "受理年度", "received_on"),
        Filter(
            "type", "纠纷类型", lambda: DisputeType.choices, lambda qs, v: qs.filter(dispute_type=v)
        ),
        Filter("source", "纠纷来源", lambda: Source.choices, lambda qs, v: qs.filter(source=v)),
        Filter("outcome", "调解结果", lambda: Outcome.choices, lambda qs, v: qs.filter(outcome=v)),
        Filter(
            "committee_kind",
            "调解组织类型",
            lambda: CommitteeKind.choices,
            lambda qs, v: qs.filter(committee__kind=v),
        ),
        # The committee's name is read only for a case the list already shows (no choices).
        Filter("committee", "调解组织", list, _committee_filter, _committee_named),
    ],
    search=_search,
    search_hint="编号、纠纷情况、移交文号",
    move_forms=forms.CASE_MOVE_FORMS,
    register_form=forms.RegisterForm,
    register=forms.register_case,
    register_label="受理纠纷",
    register_initial=lambda today: {"received_on": today},
    correct_form=forms.CorrectForm,
    details=_details,
    event_detail=EVENT_DETAIL,
    import_declaration=DECLARATION,
    export=_export,
    badge_column=8,
    todo_columns=(2, 3, 5),
    summary_indicators=("med.cases", "med.success_rate", "med.in_month_rate"),
    child_forms={"parties": forms.PartyForm, "sessions": forms.SessionForm},
    child_masks={"parties": masked_party},
    links=(("调解统计", "mediation:stats"),),
)


def _committee_details(c: Committee, request: HttpRequest) -> Sequence[tuple[str, Any]]:
    members = [m for m in c.mediators.all() if m.removed_at is None]
    count = sum(1 for m in members if m.is_member)
    women = sum(1 for m in members if m.is_member and m.gender == "female")
    return [
        ("编号", c.number),
        ("单位", c.unit.name),
        ("名称", c.name),
        ("类型", c.get_kind_display()),
        ("专业领域", c.field_of_work or "—"),
        ("本届起始日期", c.term_start),
        ("本届届满日期", c.term_due_on or "—"),
        ("委员人数", f"{count}人（其中女性{women}人）"),
        ("状态", c.get_status_display()),
    ]


def _committee_export(qs: QuerySet[Committee]) -> tuple[list[str], Iterator[list[object]]]:
    def rows() -> Iterator[list[object]]:
        for c in qs.prefetch_related("mediators").iterator(chunk_size=500):
            members = [m for m in c.mediators.all() if m.removed_at is None and m.is_member]
            members.sort(key=lambda m: (m.role != "chair", m.pk))
            yield [
                c.number,
                c.name,
                c.get_kind_display(),
                c.field_of_work,
                c.term_start,
                "、".join(f"{m.name} {m.get_gender_display()}" for m in members),
            ]

    return list(COMMITTEE_HEADERS.values()), rows()


COMMITTEES_UI = LedgerUI(
    ledger=COMMITTEES,
    columns=[
        Column("编号", lambda c: c.number),
        Column("单位", lambda c: c.unit.name),
        Column("名称", lambda c: c.name),
        Column("类型", lambda c: c.get_kind_display()),
        Column("本届起始", lambda c: f"{c.term_start:%Y-%m-%d}"),
        Column("状态", lambda c: c.get_status_display()),
        due_column("届满日期"),
    ],
    filters=[
        Filter(
            "status", "状态", lambda: CommitteeStatus.choices, lambda qs, v: qs.filter(status=v)
        ),
        Filter("kind", "类型", lambda: CommitteeKind.choices, lambda qs, v: qs.filter(kind=v)),
    ],
    search=lambda qs, q: qs.filter(Q(name__icontains=q) | Q(number__icontains=q)),
    search_hint="名称、编号",
    move_forms=forms.COMMITTEE_MOVE_FORMS,
    register_form=forms.CommitteeForm,
    register=actions.register_committee,
    register_label="登记调委会",
    unit_label="所属单位",
    register_initial=lambda today: {"term_start": today},
    correct_form=forms.CommitteeCorrectForm,
    details=_committee_details,
    import_declaration=COMMITTEE_DECLARATION,
    export=_committee_export,
    badge_column=7,
    todo_columns=(2, 4),
    child_forms={"mediators": forms.MediatorForm},
)


def _screening_details(s: Screening, request: HttpRequest) -> Sequence[tuple[str, Any]]:
    findings = [f for f in s.findings.all() if f.removed_at is None]
    cases = sum(1 for f in findings if f.disposal == "case")
    return [
        ("排查编号", s.number),
        ("单位", s.unit.name),
        ("排查日期", s.held_on),
        ("排查范围", s.scope),
        ("排查人员", s.staff),
        ("排查情况", s.summary or "—"),
        (
            "发现纠纷",
            f"{len(findings)}件（转为调解案件{cases}件，记录备查{len(findings) - cases}件）",
        ),
        ("状态", s.get_status_display()),
    ]


def _screening_export(qs: QuerySet[Screening]) -> tuple[list[str], Iterator[list[object]]]:
    def rows() -> Iterator[list[object]]:
        for s in qs.prefetch_related("events").iterator(chunk_size=500):
            done = next((e for e in live_events(s.events.all()) if e.kind == "done"), None)
            yield [s.number, s.held_on, s.scope, s.staff, s.summary, done.on if done else None]

    return list(SCREENING_HEADERS.values()), rows()


SCREENINGS_UI = LedgerUI(
    ledger=SCREENINGS,
    columns=[
        Column("排查编号", lambda s: s.number),
        Column("单位", lambda s: s.unit.name),
        Column("排查日期", lambda s: f"{s.held_on:%Y-%m-%d}"),
        Column("排查范围", lambda s: s.scope),
        Column("排查人员", lambda s: s.staff),
        Column("状态", lambda s: s.get_status_display()),
    ],
    filters=[
        Filter(
            "status", "状态", lambda: ScreeningStatus.choices, lambda qs, v: qs.filter(status=v)
        ),
        year_filter("year", "排查年度", "held_on"),
    ],
    search=lambda qs, q: qs.filter(Q(scope__icontains=q) | Q(number__icontains=q)),
    search_hint="编号、排查范围",
    move_forms=forms.SCREENING_MOVE_FORMS,
    register_form=forms.ScreeningForm,
    register=actions.register_screening,
    register_label="登记排查",
    unit_label="排查单位",
    register_initial=lambda today: {"held_on": today},
    correct_form=forms.ScreeningCorrectForm,
    details=_screening_details,
    import_declaration=SCREENING_DECLARATION,
    export=_screening_export,
    todo_columns=(2, 3),
    summary_indicators=("med.screenings",),
    child_forms={"findings": forms.FindingForm},
)
