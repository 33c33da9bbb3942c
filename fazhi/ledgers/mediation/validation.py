"""Checks on the ledger's own fields, shared by the forms, the actions, corrections and imports."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Exists, OuterRef, Q

from fazhi.core.imports.idnumber import validate_id_number
from fazhi.core.records.models import Handoff
from fazhi.core.workflow import ActionError
from fazhi.ledgers.mediation.models import (
    MEMBER_ROLES,
    Case,
    CommitteeKind,
    DisputeType,
    Gender,
    MediatorRole,
    PartyKind,
    Source,
)

MIN_MEMBERS, MAX_MEMBERS = 3, 9  # 《人民调解法》第八条


def validate_case(fields: dict[str, Any]) -> None:
    if fields.get("source") not in Source.values:
        raise ActionError("请选择纠纷来源", field="source")
    if fields.get("dispute_type") not in DisputeType.values:
        raise ActionError("请选择纠纷类型", field="dispute_type")
    if not str(fields.get("summary") or "").strip():
        raise ActionError("请填写纠纷简要情况", field="summary")


def validate_committee(fields: dict[str, Any]) -> None:
    if not str(fields.get("name") or "").strip():
        raise ActionError("请填写调委会名称", field="name")
    if fields.get("kind") not in CommitteeKind.values:
        raise ActionError("请选择调委会类型", field="kind")
    if (
        fields.get("kind") == CommitteeKind.PROFESSIONAL
        and not str(fields.get("field_of_work") or "").strip()
    ):
        raise ActionError(
            "行业性专业性调委会请填写专业领域（如 医疗、交通事故）", field="field_of_work"
        )


def validate_screening(fields: dict[str, Any]) -> None:
    if not str(fields.get("scope") or "").strip():
        raise ActionError("请填写排查范围", field="scope")
    if not str(fields.get("staff") or "").strip():
        raise ActionError("请填写排查人员", field="staff")


def check_members(rows: list[Any]) -> str | None:
    """Art. 8: 3 to 9 members (主任, 副主任, 委员; appointed mediators do not count), one chair."""
    members = [r for r in rows if r.role in MEMBER_ROLES]
    if not MIN_MEMBERS <= len(members) <= MAX_MEMBERS:
        return f"人民调解委员会由委员三至九人组成（第八条），调整后将为{len(members)}人"
    if sum(1 for r in members if r.role == MediatorRole.CHAIR) > 1:
        return "人民调解委员会设主任一人（第八条）"
    return None


_ENTRY = re.compile(r"^(?P<name>[^\s（()）,，]+)\s*[（(]?\s*(?P<gender>男|女)?\s*[)）]?$")


def parse_members(text: str) -> list[dict[str, str]]:
    """ "李红 女、王强 男、赵敏（女）" or one a line → members, the first being the chair.
    A Chinese ActionError on `members` names the entry it cannot read."""
    entries = [e.strip() for e in re.split(r"[\n、;；]+", text) if e.strip()]
    found = []
    for n, entry in enumerate(entries):
        m = _ENTRY.match(entry)
        if m is None or len(m["name"]) > 50:
            raise ActionError(f"无法识别的委员「{entry[:20]}」，请写成“姓名 性别”", field="members")
        role = MediatorRole.CHAIR if n == 0 else MediatorRole.MEMBER
        gender = Gender.FEMALE if m["gender"] == "女" else Gender.MALE
        found.append({"name": m["name"], "role": role, "gender": gender})
    if not MIN_MEMBERS <= len(found) <= MAX_MEMBERS:
        raise ActionError(
            f"人民调解委员会由委员三至九人组成（第八条），填写了{len(found)}人", field="members"
        )
    return found


def check_party(fields: dict[str, Any], prefix: str = "") -> None:
    kind = fields.get("kind")
    if kind not in PartyKind.values:
        raise ActionError("请选择当事人类型", field=f"{prefix}kind")
    if not str(fields.get("name") or "").strip():
        raise ActionError("请填写当事人姓名或名称", field=f"{prefix}name")
    number = str(fields.get("id_number") or "").strip()
    if number and kind == PartyKind.PERSON:
        problem = validate_id_number(number)
        if problem:
            raise ActionError(f"身份证号有误：{problem}", field=f"{prefix}id_number")
    if number and kind == PartyKind.ORG and not re.fullmatch(r"[0-9A-Z]{18}", number.upper()):
        raise ActionError("统一社会信用代码应为18位数字或大写字母", field=f"{prefix}id_number")


def _id_key(fields: dict[str, Any]) -> str:
    return str(fields.get("id_number") or "").strip().upper()


def _same_party(number: str) -> str:
    return f"身份证号/统一社会信用代码「{number}」已是本件另一方当事人的，同一人不能作为两方当事人"


def check_distinct_parties(parties: list[dict[str, Any]]) -> None:
    """Two parties of a case are two persons: no two with the same ID number (or credit code).
    The same name without ID numbers is allowed (namesakes exist)."""
    seen: set[str] = set()
    for n, p in enumerate(parties, start=1):
        key = _id_key(p)
        if key and key in seen:
            raise ActionError(_same_party(key), field=f"p{n}_id_number")
        seen.add(key)


def check_new_party(case: Any, by: Any, fields: dict[str, Any]) -> None:
    """A party added later is not one the case already has (same ID number)."""
    key = _id_key(fields)
    live = case.parties.filter(removed_at__isnull=True).exclude(id_number="")
    if key and key in {n.strip().upper() for n in live.values_list("id_number", flat=True)}:
        raise ActionError(_same_party(key), field="id_number")


def check_finding(fields: dict[str, Any]) -> None:
    if not str(fields.get("description") or "").strip():
        raise ActionError("请填写纠纷情况", field="description")
    number = str(fields.get("case_number") or "").strip()
    if fields.get("disposal") == "case" and not number:
        raise ActionError("转为调解案件的，请填写调解案件编号", field="case_number")
    if fields.get("disposal") == "note" and number:
        raise ActionError("记录备查的纠纷不填写调解案件编号", field="case_number")


# A dispute a screening found is mediated on the committee's own initiative (Art. 17): a case
# registered as found by a screening, or as 主动调解. One the parties applied for, or another
# body handed over, was not found by the screening.
FOUND_SOURCES = (Source.SCREENING, Source.INITIATIVE)


def check_finding_case(screening: Any, by: Any, fields: dict[str, Any]) -> None:
    """A finding turned into a case names a case of the screening's unit that `by` can open:
    one received there, or handed up from there since (it keeps its number). A number that
    only looks right is refused like one the user cannot see. The case is one the screening
    found: received on or after the screening's date, from the committee's initiative, and
    not named by another finding of the same round. Runs under the screening's lock."""
    number = str(fields.get("case_number") or "").strip()
    if fields.get("disposal") != "case" or not number:
        return
    handed_from_here = Handoff.objects.filter(
        model=Case._meta.label_lower, record_id=OuterRef("pk"), from_unit_id=screening.unit_id
    )
    case = (
        Case.objects.visible_to(by)
        .filter(number=number)
        .filter(Q(unit_id=screening.unit_id) | Exists(handed_from_here))
        .first()
    )
    if case is None:
        raise ActionError(
            f"本单位没有编号为「{number[:64]}」的调解案件，请先受理该纠纷，再填写其调解编号",
            field="case_number",
        )
    if screening.findings.filter(removed_at__isnull=True, case_number=number).exists():
        raise ActionError(
            f"调解案件「{number}」已登记为本次排查发现的纠纷，同一案件不能重复登记",
            field="case_number",
        )
    if case.received_on < screening.held_on:
        raise ActionError(
            f"调解案件「{number}」的受理日期（{case.received_on:%Y-%m-%d}）早于排查日期"
            f"（{screening.held_on:%Y-%m-%d}），不是本次排查发现的纠纷",
            field="case_number",
        )
    if case.source not in FOUND_SOURCES:
        raise ActionError(
            f"调解案件「{number}」的纠纷来源是「{case.get_source_display()}」，不是排查发现的纠纷"
            f"（排查发现后受理的，纠纷来源为「{Source.SCREENING.label}」或「{Source.INITIATIVE.label}」）",
            field="case_number",
        )
    fields["case_number"] = number
