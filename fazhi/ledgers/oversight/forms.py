"""Forms of the two ledgers: registering, each move, corrections; labels are Chinese."""

from __future__ import annotations

from typing import Any

from django import forms

from fazhi.core.web.forms import FazhiForm, date_field, note_form
from fazhi.core.web.registry import MoveForm
from fazhi.ledgers.oversight import actions
from fazhi.ledgers.oversight.linking import linkable
from fazhi.ledgers.oversight.models import DutyKind, Source
from fazhi.ledgers.oversight.validation import MAX_ATTENDANCE

NUMBER_HELP = "留空自动编号"


def _text(label: str, max_length: int, required: bool = True, **kw: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, **kw)


def _area(
    label: str, max_length: int, required: bool = True, rows: int = 3, **kw: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kw,
    )


# --- 第一责任人履职记录 ------------------------------------------------------------------------


class DutyCorrectForm(FazhiForm):
    held_on = date_field("履职日期")
    leader = _text("第一责任人姓名", 50)
    post = _text("职务", 100, help_text="本单位党政主要负责人，如 党工委书记、办事处主任、区长")
    subject = _text("事由", 300, help_text="如 党工委会议专题研究法治政府建设工作")
    details = _area("具体情况", 5000, required=False, rows=4)
    attendance = forms.IntegerField(
        label="参加人数",
        required=False,
        min_value=1,
        max_value=MAX_ATTENDANCE,
        help_text="会议、述法、带头学法填写；其他留空",
        error_messages={
            "invalid": "请输入整数",
            "min_value": "参加人数至少为1人",
            "max_value": f"参加人数超过{MAX_ATTENDANCE}，请核对",
        },
    )
    case_number = _text(
        "案号",
        100,
        required=False,
        help_text="出庭应诉必填，如（2026）沪0105行初123号；行政诉讼台账建成后改为关联案件",
    )


class DutyForm(DutyCorrectForm):
    kind = forms.ChoiceField(label="履职类别", choices=DutyKind.choices)
    linked_slug = forms.ChoiceField(
        label="关联记录所在台账",
        required=False,
        choices=lambda: [("", "（无）"), *linkable()],
        help_text="如 带头学法已登记在“学法与考试”台账的，选择该台账",
    )
    linked_number = _text(
        "关联记录编号", 64, required=False, help_text="该台账中记录的编号，如 XF-2026-0003"
    )
    number = _text("履职记录编号", 64, required=False, help_text=NUMBER_HELP)

    field_order = ["held_on", "leader", "post", "kind"]


DUTY_MOVE_FORMS: dict[str, MoveForm] = {
    "confirm": MoveForm(note_form("确认日期"), actions.confirm),
}

# --- 督察整改事项 ------------------------------------------------------------------------------


class RectifyCorrectForm(FazhiForm):
    source = forms.ChoiceField(label="问题来源", choices=Source.choices)
    source_doc = _text("反馈文件文号", 100, required=False, help_text="如 区法督〔2026〕3号")
    fed_back_on = date_field("反馈日期")
    problem = _area("问题", 2000)
    measures = _area("整改措施", 5000, rows=4)
    department = _text("责任部门", 100)
    owner = _text("责任人", 50)


class RectifyForm(RectifyCorrectForm):
    deadline = date_field("整改时限", help_text="反馈意见或整改方案确定的完成时限")
    number = _text("整改事项编号", 64, required=False, help_text=NUMBER_HELP)


class EvidenceForm(FazhiForm):
    on = date_field("完成日期")
    evidence = _area(
        "整改成效及佐证材料",
        5000,
        rows=4,
        help_text="写明整改结果和佐证材料（文件、照片可在本事项页面上传为附件）",
        error_messages={"required": "请填写整改成效及佐证材料"},
    )
    note = _area("说明", 2000, required=False)


class OngoingForm(EvidenceForm):
    on = date_field("销号日期")


class ExtendForm(FazhiForm):
    on = date_field("批准延期日期")
    deadline = date_field("延长后的整改时限")
    reason = _area("延期理由", 2000, error_messages={"required": "请填写延期理由"})


RECTIFY_MOVE_FORMS: dict[str, MoveForm] = {
    "start": MoveForm(note_form("开始整改日期"), actions.start),
    "complete": MoveForm(EvidenceForm, actions.complete),
    "ongoing": MoveForm(OngoingForm, actions.ongoing),
    "extend": MoveForm(ExtendForm, actions.extend),
}
