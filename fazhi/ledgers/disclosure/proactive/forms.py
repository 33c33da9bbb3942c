"""Forms for registering an entry, publishing it and correcting it; Chinese labels and help."""

from __future__ import annotations

from django import forms

from fazhi.core.web.forms import FazhiForm, date_field
from fazhi.core.web.registry import MoveForm
from fazhi.ledgers.disclosure.proactive import actions
from fazhi.ledgers.disclosure.proactive.models import (
    Category,
    ChangeKind,
    DocAction,
    PublicationChannel,
    Table2Kind,
)

CHANNEL_CHOICES = [("", "—— 请选择 ——"), *PublicationChannel.choices]


class RegisterForm(FazhiForm):
    title = forms.CharField(label="名称", max_length=300)
    doc_number = forms.CharField(label="文号", max_length=100, required=False)
    category = forms.ChoiceField(
        label="类别",
        choices=[("", "—— 请选择 ——"), *Category.choices],
        help_text="条例第二十条规定的各项，乡镇、县级政府另有第二十一条规定的信息",
    )
    summary = forms.CharField(
        label="内容概述",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="列入政府信息公开目录（条例第十二条）",
    )
    change_kind = forms.ChoiceField(label="形成或变更", choices=ChangeKind.choices)
    made_on = date_field(
        "形成（变更）日期",
        help_text="政府信息形成或者变更之日；应自此日起20个工作日内公开（条例第二十六条）",
    )
    table2_kind = forms.ChoiceField(
        label="年报表二统计项",
        required=False,
        choices=[("", "不计入年报表二"), *Table2Kind.choices],
        help_text="第（一）项的规章、规范性文件，第（五）（六）项的许可、处罚、强制决定，第（八）项的收费",
    )
    doc_action = forms.ChoiceField(
        label="制发或废止",
        required=False,
        choices=[("", "——"), *DocAction.choices],
        help_text="规章、规范性文件填写",
    )
    quantity = forms.IntegerField(
        label="处理决定数量",
        required=False,
        min_value=0,
        max_value=1_000_000,
        help_text="许可、处罚、强制条目所公开的处理决定件数",
    )
    amount = forms.DecimalField(
        label="收费金额（元）",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="行政事业性收费条目填写",
    )
    published_on = date_field(
        "公开日期", required=False, help_text="已公开的填写；留空表示待公开，可稍后登记公开"
    )
    channel = forms.ChoiceField(label="公开途径", required=False, choices=CHANNEL_CHOICES)
    location = forms.CharField(
        label="公开位置", required=False, max_length=300, help_text="网址或栏目名称"
    )
    number = forms.CharField(
        label="索引号",
        max_length=64,
        required=False,
        help_text="留空自动编号，如 999101001/2026-00001",
    )


class PublishForm(FazhiForm):
    on = date_field("公开日期")
    channel = forms.ChoiceField(label="公开途径", choices=CHANNEL_CHOICES)
    location = forms.CharField(
        label="公开位置", required=False, max_length=300, help_text="网址或栏目名称"
    )
    note = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


MOVE_FORMS: dict[str, MoveForm] = {"publish": MoveForm(PublishForm, actions.publish)}


class CorrectForm(FazhiForm):
    """What may be corrected after registering; publication facts are undone and made again."""

    title = RegisterForm.base_fields["title"]
    doc_number = RegisterForm.base_fields["doc_number"]
    category = RegisterForm.base_fields["category"]
    summary = RegisterForm.base_fields["summary"]
    change_kind = RegisterForm.base_fields["change_kind"]
    made_on = RegisterForm.base_fields["made_on"]
    table2_kind = RegisterForm.base_fields["table2_kind"]
    doc_action = RegisterForm.base_fields["doc_action"]
    quantity = RegisterForm.base_fields["quantity"]
    amount = RegisterForm.base_fields["amount"]
