"""Checks on the ledgers' own fields, shared by the forms, the actions, corrections and imports:
counts are whole numbers within what a 街道 can hold, participation never exceeds who should
take part and passes never exceed participants (so no rate can pass 100%)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.imports.idnumber import validate_id_number
from fazhi.core.workflow import ActionError
from fazhi.ledgers.pufa.models import (
    EXAMS,
    Audience,
    Background,
    Form,
    Gender,
    StudyKind,
    Theme,
)

# Upper bounds that catch a typo (an extra zero row upon row) without refusing a real figure:
# a 街道's biggest square event, a city-wide print run, a video seen across the province.
LIMITS = {
    "attendance": 1_000_000,
    "materials": 10_000_000,
    "online_reach": 100_000_000,
    "expected": 100_000,
    "participants": 100_000,
    "passed": 100_000,
}


def _text(fields: dict[str, Any], name: str) -> str:
    return str(fields.get(name) or "").strip()


def _count(fields: dict[str, Any], name: str, label: str, required: bool = True) -> int | None:
    value = fields.get(name)
    if value is None or value == "":
        if required:
            raise ActionError(f"请填写{label}", field=name)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ActionError(f"{label}应为整数", field=name)
    if value < 0:
        raise ActionError(f"{label}不能为负数", field=name)
    if value > LIMITS[name]:
        raise ActionError(f"{label}（{value}）超过{LIMITS[name]}，请核对", field=name)
    return value


def validate_activity(fields: dict[str, Any]) -> None:
    if not _text(fields, "title"):
        raise ActionError("请填写活动名称", field="title")
    if fields.get("theme") not in Theme.values:
        raise ActionError("请选择活动主题", field="theme")
    if fields["theme"] == Theme.OTHER and not _text(fields, "theme_note"):
        raise ActionError("主题为“其他主题”的，请填写主题名称", field="theme_note")
    if fields["theme"] != Theme.OTHER and _text(fields, "theme_note"):
        raise ActionError("只有“其他主题”需要填写主题名称", field="theme_note")
    if fields.get("form") not in Form.values:
        raise ActionError("请选择活动形式", field="form")
    if not _text(fields, "venue"):
        raise ActionError("请填写活动地点", field="venue")
    if fields.get("audience") not in Audience.values:
        raise ActionError("请选择活动对象", field="audience")
    attendance = _count(fields, "attendance", "参与人次")
    _count(fields, "materials", "发放资料份数")
    online = _count(fields, "online_reach", "线上覆盖人次")
    if fields["form"] == Form.ONLINE and not online:
        raise ActionError("网络宣传活动请填写线上覆盖人次", field="online_reach")
    if fields["form"] != Form.ONLINE and not attendance:
        raise ActionError("线下活动请填写参与人次（至少1人次）", field="attendance")


def validate_duty(fields: dict[str, Any]) -> None:
    year = fields.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ActionError("请填写有效的清单年度（如 2026）", field="year")
    if not _text(fields, "department"):
        raise ActionError("请填写责任部门", field="department")
    if not _text(fields, "content"):
        raise ActionError("请填写普法事项", field="content")
    listed, planned = fields.get("listed_on"), fields.get("planned_on")
    if isinstance(listed, dt.date) and isinstance(planned, dt.date):
        if planned < listed:
            raise ActionError(
                f"计划完成日期不能早于列入清单日期（{listed:%Y-%m-%d}）", field="planned_on"
            )
        if planned.year != year:
            raise ActionError(f"计划完成日期应在清单年度（{year}年）内", field="planned_on")
    if isinstance(listed, dt.date) and listed.year > year:
        raise ActionError(f"{listed.year}年列入的事项不能属于{year}年度的清单", field="year")


def validate_person(fields: dict[str, Any]) -> None:
    if not _text(fields, "community"):
        raise ActionError("请填写所在村（社区）", field="community")
    if not _text(fields, "name"):
        raise ActionError("请填写姓名", field="name")
    if fields.get("gender") not in Gender.values:
        raise ActionError("请选择性别", field="gender")
    if fields.get("background") not in Background.values:
        raise ActionError("请选择身份", field="background")
    number = _text(fields, "id_number").upper()
    if number:
        problem = validate_id_number(number)
        if problem:
            raise ActionError(f"身份证号有误：{problem}", field="id_number")
        fields["id_number"] = number
    phone = _text(fields, "phone")
    if phone and not all(c.isdigit() or c in "-—+ " for c in phone):
        raise ActionError("联系电话只能包含数字和“-”", field="phone")


def validate_study(fields: dict[str, Any]) -> None:
    kind = fields.get("kind")
    if kind not in StudyKind.values:
        raise ActionError("请选择类别", field="kind")
    if not _text(fields, "topic"):
        raise ActionError("请填写学习内容或考试名称", field="topic")
    expected = _count(fields, "expected", "应参加人数")
    participants = _count(fields, "participants", "实际参加人数")
    assert expected is not None and participants is not None
    if expected == 0:
        raise ActionError("应参加人数至少为1人", field="expected")
    if participants > expected:
        raise ActionError(
            f"实际参加人数（{participants}）不能多于应参加人数（{expected}）",
            field="participants",
        )
    passed = _count(fields, "passed", "考试通过人数", required=kind in EXAMS)
    if kind not in EXAMS:
        if passed is not None:
            raise ActionError("只有考试需要填写通过人数", field="passed")
        return
    assert passed is not None
    if passed > participants:
        raise ActionError(
            f"考试通过人数（{passed}）不能多于参考人数（{participants}）", field="passed"
        )
