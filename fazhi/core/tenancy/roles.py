"""Roles as code: each role is a set of permissions with a Chinese name and its duties.

Permissions are checked against the unit tree: a role held at a unit applies to that unit and,
for roles that oversee (`sees_subtree`), to every unit below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Permission(StrEnum):
    VIEW = "view"  # read the unit's ledgers and reports
    REGISTER = "register"  # register records, import
    HANDLE = "handle"  # advance records through their workflow
    APPROVE = "approve"  # approvals reserved to the unit's head (e.g. extensions)
    LEGAL_REVIEW = "legal_review"  # 法制审核 / 合法性审核
    EDIT_REPORT = "edit_report"  # narrative sections and manual report inputs
    REVIEW_REPORTS = "review_reports"  # run the report reviewer on submitted reports
    MANAGE = "manage"  # units, users, calendar
    AUDIT = "audit"  # browse the audit trail of the units


PERMISSION_LABELS: dict[Permission, str] = {
    Permission.VIEW: "查看本单位台账和报告",
    Permission.REGISTER: "登记记录、导入 Excel",
    Permission.HANDLE: "推进办理流程",
    Permission.APPROVE: "批准须负责人决定的事项（如延期）",
    Permission.LEGAL_REVIEW: "法制审核、合法性审核",
    Permission.EDIT_REPORT: "填写报告文字部分和手工数据",
    Permission.REVIEW_REPORTS: "审阅报送的报告",
    Permission.MANAGE: "维护单位、用户、工作日历",
    Permission.AUDIT: "查看审计日志",
}


@dataclass(frozen=True)
class Role:
    code: str
    name: str
    duties: str
    permissions: frozenset[Permission]
    sees_subtree: bool = False


P = Permission
CLERK = Role(
    "clerk",
    "录入员",
    "登记台账记录、推进办理流程、导入 Excel",
    frozenset({P.VIEW, P.REGISTER, P.HANDLE, P.EDIT_REPORT}),
)
REVIEWER = Role(
    "reviewer",
    "审核员",
    "法制审核、合法性审核，需第二人把关的事项",
    frozenset({P.VIEW, P.HANDLE, P.LEGAL_REVIEW}),
)
LEADER = Role(
    "leader",
    "负责人",
    "批准延期等须负责人决定的事项，签发报告",
    frozenset({P.VIEW, P.HANDLE, P.APPROVE, P.EDIT_REPORT, P.AUDIT}),
)
SUPERVISOR = Role(
    "supervisor",
    "监督员",
    "依法治区办、司法局：查看下级单位全部台账，审阅下级报送的报告",
    frozenset({P.VIEW, P.REVIEW_REPORTS, P.AUDIT}),
    sees_subtree=True,
)
ADMIN = Role(
    "admin",
    "管理员",
    "维护单位、用户、工作日历与设置",
    frozenset({P.VIEW, P.MANAGE, P.REVIEW_REPORTS, P.AUDIT}),
    sees_subtree=True,
)

ROLES: dict[str, Role] = {r.code: r for r in (CLERK, REVIEWER, LEADER, SUPERVISOR, ADMIN)}
ROLE_CHOICES = [(r.code, r.name) for r in ROLES.values()]


def get_role(code: str) -> Role:
    try:
        return ROLES[code]
    except KeyError:
        names = "、".join(f"{r.code}（{r.name}）" for r in ROLES.values())
        raise KeyError(f"未知角色「{code}」，可选：{names}") from None
