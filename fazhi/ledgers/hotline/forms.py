"""Forms for registering an order and for each move; labels are Chinese."""

from __future__ import annotations

from django import forms

from fazhi.core.web.forms import FazhiForm, date_field, note_form
from fazhi.core.web.registry import MoveForm
from fazhi.ledgers.hotline import actions
from fazhi.ledgers.hotline.models import Category, Urgency, VisitResult

TIME_HELP = "如 2026-03-01 09:30"


def time_field(label: str, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=TIME_HELP,
        input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _text(label: str, max_length: int, *, required: bool = False, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget)


class RegisterForm(FazhiForm):
    number = _text("工单编号", 64, required=True)
    called_at = time_field("来电时间")
    category = forms.ChoiceField(label="诉求类型", choices=Category.choices)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    content = _text("诉求内容", 5000, required=True, rows=4)
    phone = _text("来电号码", 32)
    requester = _text("诉求人", 100)
    address = _text("地址", 200)


class CorrectForm(FazhiForm):
    called_at = time_field("来电时间")
    phone = _text("来电号码", 32)
    requester = _text("诉求人", 100)
    address = _text("地址", 200)
    category = forms.ChoiceField(label="诉求类型", choices=Category.choices)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices)
    content = _text("诉求内容", 5000, required=True, rows=4)


class DispatchForm(FazhiForm):
    at = time_field("派单时间")
    time_limit = time_field("办理时限（空白则按时限设置计算）", required=False)


class ReturnForm(FazhiForm):
    at = time_field("退单时间")
    reason = _text("退单理由", 500, required=True, rows=3)


class RedispatchForm(FazhiForm):
    at = time_field("重派时间")
    time_limit = time_field("办理时限（空白则按时限设置计算）", required=False)


class FeedbackForm(FazhiForm):
    at = time_field("反馈时间")
    result = _text("办理结果", 5000, required=True, rows=4)


class CloseForm(FazhiForm):
    at = time_field("办结时间")
    result = _text("办理结果（已反馈的可不填）", 5000, rows=3)


class VisitForm(FazhiForm):
    on = date_field("回访日期")
    visit_result = forms.ChoiceField(label="回访结果", choices=VisitResult.choices)


MOVE_FORMS = {
    "dispatch": MoveForm(DispatchForm, actions.dispatch),
    "return": MoveForm(ReturnForm, actions.return_order),
    "redispatch": MoveForm(RedispatchForm, actions.redispatch),
    "feedback": MoveForm(FeedbackForm, actions.feedback),
    "close": MoveForm(CloseForm, actions.close),
    "visit": MoveForm(VisitForm, actions.visit),
    "supervise": MoveForm(note_form("督办日期"), actions.supervise),
}
