"""Checks on the ledgers' own fields, shared by the forms, the actions, corrections and imports:
a 出庭应诉 names its 案号 and nothing else does, a head count only where one means something,
and a 整改时限 not before the feedback it answers nor more than `MAX_DEADLINE_YEARS` after it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.workflow import ActionError
from fazhi.ledgers.oversight.models import WITH_ATTENDANCE, DutyKind, Source

# A typo's bound: a 述法 before the whole district's cadres, not a city's population.
MAX_ATTENDANCE = 10_000

# A typo's bound on a 整改时限 (9999-12-31): even 长期 rectification is planned within a few
# years of the feedback; an extension is held to the same bound.
MAX_DEADLINE_YEARS = 5


def latest_deadline(fed_back_on: dt.date) -> dt.date:
    """The last 整改时限 allowed for feedback of `fed_back_on` (29 Feb counts to 28 Feb)."""
    year = fed_back_on.year + MAX_DEADLINE_YEARS
    try:
        return fed_back_on.replace(year=year)
    except ValueError:
        return fed_back_on.replace(year=year, day=28)


def check_deadline_bound(fed_back_on: Any, deadline: dt.date) -> None:
    if not isinstance(fed_back_on, dt.date):
        return
    latest = latest_deadline(fed_back_on)
    if deadline > latest:
        raise ActionError(
            f"整改时限（{deadline:%Y-%m-%d}）不能晚于反馈日期后{MAX_DEADLINE_YEARS}年"
            f"（{latest:%Y-%m-%d}），请核对",
            field="deadline",
        )


def _text(fields: dict[str, Any], name: str) -> str:
    return str(fields.get(name) or "").strip()


def validate_duty(fields: dict[str, Any]) -> None:
    if not _text(fields, "leader"):
        raise ActionError("请填写第一责任人姓名", field="leader")
    if not _text(fields, "post"):
        raise ActionError("请填写第一责任人职务（如 党工委书记、办事处主任）", field="post")
    kind = fields.get("kind")
    if kind not in DutyKind.values:
        raise ActionError("请选择履职类别", field="kind")
    if not _text(fields, "subject"):
        raise ActionError("请填写事由", field="subject")
    case = _text(fields, "case_number")
    if kind == DutyKind.COURT and not case:
        raise ActionError("出庭应诉请填写案号，如（2026）沪0105行初123号", field="case_number")
    if kind != DutyKind.COURT and case:
        raise ActionError("只有出庭应诉需要填写案号", field="case_number")
    fields["case_number"] = case
    attendance = fields.get("attendance")
    if attendance is None or attendance == "":
        fields["attendance"] = None
        return
    if isinstance(attendance, bool) or not isinstance(attendance, int):
        raise ActionError("参加人数应为整数", field="attendance")
    if kind not in WITH_ATTENDANCE:
        raise ActionError("只有会议、述法和带头学法需要填写参加人数", field="attendance")
    if attendance < 1:
        raise ActionError("参加人数至少为1人", field="attendance")
    if attendance > MAX_ATTENDANCE:
        raise ActionError(
            f"参加人数（{attendance}）超过{MAX_ATTENDANCE}，请核对", field="attendance"
        )


def validate_rectification(fields: dict[str, Any]) -> None:
    if fields.get("source") not in Source.values:
        raise ActionError("请选择问题来源", field="source")
    if not _text(fields, "problem"):
        raise ActionError("请填写问题", field="problem")
    if not _text(fields, "measures"):
        raise ActionError("请填写整改措施", field="measures")
    if not _text(fields, "department"):
        raise ActionError("请填写责任部门", field="department")
    if not _text(fields, "owner"):
        raise ActionError("请填写责任人", field="owner")
    fed, deadline = fields.get("fed_back_on"), fields.get("deadline")
    if not isinstance(deadline, dt.date):
        raise ActionError("请填写整改时限", field="deadline")
    if isinstance(fed, dt.date) and deadline < fed:
        raise ActionError(f"整改时限不能早于反馈日期（{fed:%Y-%m-%d}）", field="deadline")
    check_deadline_bound(fed, deadline)
