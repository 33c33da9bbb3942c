"""How the generic web layer shows this ledger: columns, filters, forms, timeline, report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from fazhi.core.calendar.service import get_calendar
from fazhi.core.imports.idnumber import mask_id_number
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.registry import (
    Column,
    CurrentDeadline,
    Filter,
    LedgerUI,
    ReportInputSpec,
    ReportUI,
    TimelineItem,
)
from fazhi.ledgers.disclosure import actions, annual, bulk, clock, demo, queries, report, rules
from fazhi.ledgers.disclosure.forms import MOVE_FORMS, RegisterForm
from fazhi.ledgers.disclosure.importing import EXPORT_HEADERS, SPEC
from fazhi.ledgers.disclosure.models import (
    ApplicantCategory,
    Application,
    Channel,
    ConsultationAnswer,
    EventKind,
    FeeMethod,
    Outcome,
    Status,
)
from fazhi.ledgers.disclosure.workflow import MOVES, extension_pending

SLUG = "disclosure"


def _years() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [(str(y), f"{y}年") for y in range(this, this - 6, -1)]


def _filter_year(qs: QuerySet[Application], value: str) -> QuerySet[Application]:
    # A year outside what a date can hold (?year=99999) lists nothing instead of a 500.
    if value.isascii() and value.isdigit() and dt.MINYEAR <= int(value) <= dt.MAXYEAR:
        return qs.filter(received_on__year=int(value))
    return qs.none()


def _filter_due(qs: QuerySet[Application], value: str) -> QuerySet[Application]:
    today = timezone.localdate()
    if value == "overdue":
        return queries.overdue(qs, today)
    if value == "due_soon":
        return queries.due_soon(qs, today)
    if value == "provisional":
        return qs.filter(due_provisional=True)
    return qs


def _filter_cell(qs: QuerySet[Application], value: str) -> QuerySet[Application]:
    """`cell=ROW:COL:YEAR` lists the records behind one figure of table 三."""
    try:
        row, col, year = value.split(":")
        return annual.cell_queryset(qs, row, col, int(year))
    except (ValueError, OverflowError):
        return qs.none()


def _describe_cell(value: str) -> str:
    """`granted:natural_person:2026` → 2026年 （一）予以公开 · 自然人"""
    try:
        row, col, year = value.split(":")
        return f"{int(year)}年 {annual.ROW_LABELS[row]} · {dict(annual.COLUMNS)[col]}"
    except (ValueError, KeyError):
        return value


def _search(qs: QuerySet[Application], q: str) -> QuerySet[Application]:
    return qs.filter(
        Q(number__icontains=q) | Q(applicant_name__icontains=q) | Q(content__icontains=q)
    )


def _id_for(app: Application, request: HttpRequest) -> str:
    if not app.id_number:
        return "—"
    if access_for(request.user).can(app.unit_id, Permission.HANDLE):
        return app.id_number
    return mask_id_number(app.id_number)


def _details(app: Application, request: HttpRequest) -> Sequence[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("申请编号", app.number),
        ("受理单位", app.unit.name),
        ("收到日期", app.received_on),
        ("收到方式", app.get_channel_display()),
        ("申请人类型", app.get_applicant_category_display()),
        ("申请人", app.applicant_name),
        # The full number only here, and only to those who handle the application (invariant 8).
        ("身份证件号码", _id_for(app, request)),
        ("联系方式", app.contact or "—"),
        ("申请内容", app.content),
        ("所需信息形式及获取方式", app.form_requested or "—"),
        ("状态", app.get_status_display()),
    ]
    if app.outcome:
        rows += [("办理结果", app.get_outcome_display()), ("答复日期", app.replied_on)]
        if app.reply_due_on:
            on_time = (
                "是"
                if app.replied_on and app.replied_on <= app.reply_due_on
                else "否（超过法定期限）"
            )
            rows.append(("按期答复", f"{on_time}，法定答复期限 {app.reply_due_on:%Y-%m-%d}"))
    if app.fee_amount:
        rows.append(("已收信息处理费", f"{app.fee_amount} 元"))
    return rows


EVENT_DETAIL = {
    EventKind.CORRECTION_REQUESTED: lambda d: (
        f"补正期限 {d.get('deadline', '')}" + ("（超过7个工作日告知期限）" if d.get("late") else "")
    ),
    EventKind.CONSULTATION_STARTED: lambda d: (
        f"{'共同制作机关' if d.get('party_kind') == 'co_author' else '第三方'}：{d.get('party', '')}"
    ),
    EventKind.FEE_NOTICE: lambda d: (
        f"{FeeMethod(d['method']).label if d.get('method') else ''} 数量 {d.get('quantity', '')}，金额 {d.get('amount', '')} 元"
    ),
    EventKind.FEE_PAID: lambda d: f"金额 {d.get('amount', '')} 元",
    EventKind.CONSULTATION_ENDED: lambda d: (
        ConsultationAnswer(d["answer"]).label if d.get("answer") else ""
    ),
    EventKind.REPLIED: lambda d: Outcome(d["outcome"]).label if d.get("outcome") else "",
    EventKind.REGISTERED: lambda d: Channel(d["channel"]).label if d.get("channel") else "",
}


def _timeline(app: Application) -> list[TimelineItem]:
    items = []
    for e in app.events.select_related("by"):
        detail_fn = EVENT_DETAIL.get(EventKind(e.kind))
        detail = detail_fn(e.data) if detail_fn else ""
        detail = "；".join(x for x in (detail, e.note) if x)
        if e.by:
            who = e.by.get_full_name() or e.by.get_username()
        elif e.data.get("imported_by"):
            who = f"Excel 导入（{e.data['imported_by']}）"
        else:
            who = ""
        items.append(TimelineItem(e.on, e.get_kind_display(), detail, who))
    return items


def _deadline(app: Application, today: dt.date) -> CurrentDeadline | None:
    current = clock.current_deadline(app, list(app.events.all()), get_calendar(), today)
    if current is None:
        return None
    return CurrentDeadline(current.label, current.deadline, queries.badge(app, today))


def _correction_note(app: Application, today: dt.date) -> str:
    if (
        app.status != Status.RECEIVED
        or app.events.filter(kind=EventKind.CORRECTION_REQUESTED).exists()
    ):
        return ""
    from fazhi.core.deadlines.clock import compute

    due = compute(rules.CORRECTION_NOTICE, app.received_on, get_calendar()).due
    if today > due:
        return ""
    return f"如申请内容不明确需要补正，应于 {due:%Y-%m-%d} 前一次性告知申请人（条例第三十条，7个工作日）。"


def _consultation_note(app: Application, today: dt.date) -> str:
    if app.status != Status.CONSULTING:
        return ""
    started = app.events.filter(kind=EventKind.CONSULTATION_STARTED).order_by("-on", "-id").first()
    if started is None:
        return ""
    from fazhi.core.deadlines.clock import compute

    due = compute(rules.THIRD_PARTY, started.on, get_calendar()).due
    who = "共同制作机关" if started.data.get("party_kind") == "co_author" else "第三方"
    after = (
        "逾期未提出意见的，视为同意公开"
        if who == "共同制作机关"
        else "逾期未提出意见的，由本机关依照条例规定决定是否公开"
    )
    basis = rules.THIRD_PARTY.basis if who == "第三方" else f"{rules.REGULATION}第三十四条"
    return f"{who}应于 {due:%Y-%m-%d} 前提出意见（{basis}，15个工作日）；{after}。征求意见期间答复期限暂停计算。"


def _extension_note(app: Application, today: dt.date) -> str:
    if app.status == Status.CLOSED or not extension_pending(app):
        return ""
    return "已提请延期，等待负责人批准；批准前仍按现答复期限办理。"


def _todo(qs: QuerySet[Application], today: dt.date) -> dict[str, QuerySet[Application]]:
    return {
        "逾期": queries.overdue(qs, today),
        "临期": queries.due_soon(qs, today),
        "待批准延期": queries.extension_requested(qs),
    }


def _register(unit: OrgUnit, by: Any, data: dict[str, Any]) -> Application:
    fields = {k: v for k, v in data.items() if k != "unit"}
    return actions.register(unit=unit, by=by, **fields)


def _run_move(code: str, app: Application, data: dict[str, Any], by: Any) -> Application:
    fn = getattr(actions, code)
    result: Application = fn(app=app, by=by, **data)
    return result


def _export(qs: QuerySet[Application]) -> tuple[list[str], Iterator[list[object]]]:
    def rows() -> Iterator[list[object]]:
        for app in qs.prefetch_related("events").iterator(chunk_size=1000):
            first: dict[str, dt.date] = {}
            last: dict[str, dt.date] = {}
            for e in app.events.all():
                first.setdefault(e.kind, e.on)
                last[e.kind] = e.on
            yield [
                app.number,
                app.received_on,
                app.get_applicant_category_display(),
                app.applicant_name,
                mask_id_number(app.id_number) if app.id_number else "",
                app.contact,
                app.content,
                app.get_channel_display(),
                first.get(EventKind.CORRECTION_REQUESTED),
                last.get(EventKind.CORRECTED),
                first.get(EventKind.CONSULTATION_STARTED),
                last.get(EventKind.CONSULTATION_ENDED),
                first.get(EventKind.EXTENDED),
                app.replied_on,
                app.get_outcome_display() if app.outcome else "",
                app.fee_amount or "",
                app.get_status_display(),
                app.due_on,
                "暂定" if app.due_provisional else "",
            ]

    return EXPORT_HEADERS, rows()


def _cell_link(unit: OrgUnit, year: int, row: str, col: str) -> str:
    return reverse("web:list", kwargs={"slug": SLUG}) + f"?unit={unit.code}&cell={row}:{col}:{year}"


TABLE2_INPUT = ReportInputSpec(
    "table2",
    "表二 主动公开政府信息情况",
    [
        (row, col, f"{row_label}·{col_label}")
        for _, cols, rows in annual.TABLE2_BLOCKS
        for row, row_label in rows
        for col, col_label in cols
    ],
    decimal=frozenset({"amount_wan"}),
)
TABLE4_INPUT = ReportInputSpec(
    "table4",
    "表四 政府信息公开行政复议、行政诉讼情况",
    [
        (g, c, f"{g_label}·{c_label}")
        for g, g_label in annual.TABLE4_GROUPS
        for c, c_label in annual.TABLE4_COLUMNS
        if c != "total"  # 总计 is the sum of the four results, computed, never typed
    ],
)

XXGK_REPORT = ReportUI(
    kind=report.KIND,
    name="政府信息公开工作年度报告",
    build=report.build,
    cell_link=_cell_link,
    sections=report.SECTIONS,
    inputs=(TABLE2_INPUT, TABLE4_INPUT),
)

LEDGER = LedgerUI(
    slug=SLUG,
    name="政府信息公开申请",
    model=Application,
    columns=[
        Column("申请编号", lambda a: a.number, link=True),
        Column("单位", lambda a: a.unit.name),
        Column("收到日期", lambda a: f"{a.received_on:%Y-%m-%d}"),
        Column("申请人类型", lambda a: a.get_applicant_category_display()),
        Column("申请人", lambda a: a.applicant_name),
        Column("状态", lambda a: a.get_status_display()),
        Column(
            "当前期限",
            lambda a: (
                f"{a.due_on:%Y-%m-%d}" + ("（暂定）" if a.due_provisional else "")
                if a.due_on
                else "—"
            ),
        ),
        Column("办理结果", lambda a: a.get_outcome_display() if a.outcome else ""),
    ],
    filters=[
        Filter("status", "状态", lambda: Status.choices, lambda qs, v: qs.filter(status=v)),
        Filter("year", "收到年度", _years, _filter_year),
        Filter(
            "category",
            "申请人类型",
            lambda: ApplicantCategory.choices,
            lambda qs, v: qs.filter(applicant_category=v),
        ),
        Filter(
            "due",
            "期限",
            lambda: [("overdue", "逾期"), ("due_soon", "临期"), ("provisional", "期限暂定")],
            _filter_due,
        ),
        Filter("outcome", "办理结果", lambda: Outcome.choices, lambda qs, v: qs.filter(outcome=v)),
        Filter("cell", "年报表三", list, _filter_cell, _describe_cell),
    ],
    search=_search,
    moves=MOVES,
    move_forms=MOVE_FORMS,
    run_move=_run_move,
    register_form=RegisterForm,
    register=_register,
    details=_details,
    timeline=_timeline,
    deadline=_deadline,
    badge=queries.badge,
    todo=_todo,
    import_spec=SPEC,
    import_file=bulk.import_file,
    export=_export,
    reports=[XXGK_REPORT],
    notes=[
        ("correction", _correction_note),
        ("consultation", _consultation_note),
        ("extension", _extension_note),
    ],
    demo=demo.seed,
    badge_column=7,
    summary=queries.unit_summary,
)
