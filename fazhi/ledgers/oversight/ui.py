"""How the generic web layer shows the two ledgers: columns, filters, forms, timeline, export.
Neither holds personal data beyond the names of leaders and officials in their public roles."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from fazhi.core.records.ledger import get_ledger
from fazhi.core.web.registry import (
    Column,
    Filter,
    LedgerUI,
    due_column,
    exact_filter,
    year_filter,
)
from fazhi.ledgers.oversight import actions, forms, queries
from fazhi.ledgers.oversight.importing import (
    DUTY_DECLARATION,
    DUTY_EXPORT_HEADERS,
    RECTIFY_DECLARATION,
    RECTIFY_EXPORT_HEADERS,
)
from fazhi.ledgers.oversight.ledger import DUTIES, RECTIFICATIONS
from fazhi.ledgers.oversight.models import (
    DutyKind,
    DutyStatus,
    LeaderDuty,
    Rectification,
    RectifyEventKind,
    RectifyStatus,
    Source,
)

STATS = (("第一责任人与督察整改统计", "oversight:stats"),)


def _date(value: Any) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


# --- 第一责任人履职记录 ------------------------------------------------------------------------


def _ledger_name(slug: str) -> str:
    ledger = get_ledger(slug) if slug else None
    return ledger.name if ledger else slug


def _link(r: LeaderDuty) -> Any:
    if not r.linked_slug or r.linked_pk is None:
        return "—"
    url = reverse("web:detail", args=[r.linked_slug, r.linked_pk])
    return format_html('<a href="{}">{} {}</a>', url, _ledger_name(r.linked_slug), r.linked_number)


def _duty_details(r: LeaderDuty, request: HttpRequest) -> Sequence[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("履职记录编号", r.number),
        ("单位", r.unit.name),
        ("履职日期", r.held_on),
        ("第一责任人", f"{r.leader}（{r.post}）"),
        ("履职类别", r.get_kind_display()),
        ("事由", r.subject),
        ("具体情况", r.details or "—"),
        ("参加人数", r.attendance if r.attendance is not None else "—"),
    ]
    if r.kind == DutyKind.COURT:
        rows.append(("案号", f"{r.case_number}（行政诉讼台账建成后改为关联案件）"))
    rows += [
        ("关联记录", _link(r)),
        ("状态", r.get_status_display()),
        ("确认日期", r.confirmed_on or "—"),
    ]
    return rows


def _duty_notes(r: LeaderDuty) -> list[str]:
    # One leader may attend several hearings of one case: a warning, never a refusal.
    earlier = list(queries.same_case(r).values_list("number", flat=True))
    if not earlier:
        return []
    return [
        f"本单位{r.held_on.year}年已登记过案号「{r.case_number}」的出庭应诉{len(earlier)}次"
        f"（{'、'.join(earlier)}）。同一案件多次开庭可分别登记；如为重复登记，请作废本条记录"
    ]


def _duty_export(qs: QuerySet[LeaderDuty]) -> tuple[list[str], Iterator[list[object]]]:
    def rows() -> Iterator[list[object]]:
        for r in qs.iterator(chunk_size=500):
            yield [
                r.number,
                r.held_on,
                r.leader,
                r.post,
                r.get_kind_display(),
                r.subject,
                r.details,
                r.attendance,
                r.case_number,
                _ledger_name(r.linked_slug),
                r.linked_number,
                r.get_status_display(),
                r.confirmed_on,
            ]

    return DUTY_EXPORT_HEADERS, rows()


DUTIES_UI = LedgerUI(
    ledger=DUTIES,
    columns=[
        Column("履职记录编号", lambda r: r.number),
        Column("单位", lambda r: r.unit.name),
        Column("履职日期", lambda r: _date(r.held_on)),
        Column("第一责任人", lambda r: f"{r.leader}（{r.post}）"),
        Column("履职类别", lambda r: r.get_kind_display()),
        Column("事由", lambda r: r.subject),
        Column("案号", lambda r: r.case_number),
        Column("状态", lambda r: r.get_status_display()),
    ],
    filters=[
        year_filter("year", "年度", "held_on"),
        Filter("kind", "履职类别", lambda: DutyKind.choices, lambda qs, v: qs.filter(kind=v)),
        Filter("status", "状态", lambda: DutyStatus.choices, lambda qs, v: qs.filter(status=v)),
    ],
    search=lambda qs, q: qs.filter(
        Q(number__icontains=q)
        | Q(leader__icontains=q)
        | Q(subject__icontains=q)
        | Q(case_number__icontains=q)
    ),
    search_hint="编号、第一责任人、事由、案号",
    move_forms=forms.DUTY_MOVE_FORMS,
    register_form=forms.DutyForm,
    register=actions.register_duty,
    register_label="登记履职记录",
    register_initial=lambda today: {"held_on": today},
    register_notes=_duty_notes,
    correct_form=forms.DutyCorrectForm,
    details=_duty_details,
    import_declaration=DUTY_DECLARATION,
    export=_duty_export,
    todo_columns=(3, 5),
    summary_indicators=("oversight.meetings", "oversight.shufa", "oversight.court"),
    links=STATS,
)

# --- 督察整改事项 ------------------------------------------------------------------------------


def _rectify_details(r: Rectification, request: HttpRequest) -> Sequence[tuple[str, Any]]:
    return [
        ("整改事项编号", r.number),
        ("单位", r.unit.name),
        ("问题来源", r.get_source_display()),
        ("反馈文件文号", r.source_doc or "—"),
        ("反馈日期", r.fed_back_on),
        ("问题", r.problem),
        ("整改措施", r.measures),
        ("责任部门", r.department),
        ("责任人", r.owner),
        ("整改时限", r.deadline),
        ("状态", r.get_status_display()),
        ("完成（销号）日期", r.done_on or "—"),
        ("整改成效及佐证材料", r.evidence or "—"),
    ]


def _rectify_export(qs: QuerySet[Rectification]) -> tuple[list[str], Iterator[list[object]]]:
    def rows() -> Iterator[list[object]]:
        for r in qs.iterator(chunk_size=500):
            done = r.status == RectifyStatus.DONE
            yield [
                r.number,
                r.get_source_display(),
                r.source_doc,
                r.fed_back_on,
                r.problem,
                r.measures,
                r.department,
                r.owner,
                r.deadline,
                r.done_on if done else None,
                r.evidence if done else "",
                r.get_status_display(),
            ]

    return RECTIFY_EXPORT_HEADERS, rows()


def _extended(d: dict[str, Any]) -> str:
    return f"整改时限由 {d.get('from', '')} 延长至 {d.get('to', '')}" if d.get("to") else ""


RECTIFY_UI = LedgerUI(
    ledger=RECTIFICATIONS,
    columns=[
        Column("整改事项编号", lambda r: r.number),
        Column("单位", lambda r: r.unit.name),
        Column("问题来源", lambda r: r.get_source_display()),
        Column("问题", lambda r: r.problem[:60]),
        Column("责任部门", lambda r: r.department),
        Column("责任人", lambda r: r.owner),
        due_column("整改期限"),
        Column("状态", lambda r: r.get_status_display()),
        Column("完成日期", lambda r: _date(r.done_on)),
    ],
    filters=[
        Filter("status", "状态", lambda: RectifyStatus.choices, lambda qs, v: qs.filter(status=v)),
        Filter("source", "问题来源", lambda: Source.choices, lambda qs, v: qs.filter(source=v)),
        year_filter("year", "反馈年度", "fed_back_on"),
        exact_filter("department", "责任部门", "department"),
    ],
    search=lambda qs, q: qs.filter(
        Q(number__icontains=q)
        | Q(problem__icontains=q)
        | Q(measures__icontains=q)
        | Q(department__icontains=q)
        | Q(owner__icontains=q)
        | Q(source_doc__icontains=q)
    ),
    search_hint="编号、问题、整改措施、责任部门、责任人、文号",
    move_forms=forms.RECTIFY_MOVE_FORMS,
    register_form=forms.RectifyForm,
    register=actions.register_rectification,
    register_label="登记整改事项",
    register_initial=lambda today: {"fed_back_on": today},
    correct_form=forms.RectifyCorrectForm,
    details=_rectify_details,
    event_detail={RectifyEventKind.EXTENDED: _extended},
    import_declaration=RECTIFY_DECLARATION,
    export=_rectify_export,
    badge_column=7,
    todo_columns=(3, 4),
    summary_indicators=("oversight.rectify_items", "oversight.rectify_done_rate"),
    links=STATS,
)

UIS = (DUTIES_UI, RECTIFY_UI)
