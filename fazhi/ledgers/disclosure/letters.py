"""The letters the disclosure ledger sends (条例 Arts. 30, 32–34, 36–37, 42; 国办函〔2020〕109号),
declared to the letters kit (`fazhi.core.letters`): each says what the statute requires —
the items to correct and the deadline; the 15 工作日 to answer a consultation; the length and
the new due date of an extension; the amount, basis, how to pay and the 20 工作日 of a fee
notice; the outcome, reasons, legal basis and remedies of every reply.

The default templates in `templates/letters/` are built from `title` and `body` below by
`scripts/make-letter-templates`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from fazhi.core.calendar.service import get_calendar
from fazhi.core.deadlines.clock import compute
from fazhi.core.letters.registry import Field, LetterBook, LetterKind, ProfileField
from fazhi.core.records.clocks import derive, live_events
from fazhi.core.reports.document import chinese_date
from fazhi.ledgers.disclosure import clocks, replies, rules, service
from fazhi.ledgers.disclosure.models import EventKind, FeeMethod, Outcome

E = EventKind
TEMPLATES = Path(__file__).resolve().parent / "templates" / "letters"
REG = replies.REGULATION

PROFILE = (
    ProfileField(replies.REVIEW_BODY, "每份答复告知的行政复议机关，如“示例区人民政府”", replies.DEFAULT_REVIEW_BODY),
    ProfileField(replies.COURT, "每份答复告知的管辖法院，如“示例区人民法院”", replies.DEFAULT_COURT),
    ProfileField("联系电话", "告知书末尾的联系电话；留空则不写联系方式"),
    ProfileField("联系地址", "告知书末尾的联系地址"),
    ProfileField("缴费方式", "收费通知书中的缴费方式（地点、账户等）", "请持本通知书到本机关缴纳，本机关出具财政票据"),
)  # fmt: skip

APPLICATION = (
    Field("申请人", "申请人姓名或者名称", True, "张三"),
    Field("申请编号", "本单位的申请编号", False, "YSQ-2026-0012"),
    Field("收到日期", "收到申请之日，如 2026年3月2日", False, "2026年3月2日"),
    Field("申请内容", "申请公开的政府信息的名称或描述", False, "2025年辖区老旧小区改造项目清单"),
)
CONTACT = (
    "{%p if 联系电话 %}",
    "（联系电话：{{ 联系电话 }}{% if 联系地址 %}；联系地址：{{ 联系地址 }}{% endif %}）",
    "{%p endif %}",
)
OPENING = (
    "<{{ 申请人 }}：",
    "本机关于{{ 收到日期 }}收到您提出的政府信息公开申请（申请编号：{{ 申请编号 }}），"
    "申请公开“{{ 申请内容 }}”。",
)


def _application(app: Any) -> dict[str, str]:
    return {
        "申请人": app.applicant_name,
        "申请编号": app.number,
        "收到日期": chinese_date(app.received_on),
        "申请内容": app.content,
    }


def _iso_zh(value: Any) -> str:
    try:
        return chinese_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return ""


# --- 补正告知书 ---------------------------------------------------------------------------------


def _correction(app: Any, event: Any, profile: Mapping[str, str]) -> dict[str, str]:
    """The period as the applicant can act on it: the last day when the notice names one or the
    applicant received it on the spot; otherwise the period from receipt (a letter by post)."""
    data = event.data or {}
    last = _iso_zh(data.get("deadline"))
    period = int(data.get("period") or rules.CORRECTION_PERIOD.amount)
    if not last and (data.get("served_on") or data.get("service_method") in service.SAME_DAY):
        received = dt.date.fromisoformat(str(data.get("served_on") or event.on.isoformat()))
        last = chinese_date(compute(rules.correction_period(period), received, get_calendar()).due)
    return {
        **_application(app),
        "补正事项": str(data.get("items") or event.note),
        "补正期限": last,
        "补正时限": f"于{last}前" if last else f"自收到本告知书之日起{period}个工作日内",
    }


CORRECTION = LetterKind(
    "correction_notice",
    "补正告知书",
    frozenset({E.CORRECTION_REQUESTED}),
    (
        *APPLICATION,
        Field(
            "补正事项", "需要补正的全部事项（一次性告知）", True, "请写明所需信息的文号或形成时间"
        ),
        Field(
            "补正期限",
            "申请人补正的最后一天（邮寄等尚不知收到日期的，为空）",
            False,
            "2026年3月24日",
        ),
        Field(
            "补正时限",
            "补正的时限：“于2026年3月24日前”，或“自收到本告知书之日起15个工作日内”",
            True,
            "于2026年3月24日前",
        ),
    ),
    _correction,
    "政府信息公开申请补正告知书",
    (
        *OPENING,
        "经审查，您的申请内容不够明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，"
        "请您对以下内容作出补正：",
        "{{ 补正事项 }}",
        "请您{{ 补正时限 }}向本机关提交补正后的申请，答复期限自本机关收到补正后的申请之日起计算。"
        "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
        "特此告知。",
        *CONTACT,
    ),
)


# --- 征求意见书 ---------------------------------------------------------------------------------

_CONSULT_WHY = {
    "third_party": "经审查，公开该信息可能损害你方的合法权益。根据"
    f"{REG}第三十二条的规定，现书面征求你方意见。",
    "co_author": f"该信息系本机关与你单位共同制作。根据{REG}第三十四条的规定，现征求你单位意见。",
}
_CONSULT_WHY_OTHER = f"根据{REG}第三十三条第三款的规定，现就是否公开该信息征求你单位意见。"
_CONSULT_PERIOD = {
    "third_party": "请你方自收到本征求意见书之日起15个工作日内书面提出意见，并说明理由。"
    "逾期未提出意见的，由本机关依照条例的规定决定是否公开。",
    "co_author": "请你单位自收到本征求意见书之日起15个工作日内提出意见；逾期未提出意见的，视为同意公开。",
}
_CONSULT_PERIOD_OTHER = "请你单位自收到本征求意见书之日起15个工作日内提出意见。"


def _consultation(app: Any, event: Any, profile: Mapping[str, str]) -> dict[str, str]:
    kind = str(event.data.get("party_kind") or "third_party")
    return {
        "申请编号": app.number,
        "收到日期": chinese_date(app.received_on),
        "申请内容": app.content,
        "征求对象": str(event.data.get("party") or ""),
        "征求理由": _CONSULT_WHY.get(kind, _CONSULT_WHY_OTHER),
        "意见期限说明": _CONSULT_PERIOD.get(kind, _CONSULT_PERIOD_OTHER),
        "说明": event.note,
    }


CONSULTATION = LetterKind(
    "consultation",
    "征求意见书",
    frozenset({E.CONSULTATION_STARTED}),
    (
        *APPLICATION[1:],
        Field("征求对象", "第三方或其他机关的名称", True, "某某置业有限公司"),
        Field(
            "征求理由",
            "征求意见的理由和条款（第三方：第三十二条；共同制作机关：第三十四条）",
            False,
        ),
        Field("意见期限说明", "提出意见的期限（15个工作日）及逾期的后果", True),
        Field("说明", "办理人填写的说明", False),
    ),
    _consultation,
    "政府信息公开征求意见书",
    (
        "<{{ 征求对象 }}：",
        "本机关于{{ 收到日期 }}收到政府信息公开申请（申请编号：{{ 申请编号 }}），"
        "申请公开“{{ 申请内容 }}”。{{ 征求理由 }}",
        "{{ 意见期限说明 }}",
        "{%p if 说明 %}",
        "{{ 说明 }}",
        "{%p endif %}",
        *CONTACT,
    ),
)


# --- 延期答复告知书 -------------------------------------------------------------------------------


def _extension(app: Any, event: Any, profile: Mapping[str, str]) -> dict[str, str]:
    events = live_events(app.events.all())
    cal = get_calendar()
    before = [e for e in events if e.pk != event.pk]
    original = derive(clocks.REPLY, app, before, cal, event.on)
    extended = derive(clocks.REPLY, app, events, cal, event.on)
    return {
        **_application(app),
        "延期理由": event.note,
        "延长工作日数": str(event.data.get("amount") or ""),
        "原答复期限": chinese_date(original[0].due) if original else "",
        "延长后答复期限": chinese_date(extended[0].due) if extended else "",
    }


EXTENSION = LetterKind(
    "extension",
    "延期答复告知书",
    frozenset({E.EXTENDED}),
    (
        *APPLICATION,
        Field("延期理由", "需要延长答复期限的理由", True, "所需信息涉及多个部门，需要调取档案"),
        Field("延长工作日数", "负责人批准延长的工作日数（不超过20）", True, "15"),
        Field("原答复期限", "延期前的答复期限", False, "2026年3月30日"),
        Field("延长后答复期限", "延期后的答复期限", True, "2026年4月21日"),
    ),
    _extension,
    "政府信息公开申请延期答复告知书",
    (
        *OPENING,
        "因{{ 延期理由 }}，本机关不能在法定期限内作出答复。",
        "根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，"
        "答复期限延长{{ 延长工作日数 }}个工作日，由{{ 原答复期限 }}延长至{{ 延长后答复期限 }}。"
        "本机关将在延长后的期限内作出答复。",
        "特此告知。",
        *CONTACT,
    ),
)


# --- 收费通知书 ---------------------------------------------------------------------------------

_FEE_BASIS = {
    FeeMethod.PER_ITEM: "《政府信息公开信息处理费管理办法》第四条（按件计收）",
    FeeMethod.PER_PAGE: "《政府信息公开信息处理费管理办法》第五条（按量计收）",
}


def _money(value: Any) -> str:
    try:
        return f"{Decimal(str(value)):.2f}"
    except (InvalidOperation, ValueError):
        return ""


def _fee(app: Any, event: Any, profile: Mapping[str, str]) -> dict[str, str]:
    method = str(event.data.get("method") or "")
    quantity = event.data.get("quantity", "")
    counted = f"本月第{quantity}件" if method == FeeMethod.PER_ITEM else f"共{quantity}页"
    return {
        **_application(app),
        "计收方式": FeeMethod(method).label if method in FeeMethod.values else "",
        "计收数量": counted,
        "计收依据": _FEE_BASIS.get(method, "《政府信息公开信息处理费管理办法》"),  # type: ignore[call-overload]
        "收费金额": _money(event.data.get("amount")),
    }


FEE = LetterKind(
    "fee_notice",
    "收费通知书",
    frozenset({E.FEE_NOTICE}),
    (
        *APPLICATION,
        Field("计收方式", "按件计收或按量计收（只能选择一种）", True, "按量计收"),
        Field("计收数量", "按件：本月第几件；按量：页数", False, "共120页"),
        Field("计收依据", "《政府信息公开信息处理费管理办法》的条款", True),
        Field("收费金额", "应缴金额（元）", True, "1100.00"),
    ),
    _fee,
    "政府信息公开信息处理费收费通知书",
    (
        *OPENING,
        "根据《中华人民共和国政府信息公开条例》第四十二条和{{ 计收依据 }}的规定，本机关决定对该申请收取信息处理费。",
        "计收方式：{{ 计收方式 }}（{{ 计收数量 }}）；应缴金额：人民币{{ 收费金额 }}元。",
        "缴费方式：{{ 缴费方式 }}",
        "请您自收到本通知书次日起20个工作日内缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。",
        "特此通知。",
        *CONTACT,
    ),
)


# --- 答复告知书 ---------------------------------------------------------------------------------

REPLY_FIELDS = (
    *APPLICATION,
    Field("办理结果", "年报表三的办理结果，如 属于四类过程性信息", False, "属于四类过程性信息"),
    Field("答复说明", "办理人填写的答复要点（获取方式、时间等）", False),
    Field("救济途径", "行政复议和行政诉讼的期限和机关（单位设置）", True),
)
REASONED = (
    Field("理由", "不予公开、无法提供、不予处理的理由", True, "该信息为内部讨论记录"),
    Field(
        "法律依据",
        "答复的法律依据（按办理结果自动给出，办理人可修改）",
        True,
        f"{REG}第十六条第二款",
    ),
)
REMEDIES = ("{{ 救济途径 }}", "特此告知。", *CONTACT)

_CLOSING_TEXT = {
    Outcome.OTHER_1: "本机关已于{notice}向您发出补正告知书，您无正当理由未在补正期限内补正，视为放弃申请。"
    "本机关不再处理该政府信息公开申请。",
    Outcome.OTHER_2: "本机关已于{notice}向您发出收费通知书，您未在规定期限内缴纳信息处理费，视为放弃申请。"
    "本机关不再处理该政府信息公开申请。",
}


def _notice_date(events: Sequence[Any], kind: str) -> str:
    found = [e for e in events if e.kind == kind and e.undone_at is None]
    return chinese_date(found[-1].on) if found else ""


def _reply(app: Any, event: Any, profile: Mapping[str, str]) -> dict[str, str]:
    data = event.data or {}
    outcome = str(data.get("outcome") or app.outcome)
    values = {
        **_application(app),
        "办理结果": Outcome(outcome).label if outcome in Outcome.values else "",
        "答复说明": event.note,
        "理由": str(data.get("reasons") or ""),
        "法律依据": str(data.get("basis") or replies.default_basis(outcome)),
        "救济途径": str(
            data.get("remedies")
            or replies.remedies(
                profile.get(replies.REVIEW_BODY, ""), profile.get(replies.COURT, "")
            )
        ),
        "不予公开部分": str(data.get("withheld") or ""),
        "负责公开的机关": str(data.get("competent_body") or ""),
        "该机关联系方式": str(data.get("competent_contact") or ""),
    }
    if outcome in _CLOSING_TEXT:
        events = list(app.events.all())
        notice = E.CORRECTION_REQUESTED if outcome == Outcome.OTHER_1 else E.FEE_NOTICE
        values["处理情况"] = _CLOSING_TEXT[outcome].format(notice=_notice_date(events, notice))  # type: ignore[index]
    else:
        values["处理情况"] = str(data.get("reasons") or event.note)
    return values


def _group_is(group: str) -> Any:
    members = replies.GROUPS[group][1]

    def when(event: Any) -> bool:
        if event.kind == E.CLOSED_UNCORRECTED:
            return Outcome.OTHER_1 in members
        if event.kind == E.CLOSED_UNPAID:
            return Outcome.OTHER_2 in members
        return (event.data or {}).get("outcome") in members

    return when


def _reply_kind(group: str, fields: tuple[Field, ...], body: tuple[str, ...]) -> LetterKind:
    label = replies.GROUPS[group][0]
    events = frozenset({E.REPLIED, E.CLOSED_UNCORRECTED, E.CLOSED_UNPAID})
    return LetterKind(
        f"reply_{group}",
        f"答复告知书（{label}）",
        events if group == "other" else frozenset({E.REPLIED}),
        (*REPLY_FIELDS, *fields),
        _reply,
        "政府信息公开申请答复告知书",
        (*OPENING, *body, *REMEDIES),
        when=_group_is(group),
    )


REASONS_BODY = ("理由：{{ 理由 }}", "法律依据：{{ 法律依据 }}")
REPLIES = (
    _reply_kind(
        "granted",
        (Field("法律依据", "答复的法律依据", False, f"{REG}第三十六条第（二）项"),),
        (
            "经审查，您申请公开的信息属于可以公开的政府信息。根据{{ 法律依据 }}的规定，本机关予以公开。",
            "{%p if 答复说明 %}",
            "{{ 答复说明 }}",
            "{%p endif %}",
        ),
    ),
    _reply_kind(
        "partial",
        (
            Field(
                "不予公开部分",
                "不予公开的内容（条例第三十七条）",
                True,
                "涉及个人隐私的姓名和身份证号码",
            ),
            *REASONED,
        ),
        (
            "经审查，您申请公开的信息中含有不应当公开的内容，本机关依法区分处理：对可以公开的部分予以公开；",
            "不予公开的部分：{{ 不予公开部分 }}",
            *REASONS_BODY,
            "{%p if 答复说明 %}",
            "{{ 答复说明 }}",
            "{%p endif %}",
        ),
    ),
    _reply_kind(
        "withheld",
        REASONED,
        ("经审查，您申请公开的信息{{ 办理结果 }}，本机关决定不予公开。", *REASONS_BODY),
    ),
    _reply_kind(
        "unable",
        (
            *REASONED,
            Field(
                "负责公开的机关",
                "不属于本机关负责公开时，负责公开该信息的机关（能够确定的）",
                False,
            ),
            Field("该机关联系方式", "该机关的联系方式", False),
        ),
        (
            "经审查，本机关无法提供您申请公开的信息（{{ 办理结果 }}）。",
            *REASONS_BODY,
            "{%p if 负责公开的机关 %}",
            "该信息由{{ 负责公开的机关 }}负责公开{% if 该机关联系方式 %}（联系方式：{{ 该机关联系方式 }}）{% endif %}，"
            "您可以向该机关提出申请。",
            "{%p endif %}",
        ),
    ),
    _reply_kind(
        "not_processed",
        REASONED,
        ("经审查，您的申请属于“{{ 办理结果 }}”的情形，本机关不予处理。", *REASONS_BODY),
    ),
    _reply_kind(
        "other",
        (
            Field("处理情况", "不再处理的情况（逾期不补正、逾期未缴费）或办理人的说明", True),
            Field("法律依据", "法律依据", False),
        ),
        ("{{ 处理情况 }}", "{%p if 法律依据 %}", "法律依据：{{ 法律依据 }}", "{%p endif %}"),
    ),
)

BOOK = LetterBook(
    owner="disclosure",
    name="政府信息公开",
    kinds=(CORRECTION, CONSULTATION, EXTENSION, FEE, *REPLIES),
    template_dir=TEMPLATES,
    profile=PROFILE,
)
