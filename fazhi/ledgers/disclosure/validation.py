"""The checks on an application's own fields, shared by the form, the actions, corrections and
the import (one set of validators)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fazhi.core.imports.idnumber import validate_credit_code, validate_id_number
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure.models import (
    CONFIRMED_CHANNELS,
    PERSONAL_ID_TYPES,
    ApplicantCategory,
    Channel,
    Confirmation,
    IdType,
)

_OLD_ID = re.compile(r"[1-9]\d{14}")


def infer_id_type(id_number: str, applicant_category: str) -> str:
    """The type of a number given without one (old files): a person's resident ID, an
    organisation's credit code."""
    if not id_number.strip():
        return ""
    if applicant_category == ApplicantCategory.NATURAL_PERSON:
        return IdType.RESIDENT_ID
    return IdType.CREDIT_CODE


def check_id_number(id_number: str, applicant_category: str, id_type: str = "") -> str | None:
    """A resident ID must be a valid 18-character number (GB 11643 checksum) or an old 15-digit
    one; a 统一社会信用代码 must pass its GB 32100 check; other documents are kept as given."""
    value = id_number.strip()
    if not value:
        return None
    if len(value) > 32:
        return "证件号码过长"
    id_type = id_type or infer_id_type(value, applicant_category)
    person = applicant_category == ApplicantCategory.NATURAL_PERSON
    if person and id_type not in PERSONAL_ID_TYPES:
        return "自然人应提供身份证件（居民身份证、通行证、护照等），不是统一社会信用代码"
    if not person and id_type != IdType.CREDIT_CODE:
        return "法人或其他组织应提供统一社会信用代码"
    if id_type == IdType.CREDIT_CODE:
        return validate_credit_code(value)
    if id_type == IdType.RESIDENT_ID:
        if len(value) == 18:
            return validate_id_number(value)
        if _OLD_ID.fullmatch(value):
            return None
        return "居民身份证号码应为18位（或旧版15位）"
    return None


def check_receipt(fields: dict[str, Any]) -> None:
    """Art. 31: the receipt day follows the channel. 当面/邮政签收: the day handed in or signed
    for (the arrival day, when given, is the same day); 平常信函 and online/e-mail/fax: the day
    receipt was confirmed with the applicant, which cannot precede the arrival."""
    channel = fields.get("channel") or Channel.IN_PERSON
    received, arrived = fields.get("received_on"), fields.get("arrived_on")
    via = fields.get("confirmed_via") or ""
    if via and via not in Confirmation.values:
        raise ActionError("确认方式无效", field="confirmed_via")
    if not isinstance(received, dt.date) or not isinstance(arrived, dt.date):
        return
    if channel in CONFIRMED_CHANNELS:
        if arrived > received:
            raise ActionError(
                f"收到日期（与申请人确认之日）不能早于到达日期 {arrived:%Y-%m-%d}（条例第三十一条）",
                field="received_on",
            )
    elif arrived != received:
        label = "签收之日" if channel == Channel.REGISTERED_POST else "提交之日"
        raise ActionError(
            f"{Channel(channel).label}的收到日期就是{label}，应与到达日期相同（条例第三十一条）",
            field="received_on",
        )


def missing_for_registration(fields: dict[str, Any]) -> list[str]:
    """What Art. 29 requires of a new application that is not there (a new registration must
    have it; an imported old record shows what it lacks)."""
    missing = []
    person = fields.get("applicant_category") == ApplicantCategory.NATURAL_PERSON
    if not str(fields.get("id_number") or "").strip():
        missing.append("身份证件号码" if person else "统一社会信用代码")
    if not str(fields.get("contact") or "").strip():
        missing.append("联系方式")
    if (fields.get("channel") in CONFIRMED_CHANNELS) and not fields.get("confirmed_via"):
        missing.append("与申请人确认收到的方式")
    return missing


def validate(fields: dict[str, Any]) -> None:
    if fields.get("applicant_category") not in ApplicantCategory.values:
        raise ActionError("申请人类型无效", field="applicant_category")
    if fields.get("channel", Channel.IN_PERSON) not in Channel.values:
        raise ActionError("收到方式无效", field="channel")
    if not str(fields.get("applicant_name") or "").strip():
        raise ActionError("请填写申请人姓名或名称", field="applicant_name")
    if not str(fields.get("content") or "").strip():
        raise ActionError(
            "请填写申请内容（所需政府信息的名称、文号或便于查询的特征性描述）", field="content"
        )
    id_type = str(fields.get("id_type") or "")
    if id_type and id_type not in IdType.values:
        raise ActionError("证件类型无效", field="id_type")
    number = str(fields.get("id_number") or "")
    id_error = check_id_number(number, fields["applicant_category"], id_type)
    if id_error:
        raise ActionError(id_error, field="id_number")
    if number.strip():
        fields["id_number"] = number.strip().upper()
        fields["id_type"] = id_type or infer_id_type(number, fields["applicant_category"])
    check_receipt(fields)
