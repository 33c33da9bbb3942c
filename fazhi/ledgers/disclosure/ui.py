"""How the generic web layer shows this ledger: columns, filters, forms, timeline, report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
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
from fazhi.ledgers.disclosure import actions, annual, bulk, repeats, replies, report, service
from fazhi.ledgers.disclosure.forms import MOVE_FORMS, CorrectForm, RegisterForm, repeats_markup
from fazhi.ledgers.disclosure.importing import EXPORT_HEADERS, REPLY_KEYS, WITHDRAWN_LABEL
from fazhi.ledgers.disclosure.indicators import ON_TIME_DEFINITION, in_time_q, table3_code
from fazhi.ledgers.disclosure.ledger import LEDGER
from fazhi.ledgers.disclosure.models import (
    ApplicantCategory,
    Application,
    Channel,
    ConsultationAnswer,
    EventKind,
    FeeMethod,
    Outcome,
    PartyKind,
    ServiceMethod,
    Status,
    WithdrawalMethod,
)
from fazhi.ledgers.disclosure.proactive.indicators import REGISTER_CELLS, table2_code
from fazhi.ledgers.disclosure.validation import missing_for_registration

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
    ]
    if app.arrived_on and app.arrived_on != app.received_on:
        rows.append(("到达日期", app.arrived_on))
    if app.confirmed_via:
        rows.append(("确认收到方式", app.get_confirmed_via_display()))
    rows += [
        ("申请人类型", app.get_applicant_category_display()),
        ("申请人", app.applicant_name),
        ("证件类型", app.get_id_type_display() or "—"),
        # The full number only here, and only to those who handle the application (invariant 8).
        ("证件号码", _id_for(app, request)),
        ("联系方式", app.contact or "—"),
        ("申请内容", app.content),
        ("所需信息形式及获取方式", app.form_requested or "—"),
        ("状态", app.get_status_display()),
    ]
    missing = missing_for_registration(
        {
            f: getattr(app, f)
            for f in ("applicant_category", "id_number", "contact", "channel", "confirmed_via")
        }
    )
    if missing:
        rows.append(
            (
                "登记信息不完整",
                f"缺少{'、'.join(missing)}（条例第二十九条、第三十一条），请更正登记信息",
            )
        )
    similar = repeats_markup(app)
    if similar:
        rows.append(("可能的重复申请", similar))
    notice_kind = service.NOTICE_FOR_STATUS.get(app.status)
    events = live_events(app.events.all()) if notice_kind or app.outcome else []
    notice = next((e for e in reversed(events) if e.kind == notice_kind), None)
    if notice is not None:
        r = service.receipt(
            notice, events, "对方" if notice_kind == EventKind.CONSULTATION_STARTED else "申请人"
        )
        state = (
            f"已送达（{r.on:%Y-%m-%d}）"
            if r.known
            else (f"待送达，暂按 {r.on:%Y-%m-%d} 推定" if r.pending else f"按 {r.on:%Y-%m-%d} 计")
        )
        rows.append((f"{service.NOTICE_NAMES[notice.kind]}送达", state))
    if app.outcome:
        # Not every ending is a reply: a lapse or a withdrawal closes on its 办结日期.
        withdrawn = any(e.kind == EventKind.WITHDRAWN for e in events)
        replied = app.outcome not in (Outcome.OTHER_1, Outcome.OTHER_2) and not withdrawn
        rows += [
            ("办理结果", "申请人撤回申请（其他）" if withdrawn else app.get_outcome_display()),
            ("答复日期" if replied else "办结日期", app.replied_on),
        ]
        # The figure's own predicate decides, so the page and the report never disagree.
        in_time = Application.objects.filter(in_time_q(), pk=app.pk).exists()
        due = (
            f"，法定答复期限 {app.reply_due_on:%Y-%m-%d}"
            if app.outcome not in (Outcome.OTHER_1, Outcome.OTHER_2) and app.reply_due_on
            else ""
        )
        rows.append(("按期答复", ("是" if in_time else "否（未在法定期限内）") + due))
        rows.append(("按期的认定", ON_TIME_DEFINITION))
    if app.fee_amount:
        paid = f"，缴费日期 {app.fee_paid_on:%Y-%m-%d}" if app.fee_paid_on else ""
        rows.append(("已收信息处理费", f"{app.fee_amount} 元{paid}"))
    return rows


def _register_notes(app: Application) -> list[str]:
    found = repeats.earlier_similar(app)
    if not found:
        return []
    numbers = "、".join(m.item.number for m in found)
    return [
        f"该申请人此前提出过内容相近的申请 {len(found)} 件（{numbers}），可能属于重复申请，"
        "请在“可能的重复申请”中查看其答复情况"
    ]


def _notice_detail(prefix: Callable[[dict[str, Any]], str]) -> Callable[[dict[str, Any]], str]:
    def detail(d: dict[str, Any]) -> str:
        return "；".join(x for x in (prefix(d), service.describe(d)) if x)

    return detail


def _fee_notice(d: dict[str, Any]) -> str:
    method = FeeMethod(d["method"]).label if d.get("method") in FeeMethod.values else ""
    text = f"{method} 数量 {d.get('quantity', '')}，金额 {d.get('amount', '')} 元"
    if d.get("counted") is not None and d.get("method") == FeeMethod.PER_ITEM:
        text += f"（台账统计为本月第{d['counted']}件"
        if d.get("count_reason"):
            text += f"，更正为第{d.get('quantity')}件，理由：{d['count_reason']}"
        text += "）"
    return text


def _party(d: dict[str, Any]) -> str:
    kind = d.get("party_kind")
    label = PartyKind(kind).label.split("（")[0] if kind in PartyKind.values else "第三方"
    return f"{label}：{d.get('party', '')}"


def _correction_notice(d: dict[str, Any]) -> str:
    if d.get("deadline"):
        text = f"补正期限 {d['deadline']}"
    elif d.get("period"):
        text = f"补正期限：收到通知之日起{d['period']}个工作日"
    else:
        text = ""
    return text + ("（超过7个工作日告知期限）" if d.get("late") else "")


def _reply_detail(d: dict[str, Any]) -> str:
    return "；".join(
        x
        for x in (
            Outcome(d["outcome"]).label if d.get("outcome") else "",
            f"不予公开的部分：{d['withheld']}" if d.get("withheld") else "",
            f"理由：{d['reasons']}" if d.get("reasons") else "",
            f"法律依据：{d['basis']}" if d.get("basis") else "",
            f"负责公开的机关：{d['competent_body']}" if d.get("competent_body") else "",
            f"联系方式：{d['competent_contact']}" if d.get("competent_contact") else "",
        )
        if x
    )


EVENT_DETAIL: dict[str, Callable[[dict[str, Any]], str]] = {
    EventKind.CORRECTION_REQUESTED: _notice_detail(_correction_notice),
    EventKind.CONSULTATION_STARTED: _notice_detail(_party),
    EventKind.FEE_NOTICE: _notice_detail(_fee_notice),
    EventKind.FEE_PAID: lambda d: f"金额 {d['amount']} 元" if d.get("amount") else "",
    EventKind.SERVED: lambda d: (
        f"{service.NOTICE_NAMES.get(d.get('of', ''), '通知')}已送达" if d.get("of") else ""
    ),
    EventKind.FEE_RELIEF_REQUESTED: lambda d: (
        "申请免收" if d.get("amount") in ("0", "0.00") else f"减免后应缴 {d.get('amount', '')} 元"
    ),
    EventKind.FEE_REDUCED: lambda d: f"减收后应缴 {d.get('amount', '')} 元",
    EventKind.CONSULTATION_ENDED: lambda d: (
        ConsultationAnswer(d["answer"]).label if d.get("answer") else ""
    ),
    EventKind.REPLIED: _reply_detail,
    EventKind.REPLY_SUBMITTED: lambda d: "送审稿：" + _reply_detail(d),
    EventKind.WITHDRAWN: lambda d: (
        WithdrawalMethod(d["how"]).label + "；计入“其他处理 3.其他”" if d.get("how") else ""
    ),
    EventKind.EXTENSION_REQUESTED: lambda d: (
        f"提请延长{d['amount']}个工作日" if d.get("amount") else ""
    ),
    EventKind.EXTENDED: lambda d: "；".join(
        x
        for x in (
            f"延长{d['amount']}个工作日" if d.get("amount") else "",
            f"已于{d['told_on']}告知申请人" if d.get("told_on") else "",
        )
        if x
    ),
    EventKind.REGISTERED: lambda d: Channel(d["channel"]).label if d.get("channel") else "",
}


def _actor(event: Any) -> str:
    if event.by is not None:
        return display_name(event.by)
    return str(event.data.get("approver", ""))


def _export_id(app: Application) -> str:
    """A person's document number is masked in exports; an organisation's code is public."""
    if not app.id_number:
        return ""
    if app.id_type == "credit_code":
        return app.id_number
    return mask_id_number(app.id_number)


def _label(choices: type[Any], value: Any) -> str:
    return str(choices(value).label) if value in choices.values else ""


def _service_cells(notice: Any, events: list[Any]) -> list[object]:
    """送达方式 and the recorded 送达日期 (a presumed one is left out: re-importing keeps it
    presumed)."""
    if notice is None:
        return ["", ""]
    r = service.receipt(notice, events)
    return [_label(ServiceMethod, r.method), r.on if r.known else None]


def _fee_and_service_cells(events: list[Any]) -> list[object]:
    """The columns 缴费日期 … 减免批准人, in the import spec's order."""
    by_kind = {e.kind: e for e in events}  # the latest step of each kind
    notice = by_kind.get(EventKind.FEE_NOTICE)
    fee_data = notice.data if notice is not None else {}
    consult = by_kind.get(EventKind.CONSULTATION_STARTED)
    relief = by_kind.get(EventKind.FEE_WAIVED) or by_kind.get(EventKind.FEE_REDUCED)
    relief_amount: object = ""
    if relief is not None:
        reduced = relief.kind == EventKind.FEE_REDUCED
        relief_amount = Decimal(str(relief.data.get("amount") or 0)) if reduced else Decimal(0)
    paid = by_kind.get(EventKind.FEE_PAID)
    return [
        paid.on if paid is not None else None,  # a fee kept without its step reads as before
        _label(FeeMethod, fee_data.get("method")),
        fee_data.get("quantity", ""),
        *_service_cells(notice, events),
        *_service_cells(by_kind.get(EventKind.CORRECTION_REQUESTED), events),
        _label(PartyKind, consult.data.get("party_kind")).split("（")[0] if consult else "",
        *_service_cells(consult, events),
        relief.on if relief is not None else None,
        relief_amount,
        _actor(relief) if relief is not None else "",
    ]


def _export(qs: QuerySet[Application]) -> tuple[list[str], Iterator[list[object]]]:
    def rows() -> Iterator[list[object]]:
        for app in qs.prefetch_related("events__by").iterator(chunk_size=1000):
            first: dict[str, dt.date] = {}
            last: dict[str, dt.date] = {}
            approver = ""
            reply: dict[str, Any] = {}
            extension: dict[str, Any] = {}
            events = live_events(app.events.all())
            for e in events:
                first.setdefault(e.kind, e.on)
                last[e.kind] = e.on
                if e.kind == EventKind.EXTENDED:
                    approver = _actor(e)
                    extension = e.data
                elif e.kind == EventKind.REPLIED:
                    reply = e.data
            yield [
                app.number,
                app.received_on,
                app.get_applicant_category_display(),
                app.applicant_name,
                app.get_id_type_display(),
                _export_id(app),
                app.contact,
                app.content,
                app.get_channel_display(),
                app.arrived_on,
                app.get_confirmed_via_display(),
                first.get(EventKind.CORRECTION_REQUESTED),
                last.get(EventKind.CORRECTED),
                first.get(EventKind.CONSULTATION_STARTED),
                last.get(EventKind.CONSULTATION_ENDED),
                first.get(EventKind.FEE_NOTICE),
                first.get(EventKind.EXTENDED),
                approver,
                app.replied_on,
                WITHDRAWN_LABEL
                if EventKind.WITHDRAWN in last
                else (app.get_outcome_display() if app.outcome else ""),
                app.fee_amount or "",
                *_fee_and_service_cells(events),
                *(reply.get(key, "") for key in REPLY_KEYS),
                extension.get("amount", ""),
                extension.get("told_on", ""),
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
    """Table 二's register figures link to the register's entries; table 三's cells and
    section 六's fee total to the records they count."""

    def link(row: str, col: str) -> str:
        if row == report.FEES_FIGURE:
            return figure_url(SLUG, "xxgk.fees_collected", unit, year)
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
        Filter(
            "outcome",
            "办理结果",
            replies.flat_grouped_choices,
            lambda qs, v: qs.filter(outcome=v),
        ),
    ],
    search=_search,
    search_hint="编号、申请人、内容",
    move_forms=MOVE_FORMS,
    register_form=RegisterForm,
    register=actions.register,
    register_label="登记申请",
    register_initial=lambda today: {"received_on": today},
    register_notes=_register_notes,
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
