"""The unit's 政府信息公开指南 (条例 Art. 12): defaults from the unit's name and the 条例, the one
action that saves it, and the guide as a report Document (page and .docx from the same data)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core.audit.models import record_event
from fazhi.core.masking import id_number_refusal
from fazhi.core.records.perform import check_fields
from fazhi.core.reports.document import Block, Document, Heading, Paragraph
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit, UnitKind
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure.proactive.models import Category, Guide

REGULATION = "《中华人民共和国政府信息公开条例》"
FIELDS: tuple[str, ...] = (
    "office_name",
    "address",
    "postcode",
    "hours",
    "phone",
    "fax",
    "internet",
    "categories",
    "arrangement",
    "proactive_access",
    "how_to_apply",
    "fees",
    "remedies",
)
REQUIRED = frozenset(FIELDS) - {"postcode", "fax", "internet"}


def _above(unit: OrgUnit) -> tuple[str, str]:
    """Whom the guide names for complaints (Art. 51): the body one level up and the competent
    department for disclosure work (a county-level government's 办公室, Art. 3)."""
    parent = unit.parent
    if parent is not None and parent.kind == UnitKind.DISTRICT:
        return f"{parent.name}人民政府", f"{parent.name}人民政府办公室"
    if parent is not None:
        return parent.name, "政府信息公开工作主管部门"
    return "上一级行政机关", "政府信息公开工作主管部门"


def defaults(unit: OrgUnit) -> dict[str, str]:
    """What a new guide starts from: the 条例's own terms and the unit's name; the office's
    address and telephone only the unit knows."""
    superior, competent = _above(unit)
    offices = {UnitKind.DISTRICT: "人民政府办公室", UnitKind.STREET: "党政办公室"}
    office = unit.name + offices.get(UnitKind(unit.kind), "办公室")
    items = [
        f"{head.removeprefix('第二十条第').removesuffix('项')}{text}；"
        for code, label in Category.choices
        if code.startswith("art20")
        for head, _, text in [label.partition(" ")]
    ]
    portal = f"{unit.name}人民政府" if unit.kind == UnitKind.DISTRICT else superior
    website = f"{portal}门户网站" if portal.endswith("人民政府") else "政府门户网站"
    return {
        "office_name": office,
        "address": "",
        "postcode": "",
        "hours": "工作日上午9:00—12:00，下午14:00—17:30（法定节假日除外）",
        "phone": "",
        "fax": "",
        "internet": "",
        "categories": "\n".join(
            [
                f"本机关依照{REGULATION}（以下简称《条例》）第二十条、第二十一条主动公开下列政府信息：",
                *items,
                "以及《条例》第二十一条规定的、结合本地实际应当主动公开的其他政府信息。",
            ]
        ),
        "arrangement": (
            "主动公开的政府信息按上述类别编排。政府信息公开目录逐条列明索引号、名称、内容概述和"
            f"生成日期（《条例》第十二条），索引号由单位代码、年度和顺序号组成，如“{unit.code}/"
            f"{timezone.localdate().year}-00001”。"
        ),
        "proactive_access": (
            f"本机关主动公开的政府信息通过{website}政府信息公开专栏、政务新媒体、政务公开栏等途径"
            "公开，公众可在线查阅、下载，也可到本机关政府信息公开查阅点查阅。属于主动公开范围的政府信息，"
            "自该政府信息形成或者变更之日起20个工作日内公开；法律、法规对公开期限另有规定的，"
            "从其规定（《条例》第二十六条）。"
        ),
        "how_to_apply": "\n".join(
            [
                "（一）申请方式。公民、法人或者其他组织申请获取政府信息的，应当向本机关政府信息公开"
                "工作机构提出，采用包括信件、数据电文在内的书面形式；采用书面形式确有困难的，可以口头"
                "提出，由本机关代为填写政府信息公开申请（《条例》第二十九条）。申请应当包括：申请人的"
                "姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于查询的其他"
                "特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径。",
                "（二）收到申请的时间。当面提交的，以提交之日为收到申请之日；以邮寄方式提交的，以本机关"
                "签收之日为收到申请之日，以平常信函等无需签收的方式提交的，以本机关与申请人确认之日为"
                "收到申请之日；通过互联网渠道或者传真提交的，以双方确认之日为收到申请之日"
                "（《条例》第三十一条）。",
                "（三）补正和答复。申请内容不明确的，本机关自收到申请之日起7个工作日内一次性告知申请人"
                "补正，答复期限自收到补正的申请之日起计算（《条例》第三十条）。能够当场答复的，当场"
                "答复；不能当场答复的，自收到申请之日起20个工作日内答复；需要延长答复期限的，经政府信息"
                "公开工作机构负责人同意并告知申请人，延长的期限最长不超过20个工作日。征求第三方和其他"
                "机关意见所需时间不计算在答复期限内（《条例》第三十三条）。",
            ]
        ),
        "fees": (
            "本机关依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，"
            "依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费，按件计收"
            "或者按量计收，二者只适用其一（《条例》第四十二条）。"
        ),
        "remedies": (
            "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向"
            f"{superior}或者{competent}投诉、举报，也可以依法申请"
            "行政复议或者提起行政诉讼（《条例》第五十一条）。申请行政复议的，应当自知道或者应当知道"
            "该行政行为之日起六十日内提出；提起行政诉讼的，应当自知道或者应当知道作出行政行为之日起"
            "六个月内提出。"
        ),
    }


def guide_for(unit: OrgUnit) -> Guide | None:
    """The unit's saved guide; the caller has passed the unit through the door."""
    return Guide.objects.filter(unit=unit).first()


def current(unit: OrgUnit) -> tuple[dict[str, str], Guide | None]:
    """The guide's fields as saved, else the defaults."""
    saved = guide_for(unit)
    if saved is None:
        return defaults(unit), None
    return {name: getattr(saved, name) for name in FIELDS}, saved


def label(name: str) -> str:
    f: Any = Guide._meta.get_field(name)
    return str(f.verbose_name)


def missing(fields: dict[str, str]) -> list[str]:
    """Labels of required fields still empty (a saved guide has none)."""
    return [
        label(name)
        for name in FIELDS
        if name in REQUIRED and not str(fields.get(name) or "").strip()
    ]


def save_guide(*, unit: OrgUnit, by: Any, **fields: str) -> Guide:
    """Save the unit's guide (a clerk or leader of the unit: EDIT_REPORT), audited."""
    if not access_for(by).can(unit.pk, Permission.EDIT_REPORT):
        raise ActionError("您没有编辑该单位政府信息公开指南的权限")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown guide fields: {sorted(unknown)}")
    values = check_fields(Guide, {name: str(fields.get(name) or "").strip() for name in FIELDS})
    for name in FIELDS:
        if name in REQUIRED and not values[name]:
            raise ActionError(f"请填写{label(name)}", field=name)
        refusal = id_number_refusal(values[name], where=f"「{label(name)}」", published="指南")
        if refusal:
            raise ActionError(refusal, field=name)
    postcode = values["postcode"]
    if postcode and not (postcode.isascii() and postcode.isdigit() and len(postcode) == 6):
        raise ActionError("邮政编码应为6位数字", field="postcode")
    with transaction.atomic():
        guide = Guide.objects.select_for_update().filter(unit=unit).first()
        before = {name: getattr(guide, name) for name in FIELDS} if guide else {}
        if guide is None:
            guide = Guide(unit=unit)
        for name, value in values.items():
            setattr(guide, name, value)
        guide.updated_by = by if getattr(by, "pk", None) else None
        guide.save()
        record_event(
            "disclosure.guide.saved",
            by=by,
            unit_code=unit.code,
            object_type="disclosure.guide",
            object_id=str(guide.pk),
            data={"changed": sorted(n for n in FIELDS if before.get(n) != values[n])},
        )
    return guide


def _lines(text: str) -> list[Paragraph]:
    return [Paragraph(line.strip()) for line in text.splitlines() if line.strip()]


def document(unit: OrgUnit) -> Document:
    """The guide as the report renderers read it: a page and a .docx in 公文 style."""
    fields, saved = current(unit)

    def shown(name: str) -> str:
        return fields.get(name) or "（未填写）"

    address = shown("address") + (
        f"（邮政编码：{fields['postcode']}）" if fields["postcode"] else ""
    )
    blocks: list[Block] = [
        Paragraph(
            f"为便于公民、法人和其他组织获取政府信息，根据{REGULATION}（以下简称《条例》）第十二条，"
            f"编制本指南。本指南所称政府信息，是指{unit.name}在履行行政管理职能过程中制作或者获取的，"
            "以一定形式记录、保存的信息。"
        ),
        Heading("一、政府信息公开工作机构", 1),
        Paragraph(f"名称：{shown('office_name')}"),
        Paragraph(f"办公地址：{address}"),
        Paragraph(f"办公时间：{shown('hours')}"),
        Paragraph(f"联系电话：{shown('phone')}"),
        Paragraph(f"传真号码：{fields['fax'] or '无'}"),
        Paragraph(f"互联网联系方式：{fields['internet'] or '无'}"),
        Heading("二、主动公开", 1),
        Heading("（一）政府信息的分类", 2),
        *_lines(fields["categories"]),
        Heading("（二）编排体系", 2),
        *_lines(fields["arrangement"]),
        Heading("（三）获取方式", 2),
        *_lines(fields["proactive_access"]),
        Heading("三、依申请公开", 1),
        *_lines(fields["how_to_apply"]),
        Heading("四、收费", 1),
        *_lines(fields["fees"]),
        Heading("五、监督和救济", 1),
        *_lines(fields["remedies"]),
    ]
    updated = timezone.localdate(saved.updated_at) if saved else None
    return Document(
        title=f"{unit.name}政府信息公开指南", blocks=blocks, issuer=unit.name, date=updated
    )
