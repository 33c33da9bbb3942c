"""Forms for registering an application and for each move; labels and help are Chinese."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from fazhi.core.web.forms import FazhiForm, date_field, note_form
from fazhi.core.web.registry import MoveForm
from fazhi.ledgers.disclosure import actions, replies
from fazhi.ledgers.disclosure.actions import OWN_MOVE_OUTCOMES
from fazhi.ledgers.disclosure.models import (
    ApplicantCategory,
    Channel,
    ConsultationAnswer,
    FeeMethod,
    Outcome,
)


class RegisterForm(FazhiForm):
    received_on = date_field(
        "收到日期",
        help_text="当面提交为提交之日；邮政快递为签收之日；平常信函、互联网、传真为双方确认之日（条例第三十一条）",
    )
    channel = forms.ChoiceField(label="收到方式", choices=Channel.choices)
    applicant_category = forms.ChoiceField(label="申请人类型", choices=ApplicantCategory.choices)
    applicant_name = forms.CharField(label="申请人姓名或名称", max_length=200)
    id_number = forms.CharField(
        label="身份证件号码",
        max_length=32,
        required=False,
        help_text="自然人填写18位身份证号码，系统校验校验位",
    )
    contact = forms.CharField(label="联系方式", max_length=200, required=False)
    content = forms.CharField(
        label="申请内容",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述",
    )
    form_requested = forms.CharField(
        label="所需信息形式及获取方式",
        max_length=200,
        required=False,
        help_text="如：电子文档，电子邮件送达",
    )
    number = forms.CharField(
        label="申请编号", max_length=64, required=False, help_text="留空自动编号，如 YSQ-2026-0001"
    )


class CorrectionRequestForm(FazhiForm):
    on = date_field(
        "补正通知日期", help_text="应在收到申请之日起7个工作日内一次性告知（条例第三十条）"
    )
    items = forms.CharField(
        label="需补正的事项", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    deadline = date_field("补正期限", required=False, help_text="留空按默认补正期限计算")


class ConsultationForm(FazhiForm):
    on = date_field("发出征求意见日期")
    party_kind = forms.ChoiceField(
        label="征求对象",
        choices=[
            ("third_party", "第三方（条例第三十二条）"),
            ("co_author", "共同制作机关（条例第三十四条）"),
        ],
    )
    party = forms.CharField(label="对象名称", max_length=200)
    note = forms.CharField(label="说明", required=False, max_length=2000)


def _days_field(required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label="延长工作日数",
        min_value=1,
        max_value=20,
        initial=20 if required else None,
        required=required,
        help_text="不超过20个工作日（条例第三十三条第二款）"
        + ("" if required else "；留空按提请的日数"),
    )


class ExtensionRequestForm(FazhiForm):
    on = date_field("提请日期")
    days = _days_field()
    reason = forms.CharField(
        label="延期理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="负责人批准后，需将延期理由告知申请人（条例第三十三条第二款）",
    )


class ExtendForm(FazhiForm):
    on = date_field("批准日期")
    days = _days_field(required=False)
    told_on = date_field(
        "告知申请人日期", help_text="延长答复期限的，应当告知申请人（条例第三十三条第二款）"
    )
    reason = forms.CharField(
        label="延期理由（告知申请人）", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class RefuseExtensionForm(FazhiForm):
    on = date_field("日期")
    reason = forms.CharField(
        label="不予批准的理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ConsultationEndForm(FazhiForm):
    on = date_field("收到意见日期", help_text="第三方逾期未提出意见的，填写期限届满后的办理日期")
    answer = forms.ChoiceField(label="意见", choices=ConsultationAnswer.choices)
    note = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class FeeNoticeForm(FazhiForm):
    on = date_field("收费通知日期")
    method = forms.ChoiceField(
        label="计收方式", choices=FeeMethod.choices, help_text="按件、按量只能选择一种"
    )
    quantity = forms.IntegerField(
        label="数量",
        min_value=1,
        max_value=100000,  # keeps the fee within the 收费金额 column (10 digits)
        help_text="按件：该申请人本月第几件申请；按量：页数",
    )
    note = forms.CharField(label="说明", required=False, max_length=2000)


class ReplyForm(FazhiForm):
    on = date_field("答复日期")
    outcome = forms.ChoiceField(
        label="办理结果",
        choices=[("", "—— 请选择 ——")]
        + [(c, label) for c, label in Outcome.choices if c not in OWN_MOVE_OUTCOMES],
    )
    withheld = forms.CharField(
        label="不予公开的部分",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="仅部分公开时填写：写明不予公开的内容（条例第三十七条）",
    )
    reasons = forms.CharField(
        label="理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="部分公开、不予公开、无法提供、不予处理的，必须说明理由（条例第三十六条）",
    )
    basis = forms.CharField(
        label="法律依据",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text="选择办理结果后自动给出，可以修改；留空按办理结果的默认依据",
    )
    competent_body = forms.CharField(
        label="负责公开的机关",
        required=False,
        max_length=200,
        help_text="不属于本机关负责公开、能够确定负责机关的，写明其名称（条例第三十六条第（五）项）",
    )
    competent_contact = forms.CharField(label="该机关联系方式", required=False, max_length=200)
    note = forms.CharField(
        label="答复要点", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The form fills in the basis offered for the chosen outcome (app.js, data-fills).
        self.fields["outcome"].widget.attrs.update(
            {
                "data-fills": "id_basis",
                "data-fill-map": json.dumps(replies.BASIS, ensure_ascii=False),
            }
        )


MOVE_FORMS: dict[str, MoveForm] = {
    "reply": MoveForm(ReplyForm, actions.reply),
    "request_correction": MoveForm(CorrectionRequestForm, actions.request_correction),
    "record_correction": MoveForm(
        note_form("收到补正材料日期", "补正后的申请自此日重新计算答复期限"),
        actions.record_correction,
    ),
    "close_uncorrected": MoveForm(note_form("办结日期"), actions.close_uncorrected),
    "start_consultation": MoveForm(ConsultationForm, actions.start_consultation),
    "end_consultation": MoveForm(ConsultationEndForm, actions.end_consultation),
    "request_extension": MoveForm(ExtensionRequestForm, actions.request_extension),
    "extend": MoveForm(ExtendForm, actions.extend),
    "refuse_extension": MoveForm(RefuseExtensionForm, actions.refuse_extension),
    "issue_fee_notice": MoveForm(FeeNoticeForm, actions.issue_fee_notice),
    "record_payment": MoveForm(note_form("缴费日期"), actions.record_payment),
    "close_unpaid": MoveForm(note_form("办结日期"), actions.close_unpaid),
}


class CorrectForm(FazhiForm):
    """What a clerk may correct after registering (a typo, a wrong date), with a reason."""

    received_on = RegisterForm.base_fields["received_on"]
    channel = RegisterForm.base_fields["channel"]
    applicant_category = RegisterForm.base_fields["applicant_category"]
    applicant_name = RegisterForm.base_fields["applicant_name"]
    id_number = RegisterForm.base_fields["id_number"]
    contact = RegisterForm.base_fields["contact"]
    content = RegisterForm.base_fields["content"]
    form_requested = RegisterForm.base_fields["form_requested"]
