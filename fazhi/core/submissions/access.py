"""Who reviews a unit's submission: a holder of 审阅 at the unit *above* it (a district
supervisor for its 街道 and departments, and through its subtree for the units below them)."""

from __future__ import annotations

from typing import Any

from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError


def supervises(user: Any, unit: Any) -> bool:
    return access_for(user).can(unit.parent_id, Permission.REVIEW_REPORTS)


def require_supervisor(user: Any, unit: Any) -> None:
    if not supervises(user, unit):
        raise ActionError("只有上级单位的审阅人员可以审阅该报告")
