"""Forms of the 人民调解 ledger: registering, each move, child rows; labels are Chinese."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from fazhi.core.records.clocks import live_events
from fazhi.core.web.forms import FazhiForm, date_field, note_form
from fazhi.core.web.registry import MoveForm
from fazhi.ledgers.mediation import actions
from fazhi.ledgers.mediation.models import (
    Committee,
    CommitteeKind,
    CommitteeStatus,
    CourtResult,
    Disposal,
    DisputeType,
    EventKind,
    Gender,
    Mediator,
    MediatorRole,
    PartyKind,
    Performance,
    Route,
    SessionResult,
    Source,
)


def _note(label: str = "说明", required: bool = False, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=5000,
    )


def _party_fields(n: int, label: str) -> dict[str, forms.Field]:
    return {
        f"p{n}_kind": forms.ChoiceField(label=f"{label}类型", choices=PartyKind.choices),
        f"p{n}_name": forms.CharField(label=f"{label}姓名或名称", max_length=100),
        f"p{n}_id_number": forms.CharField(
            label=f"{label}身份证号/统一社会信用代码", max_length=32, required=False
        ),
        f"p{n}_contact": forms.CharField(label=f"{label}联系方式", max_length=50, required=False),
        f"p{n}_address": forms.CharField(label=f"{label}住址", max_length=200, required=False),
    }


class _CaseBase(FazhiForm):
    received_on = date_field("受理日期")
    source = forms.ChoiceField(label="纠纷来源", choices=Source.choices)
    origin_ref = forms.CharField(
        label="移交单位及文号/原记录编号",
        max_length=100,
        required=False,
        help_text="信访、12345 移交的，填写原记录编号（本系统中的记录将自动关联）",
    )
    dispute_type = forms.ChoiceField(label="纠纷类型", choices=DisputeType.choices)
    summary = _note("纠纷简要情况", required=True, rows=4)


RegisterForm = type(
    "RegisterForm",
    (_CaseBase,),
    {
        **_party_fields(1, "申请人（一方当事人）"),
        **_party_fields(2, "对方当事人"),
        "number": forms.CharField(
            label="调解编号", max_length=64, required=False, help_text="留空自动编号"
        ),
    },
)


class CorrectForm(FazhiForm):
    received_on = _CaseBase.base_fields["received_on"]
    dispute_type = _CaseBase.base_fields["dispute_type"]
    summary = _CaseBase.base_fields["summary"]
    origin_ref = _CaseBase.base_fields["origin_ref"]


def register_case(**data: Any) -> Any:
    """The register form's flat fields → the action's parties."""
    parties = [
        {
            key: data.pop(f"p{n}_{key}", "")
            for key in ("kind", "name", "id_number", "contact", "address")
        }
        for n in (1, 2)
    ]
    return actions.register(parties=parties, **data)


class _CommitteeChoice(FazhiForm):
    """A committee of the record's unit and one of its mediators (never a recused one)."""

    def __init__(self, *args: Any, record: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, record=record, **kwargs)
        if record is None:
            return
        committees = Committee.objects.filter(unit_id=record.unit_id, status=CommitteeStatus.ACTIVE)
        if not committees.exists():
            self.unavailable = format_html(
                "{}尚未登记在任的人民调解委员会，不能办理本件。请先"
                '<a href="{}">登记人民调解委员会</a>（三至九名委员，第八条），再回到本页。',
                record.unit.name,
                reverse("web:new", args=["mediation_committees"]),
            )
        self.fields["committee"] = forms.ModelChoiceField(
            label="调解组织", queryset=committees, initial=record.committee_id
        )
        # A mediator who stepped aside in this case (Art. 20) is not offered again.
        recused = actions.recused_ids(live_events(record.events.filter(kind=EventKind.RECUSED)))
        mediators = (
            Mediator.objects.filter(record__in=committees, removed_at__isnull=True)
            .exclude(pk__in=recused)
            .select_related("record")
        )
        if "mediator" in self.fields:
            field = forms.ModelChoiceField(
                label="调解员",
                queryset=mediators,
                required=self.fields["mediator"].required,
            )
            field.label_from_instance = lambda m: f"{m.record.name} · {m}"  # type: ignore[method-assign,assignment]
            self.fields["mediator"] = field
        self.order_fields(["on", "committee", "mediator"])


class AssignForm(_CommitteeChoice):
    on = date_field("指派日期")
    mediator = forms.CharField(label="调解员")
    note = _note()


class TakeOverForm(_CommitteeChoice):
    on = date_field("受理日期", help_text="一个月的调结目标期限自上级受理之日重新计算")
    mediator = forms.CharField(label="调解员", required=False)
    note = _note()


class RecuseForm(FazhiForm):
    on = date_field("回避日期")
    mediator = forms.CharField(label="回避的调解员")
    reason = forms.ChoiceField(
        label="回避原因", choices=[("", "—— 请选择 ——"), *actions.RECUSAL_REASONS.items()]
    )
    note = _note("情况说明")

    def __init__(self, *args: Any, record: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, record=record, **kwargs)
        if record is not None:
            recused = actions.recused_ids(live_events(record.events.filter(kind=EventKind.RECUSED)))
            self.fields["mediator"] = forms.ModelChoiceField(
                label="回避的调解员",
                queryset=Mediator.objects.filter(
                    record_id=record.committee_id, removed_at__isnull=True
                ).exclude(pk__in=recused),
            )
            self.order_fields(["on", "mediator", "reason", "note"])


class AgreementForm(FazhiForm):
    on = date_field(
        "协议生效日期", help_text="各方签名、盖章或按指印，调解员签名并加盖调委会印章之日"
    )
    agreement = _note("协议内容", required=True, rows=6)


class OralForm(FazhiForm):
    on = date_field("达成协议日期")
    agreement = _note("口头协议内容（调解员记录）", required=True, rows=5)


class FailForm(FazhiForm):
    on = date_field("终止调解日期")
    routes = forms.MultipleChoiceField(
        label="已告知当事人的其他途径",
        choices=Route.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": actions.ROUTES_REQUIRED},
        help_text="第二十六条：告知当事人可依法通过仲裁、行政、司法等途径维护自己的权利",
    )
    note = _note("终止原因")


class RefuseForm(FazhiForm):
    on = date_field("拒绝日期")
    party = forms.CharField(label="拒绝调解的当事人", max_length=100)
    note = _note()


class ConfirmationForm(FazhiForm):
    on = date_field("申请日期")
    court = forms.CharField(label="人民法院", max_length=100)
    note = _note()


class RulingForm(FazhiForm):
    on = date_field("裁定日期")
    result = forms.ChoiceField(label="裁定结果", choices=CourtResult.choices)
    note = _note()


class FollowUpForm(FazhiForm):
    on = date_field("回访日期")
    performance = forms.ChoiceField(label="协议履行情况", choices=Performance.choices)
    note = _note("回访情况")


class PartyForm(FazhiForm):
    kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices)
    name = forms.CharField(label="姓名或名称", max_length=100)
    id_number = forms.CharField(label="身份证号/统一社会信用代码", max_length=32, required=False)
    contact = forms.CharField(label="联系方式", max_length=50, required=False)
    address = forms.CharField(label="住址", max_length=200, required=False)


class SessionForm(FazhiForm):
    on = date_field("调解日期")
    place = forms.CharField(label="调解地点", max_length=100)
    present = forms.CharField(label="参加人员", max_length=300)
    content = _note("调解经过", required=True, rows=4)
    result = forms.ChoiceField(label="本次结果", choices=SessionResult.choices)


CASE_MOVE_FORMS: dict[str, MoveForm] = {
    "assign": MoveForm(AssignForm, actions.assign),
    "recuse": MoveForm(RecuseForm, actions.recuse),
    "written": MoveForm(AgreementForm, actions.written_agreement),
    "oral": MoveForm(OralForm, actions.oral_agreement),
    "fail": MoveForm(FailForm, actions.fail),
    "refuse": MoveForm(RefuseForm, actions.refuse),
    "hand_up": MoveForm(note_form("上报日期"), actions.hand_up),
    "take_over": MoveForm(TakeOverForm, actions.take_over),
    "apply_confirmation": MoveForm(ConfirmationForm, actions.apply_confirmation),
    "rule_confirmation": MoveForm(RulingForm, actions.rule_confirmation),
    "follow_up": MoveForm(FollowUpForm, actions.follow_up),
}

# --- committees -------------------------------------------------------------------------------


class CommitteeForm(FazhiForm):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=CommitteeKind.choices)
    field_of_work = forms.CharField(
        label="专业领域", max_length=100, required=False, help_text="行业性专业性调委会填写"
    )
    term_start = date_field("本届起始日期", help_text="每届任期三年（第九条）")
    members = forms.CharField(
        label="委员",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=1000,
        help_text="每行一人，写“姓名 性别”，第一行为主任；共三至九人（第八条）",
    )
    number = forms.CharField(label="编号", max_length=64, required=False, help_text="留空自动编号")


class CommitteeCorrectForm(FazhiForm):
    name = CommitteeForm.base_fields["name"]
    field_of_work = CommitteeForm.base_fields["field_of_work"]
    term_start = CommitteeForm.base_fields["term_start"]


class MediatorForm(FazhiForm):
    name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="职务", choices=MediatorRole.choices)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    minority = forms.BooleanField(label="少数民族", required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)


COMMITTEE_MOVE_FORMS: dict[str, MoveForm] = {
    "renew": MoveForm(note_form("换届日期"), actions.renew),
    "dissolve": MoveForm(note_form("撤销日期"), actions.dissolve),
}

# --- 排查 -------------------------------------------------------------------------------------


class ScreeningForm(FazhiForm):
    held_on = date_field("排查日期")
    scope = forms.CharField(
        label="排查范围", max_length=200, help_text="如 东湖社区全体楼栋、辖区建筑工地"
    )
    staff = forms.CharField(label="排查人员", max_length=200)
    summary = _note("排查情况", rows=3)
    number = forms.CharField(
        label="排查编号", max_length=64, required=False, help_text="留空自动编号"
    )


class ScreeningCorrectForm(FazhiForm):
    held_on = ScreeningForm.base_fields["held_on"]
    scope = ScreeningForm.base_fields["scope"]
    staff = ScreeningForm.base_fields["staff"]
    summary = ScreeningForm.base_fields["summary"]


class FindingForm(FazhiForm):
    description = forms.CharField(label="纠纷情况", max_length=500)
    dispute_type = forms.ChoiceField(label="纠纷类型", choices=DisputeType.choices)
    disposal = forms.ChoiceField(label="处置", choices=Disposal.choices)
    case_number = forms.CharField(
        label="调解案件编号", max_length=64, required=False, help_text="转为调解案件的填写"
    )
    note = forms.CharField(label="备注", max_length=500, required=False)


class ConcludeForm(FazhiForm):
    on = date_field("完成日期")
    summary = _note("排查情况小结")


SCREENING_MOVE_FORMS: dict[str, MoveForm] = {
    "conclude": MoveForm(ConcludeForm, actions.conclude_screening),
}
