"""How the generic web layer shows this ledger: columns, filters, forms, timeline, report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from fazhi.core.imports.idnumber import mask_id_number
from fazhi.core.records.clocks import live_events
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.names import display_name
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.figures import figure_url
from fazhi.core.web.registry import (
    Column,
    Filter,
    LedgerUI,
    ReportInputSpec,
    ReportUI,
    due_column,
    year_filter,
)
from fazhi.ledgers.disclosure import actions, annual, bulk, report
from fazhi.ledgers.disclosure.forms import MOVE_FORMS, CorrectForm, RegisterForm
from fazhi.ledgers.disclosure.importing import EXPORT_HEADERS
from fazhi.ledgers.disclosure.indicators import table3_code
from fazhi.ledgers.disclosure.ledger import LEDGER
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
from fazhi.ledgers.disclosure.proactive.indicators import REGISTER_CELLS, table2_code

SLUG = "disclosure"


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


EVENT_DETAIL: dict[str, Callable[[dict[str, Any]], str]] = {
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


def _actor(event: Any) -> str:
    if event.by is not None:
        return display_name(event.by)
    return str(event.data.get("approver", ""))


def _export(qs: QuerySet[Application]) -> tuple[list[str], Iterator[list[object]]]:
    def rows() -> Iterator[list[object]]:
        for app in qs.prefetch_related("events__by").iterator(chunk_size=1000):
            first: dict[str, dt.date] = {}
            last: dict[str, dt.date] = {}
            approver = ""
            for e in live_events(app.events.all()):
                first.setdefault(e.kind, e.on)
                last[e.kind] = e.on
                if e.kind == EventKind.EXTENDED:
                    approver = _actor(e)
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
                first.get(EventKind.FEE_NOTICE),
                first.get(EventKind.EXTENDED),
                approver,
                app.replied_on,
                app.get_outcome_display() if app.outcome else "",
                app.fee_amount or "",
                app.get_status_display(),
                app.due_on,
                "暂定" if app.due_provisional else "",
            ]

    return EXPORT_HEADERS, rows()


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
    hint="规章、行政规范性文件的制发和废止件数，行政许可、行政处罚、行政强制的处理决定数量和"
    "行政事业性收费金额取自主动公开政府信息台账；台账中本年没有某一行的条目时，才使用此处填报的该行数字。"
    "现行有效件数始终以此处填报为准。",
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


def _report_link(unit: Any, year: int) -> Callable[[str, str], str]:
    """Table 二's register figures link to the register's entries, table 三's to applications."""

    def link(row: str, col: str) -> str:
        if col in REGISTER_CELLS.get(row, ()):
            return figure_url("proactive", table2_code(row, col), unit, year)
        return figure_url(SLUG, table3_code(row, col), unit, year)

    return link


XXGK_REPORT = ReportUI(
    kind=report.KIND,
    name="政府信息公开工作年度报告",
    build=report.build,
    link=_report_link,
    sections=report.SECTIONS,
    generated=frozenset({"overview_requests"}),
    inputs=(TABLE2_INPUT, TABLE4_INPUT),
    hint="表二中来自主动公开台账的数字和表三中的数字可点击，查看其对应的条目和申请记录。",
    edit_hint="“依申请公开”一节、主动公开条数和收费情况由台账自动生成，无需填写。",
)

UI = LedgerUI(
    ledger=LEDGER,
    columns=[
        Column("申请编号", lambda a: a.number),
        Column("单位", lambda a: a.unit.name),
        Column("收到日期", lambda a: f"{a.received_on:%Y-%m-%d}"),
        Column("申请人类型", lambda a: a.get_applicant_category_display()),
        Column("申请人", lambda a: a.applicant_name),
        Column("状态", lambda a: a.get_status_display()),
        due_column(),
        Column("办理结果", lambda a: a.get_outcome_display() if a.outcome else ""),
    ],
    filters=[
        Filter("status", "状态", lambda: Status.choices, lambda qs, v: qs.filter(status=v)),
        year_filter("year", "收到年度", "received_on"),
        Filter(
            "category",
            "申请人类型",
            lambda: ApplicantCategory.choices,
            lambda qs, v: qs.filter(applicant_category=v),
        ),
        Filter("outcome", "办理结果", lambda: Outcome.choices, lambda qs, v: qs.filter(outcome=v)),
    ],
    search=_search,
    search_hint="编号、申请人、内容",
    move_forms=MOVE_FORMS,
    register_form=RegisterForm,
    register=actions.register,
    register_label="登记申请",
    register_initial=lambda today: {"received_on": today},
    correct_form=CorrectForm,
    details=_details,
    event_detail=EVENT_DETAIL,
    import_declaration=bulk.DECLARATION,
    export=_export,
    reports=[XXGK_REPORT],
    badge_column=7,
    todo_columns=(1, 4),
    summary_indicators=("xxgk.on_time_rate",),
)
