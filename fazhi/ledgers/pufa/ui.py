"""How the generic web layer shows the 普法 ledgers: columns, filters, forms, timeline, export.
法律明白人 phone and ID numbers are masked in lists and exports, and on the detail page for
whoever may read but not handle the record (DESIGN invariant 8)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from fazhi.core.masking import mask_contact, mask_id_number
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.registry import (
    Column,
    Filter,
    LedgerUI,
    due_column,
    exact_filter,
    year_filter,
)
from fazhi.ledgers.pufa import actions, forms
from fazhi.ledgers.pufa.importing import (
    ACTIVITY_DECLARATION,
    ACTIVITY_EXPORT_HEADERS,
    DUTY_DECLARATION,
    DUTY_EXPORT_HEADERS,
    PERSON_DECLARATION,
    PERSON_EXPORT_HEADERS,
    STUDY_DECLARATION,
    STUDY_HEADERS,
)
from fazhi.ledgers.pufa.ledger import ACTIVITIES, DUTIES, PEOPLE, STUDIES
from fazhi.ledgers.pufa.models import (
    Activity,
    ActivityEventKind,
    Audience,
    Background,
    Duty,
    DutyEventKind,
    DutyStatus,
    Form,
    Person,
    PersonStatus,
    Study,
    StudyKind,
    Theme,
)

STATS = (("普法统计", "pufa:stats"),)


def _list_years() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [(str(y), f"{y}年") for y in range(this + 1, this - 6, -1)]


def _is_year(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) == 4


def _link(slug: str, record: Any) -> Any:
    url = reverse("web:detail", args=[slug, record.pk])
    return format_html('<a href="{}">{}</a>', url, record)


def _duty_of(a: Activity) -> Any:
    return _link(DUTIES.slug, a.duty) if a.duty_id and a.duty else "—"


# --- 普法活动 ---------------------------------------------------------------------------------


def _activity_details(a: Activity, request: HttpRequest) -> Sequence[tuple[str, Any]]:
    return [
        ("活动编号", a.number),
        ("单位", a.unit.name),
        ("活动日期", a.held_on),
        ("活动名称", a.title),
        ("主题", a.theme_shown),
        ("形式", a.get_form_display()),
        ("地点", a.venue),
        ("对象", a.get_audience_display()),
        ("参与人次", a.attendance),
        ("发放资料份数", a.materials),
        ("线上覆盖人次", a.online_reach),
        ("合办单位", a.partner or "—"),
        ("活动情况", a.summary or "—"),
        ("落实的责任清单事项", _duty_of(a)),
    ]


def _activity_export(qs: QuerySet[Activity]) -> tuple[list[str], Iterator[list[object]]]:
    def rows() -> Iterator[list[object]]:
        for a in qs.select_related("duty").iterator(chunk_size=500):
            yield [
                a.number,
                a.held_on,
                a.title,
                a.theme_shown,
                a.get_form_display(),
                a.venue,
                a.get_audience_display(),
                a.attendance,
                a.materials,
                a.online_reach,
                a.partner,
                a.summary,
                a.duty.number if a.duty else "",
            ]

    return ACTIVITY_EXPORT_HEADERS, rows()


def _duty_event(d: dict[str, Any]) -> str:
    return f"清单事项 {d.get('duty', '')}" if d.get("duty") else ""


ACTIVITIES_UI = LedgerUI(
    ledger=ACTIVITIES,
    columns=[
        Column("活动编号", lambda a: a.number),
        Column("单位", lambda a: a.unit.name),
        Column("活动日期", lambda a: f"{a.held_on:%Y-%m-%d}"),
        Column("活动名称", lambda a: a.title),
        Column("主题", lambda a: a.theme_shown),
        Column("形式", lambda a: a.get_form_display()),
        Column("参与人次", lambda a: a.attendance),
        Column("发放资料", lambda a: a.materials),
        Column("线上覆盖", lambda a: a.online_reach),
        Column("落实清单事项", lambda a: a.duty.number if a.duty_id and a.duty else ""),
    ],
    filters=[
        year_filter("year", "活动年度", "held_on"),
        Filter("theme", "主题", lambda: Theme.choices, lambda qs, v: qs.filter(theme=v)),
        Filter("form", "形式", lambda: Form.choices, lambda qs, v: qs.filter(form=v)),
        Filter("audience", "对象", lambda: Audience.choices, lambda qs, v: qs.filter(audience=v)),
    ],
    search=lambda qs, q: qs.filter(
        Q(number__icontains=q)
        | Q(title__icontains=q)
        | Q(venue__icontains=q)
        | Q(partner__icontains=q)
        | Q(theme_note__icontains=q)
    ),
    search_hint="编号、活动名称、地点、合办单位",
    move_forms=forms.ACTIVITY_MOVE_FORMS,
    register_form=forms.ActivityForm,
    register=actions.register_activity,
    register_label="登记普法活动",
    register_initial=lambda today: {"held_on": today, "materials": 0, "online_reach": 0},
    correct_form=forms.ActivityCorrectForm,
    details=_activity_details,
    event_detail={
        ActivityEventKind.TICKED: _duty_event,
        ActivityEventKind.UNTICKED: _duty_event,
    },
    import_declaration=ACTIVITY_DECLARATION,
    export=_activity_export,
    todo_columns=(2, 3),
    summary_indicators=("pufa.activities", "pufa.attendance", "pufa.online"),
    links=STATS,
    list_related=("duty",),
)

# --- 责任清单 ---------------------------------------------------------------------------------


def _duty_details(d: Duty, request: HttpRequest) -> Sequence[tuple[str, Any]]:
    done = d.activities.select_related("unit").first()
    return [
        ("清单事项编号", d.number),
        ("单位", d.unit.name),
        ("清单年度", f"{d.year}年"),
        ("责任部门", d.department),
        ("普法事项", d.content),
        ("重点宣传的法律法规", d.laws or "—"),
        ("列入清单日期", d.listed_on),
        ("计划完成日期", d.planned_on or "（未填写，以12月31日为完成期限）"),
        ("状态", d.get_status_display()),
        ("落实日期", d.done_on or "—"),
        ("落实该事项的普法活动", _link(ACTIVITIES.slug, done) if done else "—"),
    ]


def _duty_export(qs: QuerySet[Duty]) -> tuple[list[str], Iterator[list[object]]]:
    def rows() -> Iterator[list[object]]:
        for d in qs.iterator(chunk_size=500):
            yield [
                d.number,
                d.year,
                d.department,
                d.content,
                d.laws,
                d.listed_on,
                d.planned_on,
                d.get_status_display(),
                d.done_on,
                d.plan_due_on,
            ]

    return DUTY_EXPORT_HEADERS, rows()


def _activity_event(d: dict[str, Any]) -> str:
    return f"普法活动 {d['activity']}" if d.get("activity") else ""


DUTIES_UI = LedgerUI(
    ledger=DUTIES,
    columns=[
        Column("清单事项编号", lambda d: d.number),
        Column("单位", lambda d: d.unit.name),
        Column("年度", lambda d: d.year),
        Column("责任部门", lambda d: d.department),
        Column("普法事项", lambda d: d.content),
        Column("状态", lambda d: d.get_status_display()),
        due_column("完成期限"),
        Column("落实日期", lambda d: f"{d.done_on:%Y-%m-%d}" if d.done_on else ""),
    ],
    filters=[
        Filter("status", "状态", lambda: DutyStatus.choices, lambda qs, v: qs.filter(status=v)),
        Filter(
            "list_year",
            "清单年度",
            _list_years,
            lambda qs, v: qs.filter(year=int(v)) if _is_year(v) else qs.none(),
            valid=_is_year,
        ),
        exact_filter("department", "责任部门", "department"),
    ],
    search=lambda qs, q: qs.filter(
        Q(number__icontains=q)
        | Q(department__icontains=q)
        | Q(content__icontains=q)
        | Q(laws__icontains=q)
    ),
    search_hint="编号、责任部门、普法事项、法律法规",
    move_forms=forms.DUTY_MOVE_FORMS,
    register_form=forms.DutyForm,
    register=actions.register_duty,
    register_label="登记清单事项",
    register_initial=lambda today: {"year": today.year, "listed_on": today},
    correct_form=forms.DutyCorrectForm,
    details=_duty_details,
    event_detail={
        DutyEventKind.TICKED: _activity_event,
        DutyEventKind.REOPENED: _activity_event,
    },
    import_declaration=DUTY_DECLARATION,
    export=_duty_export,
    badge_column=7,
    todo_columns=(3, 4),
    summary_indicators=("pufa.duty_rate",),
    links=STATS,
)

# --- 法律明白人 -------------------------------------------------------------------------------


def _person_details(p: Person, request: HttpRequest) -> Sequence[tuple[str, Any]]:
    full = access_for(request.user).can(p.unit_id, Permission.HANDLE)
    phone = p.phone if full else mask_contact(p.phone) if p.phone else ""
    id_number = p.id_number if full else mask_id_number(p.id_number) if p.id_number else ""
    return [
        ("名册编号", p.number),
        ("单位", p.unit.name),
        ("所在村（社区）", p.community),
        ("姓名", p.name),
        ("性别", p.get_gender_display()),
        ("身份", p.get_background_display()),
        ("联系电话", phone or "—"),
        ("身份证号", id_number or "—"),
        ("纳入名册日期", p.joined_on),
        ("培训情况", p.trained or "—"),
        ("状态", p.get_status_display()),
        ("退出日期", p.left_on or "—"),
    ]


def masked_phone(p: Person) -> str:
    return mask_contact(p.phone) if p.phone else ""


def masked_id(p: Person) -> str:
    return mask_id_number(p.id_number) if p.id_number else ""


def _person_export(qs: QuerySet[Person]) -> tuple[list[str], Iterator[list[object]]]:
    def rows() -> Iterator[list[object]]:
        for p in qs.iterator(chunk_size=500):
            yield [
                p.number,
                p.community,
                p.name,
                p.get_gender_display(),
                p.get_background_display(),
                masked_phone(p),
                masked_id(p),
                p.joined_on,
                p.trained,
                p.left_on,
                p.get_status_display(),
            ]

    return PERSON_EXPORT_HEADERS, rows()


PEOPLE_UI = LedgerUI(
    ledger=PEOPLE,
    columns=[
        Column("名册编号", lambda p: p.number),
        Column("单位", lambda p: p.unit.name),
        Column("所在村（社区）", lambda p: p.community),
        Column("姓名", lambda p: p.name),
        Column("身份", lambda p: p.get_background_display()),
        Column("联系电话", masked_phone),
        Column("身份证号", masked_id),
        Column("纳入名册日期", lambda p: f"{p.joined_on:%Y-%m-%d}"),
        Column("状态", lambda p: p.get_status_display()),
    ],
    filters=[
        Filter("status", "状态", lambda: PersonStatus.choices, lambda qs, v: qs.filter(status=v)),
        Filter(
            "background",
            "身份",
            lambda: Background.choices,
            lambda qs, v: qs.filter(background=v),
        ),
        exact_filter("community", "所在村（社区）", "community"),
    ],
    # Names and communities, never phone or ID numbers: a search would confirm a number.
    search=lambda qs, q: qs.filter(
        Q(number__icontains=q) | Q(name__icontains=q) | Q(community__icontains=q)
    ),
    search_hint="编号、姓名、村（社区）",
    move_forms=forms.PERSON_MOVE_FORMS,
    register_form=forms.PersonForm,
    register=actions.register_person,
    register_label="登记法律明白人",
    register_initial=lambda today: {"joined_on": today},
    correct_form=forms.PersonCorrectForm,
    details=_person_details,
    import_declaration=PERSON_DECLARATION,
    export=_person_export,
    todo_columns=(2, 3),
    summary_indicators=("pufa.people",),
    links=STATS,
)

# --- 学法与考试 -------------------------------------------------------------------------------


def _study_details(s: Study, request: HttpRequest) -> Sequence[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("编号", s.number),
        ("单位", s.unit.name),
        ("日期", s.held_on),
        ("类别", s.get_kind_display()),
        ("学习内容或考试名称", s.topic),
        ("主讲人或组织部门", s.lecturer or "—"),
        ("应参加人数", s.expected),
        ("实际参加人数", s.participants),
    ]
    if s.is_exam:
        rows.append(("考试通过人数", s.passed))
    return rows


def _study_export(qs: QuerySet[Study]) -> tuple[list[str], Iterator[list[object]]]:
    def rows() -> Iterator[list[object]]:
        for s in qs.iterator(chunk_size=500):
            yield [
                s.number,
                s.held_on,
                s.get_kind_display(),
                s.topic,
                s.lecturer,
                s.expected,
                s.participants,
                s.passed,
            ]

    return list(STUDY_HEADERS.values()), rows()


STUDIES_UI = LedgerUI(
    ledger=STUDIES,
    columns=[
        Column("编号", lambda s: s.number),
        Column("单位", lambda s: s.unit.name),
        Column("日期", lambda s: f"{s.held_on:%Y-%m-%d}"),
        Column("类别", lambda s: s.get_kind_display()),
        Column("学习内容或考试名称", lambda s: s.topic),
        Column("应参加", lambda s: s.expected),
        Column("实际参加", lambda s: s.participants),
        Column("通过", lambda s: "" if s.passed is None else s.passed),
    ],
    filters=[
        year_filter("year", "年度", "held_on"),
        Filter("kind", "类别", lambda: StudyKind.choices, lambda qs, v: qs.filter(kind=v)),
    ],
    search=lambda qs, q: qs.filter(
        Q(number__icontains=q) | Q(topic__icontains=q) | Q(lecturer__icontains=q)
    ),
    search_hint="编号、学习内容、主讲人",
    move_forms={},
    register_form=forms.StudyForm,
    register=actions.register_study,
    register_label="登记学法或考试",
    register_initial=lambda today: {"held_on": today},
    correct_form=forms.StudyCorrectForm,
    details=_study_details,
    import_declaration=STUDY_DECLARATION,
    export=_study_export,
    todo_columns=(2, 3),
    summary_indicators=("pufa.studies", "pufa.exam_pass_rate"),
    links=STATS,
)

UIS = (ACTIVITIES_UI, DUTIES_UI, PEOPLE_UI, STUDIES_UI)
