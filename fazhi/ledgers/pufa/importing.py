"""Excel/CSV columns (Chinese headers) and import declarations of the 普法 ledgers.

Each row is validated like the form (the ledger's own checks: counts not negative, participants
not more than expected, passes not more than participants) — all or nothing, per-row Chinese
errors, idempotent on the number. Ticking a 责任清单 item is not imported: an item is ticked off
by an activity on the activity's or the item's page. The roster's export masks phone and ID
numbers (a masked value imports as empty, so an export imports back unchanged).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.imports.parsers import parse_choice, parse_date, parse_int, parse_text
from fazhi.core.imports.spec import Column, ImportSpec, ParsedRow, RowError
from fazhi.core.records.bulk import ImportDeclaration, ImportRow, ImportStep
from fazhi.ledgers.pufa.models import (
    Audience,
    Background,
    Form,
    Gender,
    PersonEventKind,
    StudyKind,
    Theme,
)


def _labels(choices: Any) -> dict[str, str]:
    return {label: code for code, label in choices.choices}


def _optional(header: str, key: str, parse: Any = parse_text, **kw: Any) -> Column:
    return Column(header, key, parse, required=False, allow_blank=True, **kw)


def _headers(spec: ImportSpec) -> dict[str, str]:
    return {c.key: c.header for c in spec.columns}


THEMES = _labels(Theme)

# --- 普法活动 ---------------------------------------------------------------------------------

ACTIVITY_SPEC = ImportSpec(
    name="普法活动",
    key="number",
    columns=(
        Column(
            "活动编号",
            "number",
            help="本单位内唯一；重复导入同一编号不会重复登记",
            example="PF-2026-0001",
        ),
        Column("活动日期", "held_on", parse_date, example="2026-12-04"),
        Column("活动名称", "title", max_length=200, example="“宪法进社区”主题宣传活动"),
        Column(
            "主题",
            "theme",
            max_length=100,
            help="宪法宣传周、民法典宣传月、全民国家安全教育日等；其他主题直接写主题名称",
            example="宪法宣传周",
        ),
        Column("形式", "form", parse_choice(_labels(Form)), example="法律咨询"),
        Column("地点", "venue", max_length=200, example="东湖社区文化广场"),
        Column("对象", "audience", parse_choice(_labels(Audience)), example="社区居民、村民"),
        _optional("参与人次", "attendance", parse_int, help="线下活动必填", example="120"),
        _optional("发放资料份数", "materials", parse_int, example="300"),
        _optional("线上覆盖人次", "online_reach", parse_int, help="网络宣传必填"),
        _optional("合办单位", "partner", max_length=200),
        _optional("活动情况", "summary"),
    ),
)
ACTIVITY_HEADERS = _headers(ACTIVITY_SPEC)
ACTIVITY_EXPORT_HEADERS = [*ACTIVITY_HEADERS.values(), "落实的责任清单事项"]


def _activity_row(row: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
    v: dict[str, Any] = row.values
    theme_text = str(v["theme"])
    theme = THEMES.get(theme_text, Theme.OTHER)
    fields = {
        "held_on": v["held_on"],
        "title": v["title"],
        "theme": theme,
        "theme_note": "" if theme != Theme.OTHER or theme_text == Theme.OTHER.label else theme_text,
        "form": v["form"],
        "venue": v["venue"],
        "audience": v["audience"],
        "attendance": v.get("attendance") or 0,
        "materials": v.get("materials") or 0,
        "online_reach": v.get("online_reach") or 0,
        "partner": v.get("partner") or "",
        "summary": v.get("summary") or "",
    }
    return ImportRow(row.line, str(v["number"]), fields), []


_ACTIVITY_KEYS = ("held_on", "title", "theme", "theme_note", "form", "venue", "audience",
                  "attendance", "materials", "online_reach")  # fmt: skip

ACTIVITY_DECLARATION = ImportDeclaration(
    spec=ACTIVITY_SPEC,
    to_row=_activity_row,
    stored_signature=lambda a, events: tuple(getattr(a, k) for k in _ACTIVITY_KEYS),
    row_signature=lambda row: tuple(row.fields[k] for k in _ACTIVITY_KEYS),
    headers={**ACTIVITY_HEADERS, "theme_note": ACTIVITY_HEADERS["theme"]},
    noun="普法活动",
)

# --- 责任清单 ---------------------------------------------------------------------------------

DUTY_SPEC = ImportSpec(
    name="普法责任清单",
    key="number",
    columns=(
        Column("清单事项编号", "number", example="QD-2026-001"),
        Column("清单年度", "year", parse_int, example="2026"),
        Column("责任部门", "department", max_length=100, example="综合行政执法队"),
        Column("普法事项", "content", max_length=500, example="开展城市管理法规进商户宣传"),
        _optional("重点宣传的法律法规", "laws", max_length=300),
        Column("列入清单日期", "listed_on", parse_date, example="2026-01-15"),
        _optional(
            "计划完成日期", "planned_on", parse_date, help="留空的，以清单年度12月31日为完成期限"
        ),
    ),
)
DUTY_HEADERS = _headers(DUTY_SPEC)
DUTY_EXPORT_HEADERS = [*DUTY_HEADERS.values(), "状态", "落实日期", "完成期限"]


def _duty_row(row: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
    v: dict[str, Any] = row.values
    fields = {
        "year": v["year"],
        "department": v["department"],
        "content": v["content"],
        "laws": v.get("laws") or "",
        "listed_on": v["listed_on"],
        "planned_on": v.get("planned_on") or None,
    }
    return ImportRow(row.line, str(v["number"]), fields), []


_DUTY_KEYS = ("year", "department", "content", "listed_on", "planned_on")

DUTY_DECLARATION = ImportDeclaration(
    spec=DUTY_SPEC,
    to_row=_duty_row,
    stored_signature=lambda d, events: tuple(getattr(d, k) for k in _DUTY_KEYS),
    row_signature=lambda row: tuple(row.fields[k] for k in _DUTY_KEYS),
    headers=DUTY_HEADERS,
    noun="清单事项",
)

# --- 法律明白人 -------------------------------------------------------------------------------

PERSON_SPEC = ImportSpec(
    name="法律明白人名册",
    key="number",
    columns=(
        Column("名册编号", "number", example="MB-0001"),
        Column("所在村（社区）", "community", max_length=100, example="东湖社区"),
        Column("姓名", "name", max_length=50, example="李明"),
        Column("性别", "gender", parse_choice(_labels(Gender)), example="男"),
        Column("身份", "background", parse_choice(_labels(Background)), example="网格员"),
        _optional("联系电话", "phone", max_length=30),
        _optional("身份证号", "id_number", max_length=18),
        Column("纳入名册日期", "joined_on", parse_date, example="2025-03-01"),
        _optional("培训情况", "trained", max_length=300),
        _optional("退出日期", "left_on", parse_date, help="仍在册的留空"),
    ),
)
PERSON_HEADERS = _headers(PERSON_SPEC)
PERSON_EXPORT_HEADERS = [*PERSON_HEADERS.values(), "状态"]


def _unmasked(text: object) -> str:
    value = str(text or "")
    return "" if "*" in value else value


def _person_row(row: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
    v: dict[str, Any] = row.values
    left = v.get("left_on")
    if isinstance(left, dt.date) and isinstance(v["joined_on"], dt.date) and left < v["joined_on"]:
        return None, [RowError(row.line, PERSON_HEADERS["left_on"], "不能早于「纳入名册日期」")]
    fields = {
        "community": v["community"],
        "name": v["name"],
        "gender": v["gender"],
        "background": v["background"],
        "phone": _unmasked(v.get("phone")),
        "id_number": _unmasked(v.get("id_number")),
        "joined_on": v["joined_on"],
        "trained": v.get("trained") or "",
    }
    steps = (
        [ImportStep("leave", left, PERSON_HEADERS["left_on"], changes={"left_on": left})]
        if isinstance(left, dt.date)
        else []
    )
    return ImportRow(row.line, str(v["number"]), fields, steps), []


def _person_stored(p: Any, events: list[Any]) -> tuple[object, ...]:
    left = next(
        (e.on for e in events if e.kind == PersonEventKind.LEFT and e.undone_at is None), None
    )
    return (p.community, p.name, p.gender, p.background, p.joined_on, left)


def _person_signature(row: ImportRow) -> tuple[object, ...]:
    f = row.fields
    left = row.steps[0].on if row.steps else None
    return (f["community"], f["name"], f["gender"], f["background"], f["joined_on"], left)


PERSON_DECLARATION = ImportDeclaration(
    spec=PERSON_SPEC,
    to_row=_person_row,
    stored_signature=_person_stored,
    row_signature=_person_signature,
    headers=PERSON_HEADERS,
    noun="法律明白人",
)

# --- 学法与考试 -------------------------------------------------------------------------------

STUDY_SPEC = ImportSpec(
    name="学法与考试",
    key="number",
    columns=(
        Column("编号", "number", example="XF-2026-0001"),
        Column("日期", "held_on", parse_date, example="2026-03-12"),
        Column("类别", "kind", parse_choice(_labels(StudyKind)), example="会前学法"),
        Column("学习内容或考试名称", "topic", max_length=300, example="学习《行政复议法》"),
        _optional("主讲人或组织部门", "lecturer", max_length=100),
        Column("应参加人数", "expected", parse_int, help="考试为应参考人数", example="25"),
        Column("实际参加人数", "participants", parse_int, help="考试为实际参考人数", example="23"),
        _optional("考试通过人数", "passed", parse_int, help="考试必填，学法留空"),
    ),
)
STUDY_HEADERS = _headers(STUDY_SPEC)


def _study_row(row: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
    v: dict[str, Any] = row.values
    passed = v.get("passed")
    fields = {
        "held_on": v["held_on"],
        "kind": v["kind"],
        "topic": v["topic"],
        "lecturer": v.get("lecturer") or "",
        "expected": v["expected"],
        "participants": v["participants"],
        "passed": passed if isinstance(passed, int) else None,
    }
    return ImportRow(row.line, str(v["number"]), fields), []


_STUDY_KEYS = ("held_on", "kind", "topic", "expected", "participants", "passed")

STUDY_DECLARATION = ImportDeclaration(
    spec=STUDY_SPEC,
    to_row=_study_row,
    stored_signature=lambda s, events: tuple(getattr(s, k) for k in _STUDY_KEYS),
    row_signature=lambda row: tuple(row.fields[k] for k in _STUDY_KEYS),
    headers=STUDY_HEADERS,
    noun="学法或考试",
)
