"""Startup check of the directory's role map: every role and unit it names must exist, or the
first person of that group would sign in with nothing (or fail) long after the mistake was made.
Runs with every command (`fazhi check`, `migrate`, `runserver`); gunicorn runs none, so the
deployment runs `fazhi check --deploy` (README)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.db import DatabaseError, connection

from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import ROLES

HINT = "改正 FAZHI_LDAP_ROLE_MAP（见 fazhi/core/directory/README.md）/ fix FAZHI_LDAP_ROLE_MAP"


@register()
def role_map(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    grants = getattr(settings, "FAZHI_LDAP_ROLE_MAP", ())
    if not grants:
        return []
    problems: list[CheckMessage] = [
        Error(
            f"目录角色映射：组「{g.group_dn}」映射到未知角色「{g.role}」，可选 {'、'.join(ROLES)} / "
            f"unknown role code {g.role!r}",
            hint=HINT,
            id="fazhi.E110",
        )
        for g in grants
        if g.role not in ROLES
    ]
    try:
        if OrgUnit._meta.db_table not in connection.introspection.table_names():
            return problems  # not migrated yet: `fazhi migrate` itself must be able to run
        # unscoped_: a configuration check reads unit codes, no tenant data.
        units = OrgUnit.objects.in_bulk([g.unit_code for g in grants], field_name="code")
    except DatabaseError as exc:
        return [
            *problems,
            Warning(
                f"无法连接数据库，未能检查目录角色映射中的单位 / cannot check units: {exc}",
                id="fazhi.W111",
            ),
        ]
    for g in grants:
        unit = units.get(g.unit_code)
        if unit is None:
            problems.append(
                Error(
                    f"目录角色映射：组「{g.group_dn}」映射到不存在的单位代码「{g.unit_code}」 / "
                    f"unknown unit code {g.unit_code!r}",
                    hint=HINT,
                    id="fazhi.E111",
                )
            )
        elif not unit.active:
            problems.append(
                Warning(
                    f"目录角色映射：组「{g.group_dn}」映射到已停用的单位「{unit.name}」（{g.unit_code}），"
                    f"目录登录不会授予该单位的角色 / unit {g.unit_code!r} is deactivated: the group grants nothing",
                    hint=HINT,
                    id="fazhi.W112",
                )
            )
    return problems
