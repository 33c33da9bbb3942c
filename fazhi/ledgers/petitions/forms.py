"""Forms for registering a matter, for each move, and for a further visit; labels are Chinese."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from fazhi.core.tenancy.names import display_name
from fazhi.core.web.forms import FazhiForm, date_field, note_form
from fazhi.core.web.registry import MoveForm
from fazhi.ledgers.petitions import actions
from fazhi.ledgers.petitions.models import (
    Category,
    Form,
    Procedure,
    Result,
    ReviewResult,
    Satisfaction,
    Source,
    Stage,
)
from fazhi.ledgers.petitions.validation import BASIS_MAX_LENGTH, BODY_MAX_LENGTH


def _note(label: str = "说明", required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class RegisterForm(FazhiForm):
    received_on = date_field("收到日期")
    stage = forms.ChoiceField(
        label="事项类别",
        choices=Stage.choices,
        help_text="本单位作为上一级机关办理复查、复核请求时选择“复查”或“复核”",
    )
    form = forms.ChoiceField(label="信访形式", choices=Form.choices)
    source = forms.ChoiceField(label="来源", choices=Source.choices)
    source_ref = forms.CharField(label="来源文号/系统编号", max_length=100, required=False)
    category = forms.ChoiceField(label="信访类型", choices=Category.choices)
    petitioner = forms.CharField(
        label="信访人", max_length=100, required=False, help_text="匿名信访可留空"
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    contact = forms.CharField(label="联系方式", max_length=100, required=False)
    visitors = forms.IntegerField(
        label="来访人数", required=False, min_value=1, max_value=100000, help_text="来访时填写"
    )
    representatives = forms.IntegerField(
        label="代表人数",
        required=False,
        min_value=1,
        max_value=100000,
        help_text="多人来访推选的代表不超过5人（条例第二十条）",
    )
    content = forms.CharField(
        label="诉求内容", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    original = forms.CharField(
        label="原办理单位及答复",
        max_length=300,
        required=False,
        help_text="复查、复核事项必填：原办理机关及其答复（或复查意见）的日期",
    )
    number = forms.CharField(
        label="信访编号", max_length=64, required=False, help_text="留空自动编号，如 XF-2026-0001"
    )


class CorrectForm(FazhiForm):
    received_on = RegisterForm.base_fields["received_on"]
    form = RegisterForm.base_fields["form"]
    category = RegisterForm.base_fields["category"]
    source_ref = RegisterForm.base_fields["source_ref"]
    petitioner = RegisterForm.base_fields["petitioner"]
    address = RegisterForm.base_fields["address"]
    contact = RegisterForm.base_fields["contact"]
    content = RegisterForm.base_fields["content"]
    original = RegisterForm.base_fields["original"]


class AcceptForm(FazhiForm):
    on = date_field("受理日期", help_text="办理期限自受理之日起计算（60日）")
    handler = forms.ModelChoiceField(
        label="承办人",
        queryset=get_user_model().objects.none(),
        required=False,
        help_text="留空由本人承办",
    )
    note = _note()

    def __init__(self, *args: Any, record: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, record=record, **kwargs)
        if record is not None:
            field = self.fields["handler"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = (
                get_user_model()
                .objects.filter(
                    memberships__unit_id=record.unit_id,
                    memberships__role__in=["clerk", "reviewer", "leader"],
                    is_active=True,
                )
                .distinct()
                .order_by("username")
            )
            field.label_from_instance = lambda u: f"{display_name(u)}（{u.get_username()}）"  # type: ignore[method-assign,assignment]


class TransferForm(FazhiForm):
    on = date_field("转送日期")
    to = forms.CharField(label="转送/交办机关", max_length=BODY_MAX_LENGTH)
    assign = forms.BooleanField(label="交办（要求报告办理结果）", required=False)
    note = _note()


class NotAcceptForm(FazhiForm):
    on = date_field("告知日期")
    procedure = forms.ChoiceField(
        label="告知信访人的途径", choices=[("", "—— 请选择 ——"), *Procedure.choices]
    )
    note = _note("告知内容")


class ReasonedForm(FazhiForm):
    on = date_field("日期")
    reason = _note("理由", required=True)


class ExtensionRequestForm(FazhiForm):
    on = date_field("提请日期")
    days = forms.IntegerField(label="延长日数", min_value=1, max_value=30, initial=30)
    reason = _note("延期理由", required=True)


class ExtendForm(FazhiForm):
    on = date_field("批准日期")
    days = forms.IntegerField(
        label="批准延长日数",
        min_value=1,
        max_value=30,
        required=False,
        help_text="留空按提请的日数",
    )
    told_on = date_field("告知信访人日期", help_text="须告知信访人延期理由（条例第三十四条）")
    reason = _note("延期理由", required=True)


class OpinionForm(FazhiForm):
    on = date_field("意见书日期")
    result = forms.ChoiceField(
        label="处理意见",
        choices=[("", "—— 请选择 ——")]
        + [
            (c, name)
            for c, name in Result.choices
            if c in (Result.SUPPORT, Result.EXPLAIN, Result.REJECT)
        ],
    )
    basis = forms.CharField(
        label="政策法律依据", max_length=BASIS_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = _note("事实和理由")


class AgreementForm(FazhiForm):
    on = date_field("协议日期")
    result = forms.ChoiceField(
        label="协议类型",
        choices=[(c, name) for c, name in Result.choices if c in (Result.MEDIATED, Result.SETTLED)],
    )
    note = _note("协议内容")


class FeedbackForm(FazhiForm):
    on = date_field("回访日期")
    satisfaction = forms.ChoiceField(label="满意度", choices=Satisfaction.choices)
    note = _note()


class RequestedForm(FazhiForm):
    on = date_field("申请日期")
    to = forms.CharField(label="受理机关", max_length=BODY_MAX_LENGTH)
    note = _note()


class DecidedForm(FazhiForm):
    on = date_field("意见日期")
    result = forms.ChoiceField(label="结果", choices=ReviewResult.choices)
    note = _note()


class VisitForm(FazhiForm):
    on = date_field("来访日期")
    visitors = forms.IntegerField(label="来访人数", min_value=1, max_value=100000)
    representatives = forms.IntegerField(label="代表人数", min_value=1, max_value=100000, initial=1)
    note = forms.CharField(label="接谈情况", max_length=500, required=False)


MOVE_FORMS: dict[str, MoveForm] = {
    "accept": MoveForm(AcceptForm, actions.accept),
    "transfer": MoveForm(TransferForm, actions.transfer),
    "not_accept": MoveForm(NotAcceptForm, actions.not_accept),
    "object": MoveForm(ReasonedForm, actions.object_to_transfer),
    "objection_agreed": MoveForm(note_form("同意日期"), actions.objection_agreed),
    "objection_refused": MoveForm(note_form("日期"), actions.objection_refused),
    "request_extension": MoveForm(ExtensionRequestForm, actions.request_extension),
    "extend": MoveForm(ExtendForm, actions.extend),
    "refuse_extension": MoveForm(ReasonedForm, actions.refuse_extension),
    "start_hearing": MoveForm(note_form("听证开始日期"), actions.start_hearing),
    "end_hearing": MoveForm(note_form("听证结束日期"), actions.end_hearing),
    "opinion": MoveForm(OpinionForm, actions.opinion),
    "agreement": MoveForm(AgreementForm, actions.agreement),
    "feedback": MoveForm(FeedbackForm, actions.feedback),
    "review_requested": MoveForm(RequestedForm, actions.review_requested),
    "review_decided": MoveForm(DecidedForm, actions.review_decided),
    "recheck_requested": MoveForm(RequestedForm, actions.recheck_requested),
    "recheck_decided": MoveForm(DecidedForm, actions.recheck_decided),
}
