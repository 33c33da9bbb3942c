"""The checks on an application's own fields, shared by the form, the actions, corrections and
the import (one set of validators)."""

from __future__ import annotations

import re
from typing import Any

from fazhi.core.imports.idnumber import validate_id_number
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure.models import ApplicantCategory, Channel

_OLD_ID = re.compile(r"[1-9]\d{14}")


def check_id_number(id_number: str, applicant_category: str) -> str | None:
    """A natural person's resident ID must be a valid 18-character number (GB 11643 checksum)
    or an old 15-digit one; organisations' codes are kept as given."""
    value = id_number.strip()
    if not value:
        return None
    if len(value) > 32:
        return "证件号码过长"
    if applicant_category != ApplicantCategory.NATURAL_PERSON:
        return None
    if len(value) == 18:
        return validate_id_number(value)
    if _OLD_ID.fullmatch(value):
        return None
    return "自然人的证件号码应为18位（或旧版15位）居民身份证号码"


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
    id_error = check_id_number(str(fields.get("id_number") or ""), fields["applicant_category"])
    if id_error:
        raise ActionError(id_error, field="id_number")
    if fields.get("id_number"):
        fields["id_number"] = str(fields["id_number"]).strip().upper()
