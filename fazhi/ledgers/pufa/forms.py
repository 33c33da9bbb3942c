"""Forms of the 普法 ledgers: registering, each move, corrections; labels are Chinese."""

from __future__ import annotations

from typing import Any

from django import forms

from fazhi.core.web.forms import FazhiForm, date_field, note_form
from fazhi.core.web.registry import MoveForm
from fazhi.ledgers.pufa import actions
from fazhi.ledgers.pufa.models import (
    Activity,
    Audience,
    Background,
    Duty,
    DutyStatus,
    Form,
    Gender,
    StudyKind,
    Theme,
)
from fazhi.ledgers.pufa.validation import LIMITS


def _count(label: str, name: str, required: bool = True, help_text: str = "") -> forms.Field:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=LIMITS[name],
        help_text=help_text,
        error_messages={
            "invalid": "请输入整数",
            "min_value": f"{label}不能为负数",
            "max_value": f"{label}超过{LIMITS[name]}，请核对",
            "required": f"请填写{label}",
        },
    )


def _text(label: str, max_length: int, required: bool = True, **kw: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, **kw)


def _note(label: str = "说明", rows: int = 3, max_length: int = 2000) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=max_length,
    )


NUMBER_HELP = "留空自动编号"

# --- 普法活动 ---------------------------------------------------------------------------------


class ActivityCorrectForm(FazhiForm):
    held_on = date_field("活动日期")
    title = _text("活动名称", 200, help_text="如 “宪法进社区”主题宣传活动")
    theme = forms.ChoiceField(label="主题", choices=Theme.choices)
    theme_note = _text("其他主题名称", 100, required=False, help_text="主题为“其他主题”时填写")
    form = forms.ChoiceField(label="形式", choices=Form.choices)
    venue = _text("地点", 200)
    audience = forms.ChoiceField(label="对象", choices=Audience.choices)
    attendance = _count("参与人次", "attendance", required=False, help_text="线下活动必填")
    materials = _count("发放资料份数", "materials", required=False)
    online_reach = _count(
        "线上覆盖人次", "online_reach", required=False, help_text="网络宣传的浏览、观看人次"
    )
    partner = _text("合办单位", 200, required=False)
    summary = _note("活动情况", rows=4)


class ActivityForm(ActivityCorrectForm):
    duty_number = _text(
        "落实的责任清单事项编号",
        64,
        required=False,
        help_text="本次活动落实本单位普法责任清单中的哪一项，如 QD-2026-001；没有则留空",
    )
    number = _text("活动编号", 64, required=False, help_text=NUMBER_HELP)


class TickForm(FazhiForm):
    on = date_field("落实日期")
    duty = forms.CharField(label="责任清单事项")
    note = _note()

    def __init__(self, *args: Any, record: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, record=record, **kwargs)
        if record is not None:
            items = Duty.objects.filter(unit_id=record.unit_id, status=DutyStatus.OPEN)
            self.fields["duty"] = forms.ModelChoiceField(
                label="责任清单事项", queryset=items.order_by("-year", "department", "number")
            )
            self.order_fields(["on", "duty", "note"])


ACTIVITY_MOVE_FORMS: dict[str, MoveForm] = {
    "tick": MoveForm(TickForm, actions.tick),
    "untick": MoveForm(note_form("撤销日期"), actions.untick),
}

# --- 责任清单 ---------------------------------------------------------------------------------


class DutyCorrectForm(FazhiForm):
    department = _text("责任部门", 100, help_text="谁执法谁普法：负责该事项的部门或科室")
    content = _text("普法事项", 500, widget=forms.Textarea(attrs={"rows": 3}))
    laws = _text("重点宣传的法律法规", 300, required=False)
    listed_on = date_field("列入清单日期")
    planned_on = date_field(
        "计划完成日期", required=False, help_text="留空的，以清单年度12月31日为完成期限"
    )


class DutyForm(DutyCorrectForm):
    year = forms.IntegerField(
        label="清单年度",
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": "请输入年度，如 2026",
            "min_value": "年度有误",
            "max_value": "年度有误",
        },
    )
    number = _text("清单事项编号", 64, required=False, help_text=NUMBER_HELP)

    field_order = ["year", "department", "content", "laws", "listed_on", "planned_on", "number"]


class DutyTickForm(FazhiForm):
    on = date_field("落实日期")
    activity = forms.CharField(label="落实该事项的普法活动")
    note = _note()

    def __init__(self, *args: Any, record: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, record=record, **kwargs)
        if record is not None:
            held = Activity.objects.filter(
                unit_id=record.unit_id, duty__isnull=True, held_on__gte=record.listed_on
            )
            field = forms.ModelChoiceField(
                label="落实该事项的普法活动", queryset=held.order_by("-held_on", "-id")
            )
            field.label_from_instance = lambda a: f"{a.number} {a.held_on:%Y-%m-%d} {a.title}"  # type: ignore[method-assign,assignment]
            self.fields["activity"] = field
            self.order_fields(["on", "activity", "note"])


DUTY_MOVE_FORMS: dict[str, MoveForm] = {
    "tick": MoveForm(DutyTickForm, actions.tick_from_duty),
    "reopen": MoveForm(note_form("撤销日期"), actions.reopen),
}

# --- 法律明白人 -------------------------------------------------------------------------------


class PersonCorrectForm(FazhiForm):
    community = _text("所在村（社区）", 100, help_text="如 东湖社区、李家村")
    name = _text("姓名", 50)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    background = forms.ChoiceField(label="身份", choices=Background.choices)
    phone = _text("联系电话", 30, required=False)
    id_number = _text("身份证号", 18, required=False)
    joined_on = date_field("纳入名册日期")
    trained = _text("培训情况", 300, required=False, help_text="如 2026年参加区司法局培训2次")


class PersonForm(PersonCorrectForm):
    number = _text("名册编号", 64, required=False, help_text=NUMBER_HELP)


PERSON_MOVE_FORMS: dict[str, MoveForm] = {
    "leave": MoveForm(note_form("退出日期"), actions.leave),
}

# --- 学法与考试 -------------------------------------------------------------------------------


class StudyCorrectForm(FazhiForm):
    held_on = date_field("日期")
    topic = _text("学习内容或考试名称", 300, help_text="如 学习《中华人民共和国行政复议法》")
    lecturer = _text("主讲人或组织部门", 100, required=False)
    expected = _count("应参加人数", "expected", help_text="考试为应参考人数")
    participants = _count("实际参加人数", "participants", help_text="考试为实际参考人数")
    passed = _count("考试通过人数", "passed", required=False, help_text="考试必填，学法不填")


class StudyForm(StudyCorrectForm):
    kind = forms.ChoiceField(label="类别", choices=StudyKind.choices)
    number = _text("编号", 64, required=False, help_text=NUMBER_HELP)

    field_order = ["held_on", "kind"]
