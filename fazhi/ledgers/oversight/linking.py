"""The 学法 session of the 普法 ledger a 履职记录 names: of the record's own unit, found through
the actor's door (another unit's number answers like one that does not exist), only for
带头学法 and 研究法治工作的会议, and held on the same day. Shared by the action and the import."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError
from fazhi.ledgers.oversight.models import WITH_STUDY
from fazhi.ledgers.pufa.models import Study


def linked_study(unit: OrgUnit, by: Any, number: str, *, kind: str, on: Any) -> Study:
    if kind not in WITH_STUDY:
        raise ActionError("只有带头学法和研究法治工作的会议可以关联学法记录", field="study_number")
    text = number.strip()
    found = Study.objects.visible_to(by).filter(unit=unit, number=text).first()
    if found is None:
        raise ActionError(
            f"{unit.name}的学法与考试台账中没有编号为「{text[:64]}」的记录", field="study_number"
        )
    if isinstance(on, dt.date) and found.held_on != on:
        raise ActionError(
            f"关联的学法记录{found.number}的日期是{found.held_on:%Y-%m-%d}，与履职日期不一致",
            field="study_number",
        )
    return found
