"""Forms for registering an application and for each move; labels and help are Chinese."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from fazhi.core.records import options
from fazhi.core.records.clocks import live_events
from fazhi.core.web.forms import FazhiForm, date_field, note_form
from fazhi.core.web.registry import MoveForm
from fazhi.ledgers.disclosure import actions, fees, repeats, replies, reviewing, rules
from fazhi.ledgers.disclosure.actions import OWN_MOVE_OUTCOMES
from fazhi.ledgers.disclosure.ledger import LEDGER, REVIEW_WITHHOLDING
from fazhi.ledgers.disclosure.models import (
    PERSONAL_ID_TYPES,
    ApplicantCategory,
    Channel,
    Confirmation,
    ConsultationAnswer,
    EventKind,
    FeeMethod,
    IdType,
    Outcome,
    PartyKind,
    ServiceMethod,
    WithdrawalMethod,
)
from fazhi.ledgers.disclosure.validation import infer_id_type, missing_for_registration

ID_TYPE_CHOICES = [
    ("", "——请选择——"),
    ("自然人的身份证件", [(c, label) for c, label in IdType.choices if c in PERSONAL_ID_TYPES]),
    ("法人或其他组织", [(IdType.CREDIT_CODE.value, IdType.CREDIT_CODE.label)]),
]


def service_fields() -> tuple[forms.ChoiceField, forms.DateField]:
    """How a notice was served and, when known, the day it was received (送达)."""
    return (
        forms.ChoiceField(
            label="送达方式", choices=ServiceMethod.choices, initial=ServiceMethod.IN_PERSON
        ),
        date_field(
            "送达日期",
            required=False,
            help_text="对方收到通知之日。当面、电子送达留空按通知日期；邮寄送达待签收后点“登记送达”填写签收日期，"
            "登记前按交寄后推定的日期计算（待送达）",
        ),
    )


class RegisterForm(FazhiForm):
    channel = forms.ChoiceField(label="收到方式", choices=Channel.choices)
    arrived_on = date_field(
        "到达日期",
        required=False,
        help_text="平常信函、互联网、电子邮件、传真：申请到达本机关之日；当面和邮政签收可不填",
    )
    received_on = date_field(
        "收到日期",
        help_text="当面提交为提交之日；邮政快递为签收之日；平常信函为与申请人确认之日；"
        "互联网、电子邮件、传真为双方确认之日（条例第三十一条）。答复期限自此日起算",
    )
    confirmed_via = forms.ChoiceField(
        label="确认方式",
        choices=[("", "——不适用——"), *Confirmation.choices],
        required=False,
        help_text="平常信函、互联网、电子邮件、传真须与申请人确认收到，请选择确认方式",
    )
    applicant_category = forms.ChoiceField(label="申请人类型", choices=ApplicantCategory.choices)
    applicant_name = forms.CharField(label="申请人姓名或名称", max_length=200)
    id_type = forms.ChoiceField(label="证件类型", choices=ID_TYPE_CHOICES, required=False)
    id_number = forms.CharField(
        label="证件号码",
        max_length=32,
        required=False,
        help_text="自然人填写身份证件号码（居民身份证校验校验位）；法人或其他组织填写18位统一社会信用代码（校验）",
    )
    # Required for a new registration (checked in clean()); a correction may leave it empty.
    contact = forms.CharField(
        label="联系方式", max_length=200, required=False, help_text="电话、通信地址或电子邮箱"
    )
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

    def clean(self) -> dict[str, Any]:
        """Art. 29 asks who applies (identity and contact): a new registration must have them."""
        data = super().clean()
        if self.errors:
            return data
        for missing in missing_for_registration(data):
            field = {"联系方式": "contact", "与申请人确认收到的方式": "confirmed_via"}.get(
                missing, "id_number"
            )
            self.add_error(field, f"请填写{missing}（条例第二十九条、第三十一条）")
        if data.get("id_number") and not data.get("id_type"):
            data["id_type"] = infer_id_type(data["id_number"], data["applicant_category"])
        return data


class CorrectionRequestForm(FazhiForm):
    on = date_field(
        "补正通知日期", help_text="应在收到申请之日起7个工作日内一次性告知（条例第三十条）"
    )
    items = forms.CharField(
        label="需补正的事项", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    period = forms.IntegerField(
        label="补正期限（工作日）",
        required=False,
        min_value=1,
        max_value=60,
        initial=rules.CORRECTION_PERIOD.amount,
        help_text="自申请人收到补正通知之日起计算；留空按本地默认期限",
    )
    service_method, served_on = service_fields()


class ConsultationForm(FazhiForm):
    on = date_field("发出征求意见日期")
    party_kind = forms.ChoiceField(label="征求对象", choices=PartyKind.choices)
    party = forms.CharField(label="对象名称", max_length=200)
    service_method, served_on = service_fields()
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
    on = date_field("收费通知日期", help_text="应在答复期限内发出（国办函〔2020〕109号第六条）")
    method = forms.ChoiceField(
        label="计收方式",
        choices=FeeMethod.choices,
        help_text="一件申请只能选择一种计收标准，不得同时按两种标准计算",
    )
    quantity = forms.IntegerField(
        label="数量",
        required=False,
        min_value=1,
        max_value=100000,  # keeps the fee within the 收费金额 column (10 digits)
        help_text="按量：页数。按件：留空即按台账统计的件数（见上）；填写不同件数须写明更正理由",
    )
    count_reason = forms.CharField(
        label="件数更正理由", required=False, max_length=500, help_text="仅在更正按件件数时填写"
    )
    service_method, served_on = service_fields()
    note = forms.CharField(label="说明", required=False, max_length=2000)

    @property
    def preamble(self) -> Any:  # type: ignore[override]
        """The 按件 count as the ledger gives it, with the applications counted."""
        if self.record is None:
            return ""
        counted = fees.month_count(self.record)
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> {}</li>',
            (
                (
                    reverse("web:detail", args=["disclosure", a.pk]),
                    a.number,
                    f"{a.received_on:%Y-%m-%d}",
                )
                for a in counted.records
            ),
        )
        app = self.record
        return format_html(
            "<p>按件计收的件数（台账统计）：申请人「{}」{}年{}月向本单位提出申请共 {} 件，本件为第 <strong>{}</strong> 件"
            '（同一申请人：{}）。10件以内不收费。</p><ol class="counted">{}</ol>',
            app.applicant_name,
            app.received_on.year,
            app.received_on.month,
            counted.ordinal,
            counted.ordinal,
            counted.matched_by,
            rows,
        )


class RecordServiceForm(FazhiForm):
    on = date_field("送达日期", help_text="对方收到通知之日；邮寄送达的为回执上的签收日期")
    note = forms.CharField(
        label="说明", required=False, max_length=2000, help_text="如邮件号、签收人"
    )


class FeeReliefRequestForm(FazhiForm):
    on = date_field("提请日期")
    amount = forms.DecimalField(
        label="减免后应缴金额（元）",
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        initial=Decimal(0),
        help_text="填0为申请免收",
    )
    reason = forms.CharField(
        label="减免理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class FeeWaiveForm(FazhiForm):
    on = date_field("批准日期")
    reason = forms.CharField(
        label="免收理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class FeeReduceForm(FazhiForm):
    on = date_field("批准日期")
    amount = forms.DecimalField(
        label="减收后应缴金额（元）", min_value=Decimal("0.01"), max_digits=10, decimal_places=2
    )
    reason = forms.CharField(
        label="减收理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


def repeats_markup(app: Any) -> Any:
    """The applicant's earlier alike applications, each linked, with the reply it got; "" when
    there are none."""
    found = repeats.earlier_similar(app)
    if not found:
        return ""
    rows = format_html_join(
        "",
        '<li><a href="{}">{}</a></li>',
        (
            (reverse("web:detail", args=["disclosure", m.item.pk]), repeats.describe(m))
            for m in found
        ),
    )
    return format_html(
        '<div class="repeats"><p>该申请人此前向本单位提出过内容相近的申请 {} 件（按申请人及内容比对，仅供参考）。'
        "如属重复申请公开相同政府信息，可答复“不予处理 · 重复申请”（条例第三十六条第（六）项）：</p>"
        "<ol>{}</ol></div>",
        len(found),
        rows,
    )


class ReplyForm(FazhiForm):
    on = date_field("答复日期")
    outcome = forms.ChoiceField(
        label="办理结果",
        choices=[("", "—— 请选择 ——"), *replies.grouped_choices(exclude=OWN_MOVE_OUTCOMES)],
    )
    withheld = forms.CharField(
        label="不予公开的部分",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=replies.TEXT_LIMITS["withheld"],
        help_text="仅部分公开时填写：写明不予公开的内容（条例第三十七条）",
    )
    reasons = forms.CharField(
        label="理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=replies.TEXT_LIMITS["reasons"],
        help_text="部分公开、不予公开、无法提供、不予处理的，必须说明理由（条例第三十六条）",
    )
    basis = forms.CharField(
        label="法律依据",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=replies.TEXT_LIMITS["basis"],
        help_text="选择办理结果后自动给出，可以修改；留空按办理结果的默认依据",
    )
    competent_body = forms.CharField(
        label="负责公开的机关",
        required=False,
        max_length=replies.TEXT_LIMITS["competent_body"],
        help_text="不属于本机关负责公开、能够确定负责机关的，写明其名称（条例第三十六条第（五）项）",
    )
    competent_contact = forms.CharField(
        label="该机关联系方式", required=False, max_length=replies.TEXT_LIMITS["competent_contact"]
    )
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

        if self.record is not None and not self.is_bound:
            # The draft a 审核员 approved goes out as approved: start from it.
            approved = reviewing.approved_draft(live_events(self.record.events.all()))
            for key, value in (approved or {}).items():
                self.initial.setdefault(key, value)

    @property
    def preamble(self) -> Any:  # type: ignore[override]
        if self.record is None:
            return ""
        return format_html("{}{}", review_markup(self.record), repeats_markup(self.record))


def review_markup(app: Any) -> Any:
    """Where the reply's review stands, and whether this unit requires one."""
    found = reviewing.submitted_draft(live_events(app.events.all()))
    required = options.value(LEDGER, app.unit, REVIEW_WITHHOLDING.key)
    rule = (
        "按本单位设置，部分公开、不予公开、无法提供、不予处理的答复须经审核员审核通过后发出。"
        if required
        else ""
    )
    if found is None:
        return format_html('<p class="hint">{}</p>', rule) if rule else ""
    submitted, decision = found
    if decision is None:
        state = f"答复稿已于 {submitted.on:%Y-%m-%d} 提交审核，等待审核员审核。"
    elif decision.kind == EventKind.REPLY_APPROVED:
        state = f"答复稿已于 {decision.on:%Y-%m-%d} 审核通过，以下按审核通过的内容填写。"
    else:
        state = f"答复稿已于 {decision.on:%Y-%m-%d} 被退回修改：{decision.note}"
    return format_html('<p class="note">{}{}</p>', rule, state)


class SubmitReplyForm(ReplyForm):
    """The reply's draft, for a 审核员; checked as the reply itself is."""

    on = date_field("提交审核日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].label = "送审说明"


class ReturnReplyForm(FazhiForm):
    on = date_field("审核日期")
    reason = forms.CharField(
        label="退回修改意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ApproveReplyForm(FazhiForm):
    on = date_field("审核日期")
    note = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    @property
    def preamble(self) -> Any:  # type: ignore[override]
        """The draft being approved, as the timeline shows it."""
        if self.record is None:
            return ""
        found = reviewing.submitted_draft(live_events(self.record.events.all()))
        if found is None:
            return ""
        d = found[0].data
        rows = [("办理结果", Outcome(d["outcome"]).label)] + [
            (label, d[key])
            for key, label in (
                ("withheld", "不予公开的部分"),
                ("reasons", "理由"),
                ("basis", "法律依据"),
                ("competent_body", "负责公开的机关"),
                ("competent_contact", "联系方式"),
            )
            if d.get(key)
        ]
        return format_html(
            '<dl class="fields">{}</dl>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
        )


class WithdrawForm(FazhiForm):
    on = date_field("撤回日期", help_text="申请人提出撤回的日期")
    how = forms.ChoiceField(
        label="撤回方式", choices=[("", "—— 请选择 ——"), *WithdrawalMethod.choices]
    )
    note = forms.CharField(
        label="说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="如撤回申请书的收到情况；口头、电话撤回的，记录经办人和确认方式",
    )


MOVE_FORMS: dict[str, MoveForm] = {
    "reply": MoveForm(ReplyForm, actions.reply),
    "submit_reply": MoveForm(SubmitReplyForm, actions.submit_reply),
    "approve_reply": MoveForm(ApproveReplyForm, actions.approve_reply),
    "return_reply": MoveForm(ReturnReplyForm, actions.return_reply),
    "withdraw": MoveForm(WithdrawForm, actions.withdraw),
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
    "record_service": MoveForm(RecordServiceForm, actions.record_service),
    "request_fee_relief": MoveForm(FeeReliefRequestForm, actions.request_fee_relief),
    "waive_fee": MoveForm(FeeWaiveForm, actions.waive_fee),
    "reduce_fee": MoveForm(FeeReduceForm, actions.reduce_fee),
    "refuse_fee_relief": MoveForm(RefuseExtensionForm, actions.refuse_fee_relief),
    "record_payment": MoveForm(note_form("缴费日期"), actions.record_payment),
    "close_unpaid": MoveForm(note_form("办结日期"), actions.close_unpaid),
}


class CorrectForm(FazhiForm):
    """What a clerk may correct after registering (a typo, a wrong date), with a reason."""

    channel = RegisterForm.base_fields["channel"]
    arrived_on = RegisterForm.base_fields["arrived_on"]
    received_on = RegisterForm.base_fields["received_on"]
    confirmed_via = RegisterForm.base_fields["confirmed_via"]
    applicant_category = RegisterForm.base_fields["applicant_category"]
    applicant_name = RegisterForm.base_fields["applicant_name"]
    id_type = RegisterForm.base_fields["id_type"]
    id_number = RegisterForm.base_fields["id_number"]
    contact = RegisterForm.base_fields["contact"]
    content = RegisterForm.base_fields["content"]
    form_requested = RegisterForm.base_fields["form_requested"]
