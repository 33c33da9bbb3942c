"""`fazhi check --deploy`: the app's database role must not be able to rewrite the audit log."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning, register
from django.db import DatabaseError, connection

from fazhi.core.audit.privileges import AUDIT_TABLE, role_facts

HINT = (
    "以表的所有者运行 fazhi migrate 后，执行 fazhi grant_app_role <应用角色>，"
    "并让应用以该角色连接数据库（见 README「部署」）。"
)


@register(deploy=True)
def app_database_role(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if connection.vendor != "postgresql":
        return []
    try:
        facts = role_facts(connection)
    except DatabaseError as exc:
        return [
            Warning(f"无法连接数据库，未能检查应用的数据库角色：{exc}", hint=HINT, id="fazhi.W100")
        ]
    if facts is None:
        return [Warning("审计日志表不存在，请先运行 fazhi migrate", id="fazhi.W100")]
    problems: list[CheckMessage] = []
    if facts.superuser:
        problems.append(
            Warning(
                f"应用以超级用户「{facts.name}」连接数据库：可关闭触发器、清空或改写审计日志",
                hint=HINT,
                id="fazhi.W101",
            )
        )
    elif facts.owns_audit:
        problems.append(
            Warning(
                f"应用的数据库角色「{facts.name}」拥有审计日志表 {AUDIT_TABLE}：可删除触发器、清空或改写审计日志",
                hint=HINT,
                id="fazhi.W102",
            )
        )
    elif facts.rewrites:
        problems.append(
            Warning(
                f"应用的数据库角色「{facts.name}」对审计日志有不应有的权限：{'、'.join(facts.rewrites)}",
                hint=HINT,
                id="fazhi.W103",
            )
        )
    return problems
