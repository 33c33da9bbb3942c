from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from psycopg import sql

from fazhi.core.audit.privileges import AUDIT_TABLE, role_facts

DML = "SELECT, INSERT, UPDATE, DELETE"


class Command(BaseCommand):
    help = (
        "PostgreSQL: give the app's login ROLE what the app needs and no more: DML on every "
        "table, sequence use, but only INSERT and SELECT on the audit table; also for tables "
        "created later. Run as the tables' owner after every `fazhi migrate`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role the app connects as (not the owner)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role 仅适用于 PostgreSQL（SQLite 没有数据库角色）")
        role: str = opts["role"]
        facts = role_facts(connection, role)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_user, current_database(), current_schema(), "
                "EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s), to_regclass(%s) IS NOT NULL",
                [role, AUDIT_TABLE],
            )
            me, database, schema, exists, migrated = cursor.fetchone()
        if not exists:
            raise CommandError(f"数据库角色「{role}」不存在，请先创建（CREATE ROLE … LOGIN）")
        if not migrated or facts is None:
            raise CommandError("审计日志表不存在，请先以表的所有者运行 fazhi migrate")
        if role == me:
            raise CommandError(f"「{role}」就是执行本命令的角色（表的所有者）；应用须另用一个角色")
        if facts.superuser:
            raise CommandError(f"「{role}」是超级用户，可绕过一切权限；请为应用另建普通角色")
        if facts.owns_audit:
            raise CommandError(f"「{role}」拥有审计日志表或是其所有者角色的成员；请为应用另建角色")

        def q(name: str) -> str:
            return sql.Identifier(name).as_string(connection.connection)

        r, s, audit = q(role), q(schema), q(AUDIT_TABLE)
        statements = [
            f"GRANT CONNECT ON DATABASE {q(database)} TO {r}",
            f"GRANT USAGE ON SCHEMA {s} TO {r}",
            f"GRANT {DML} ON ALL TABLES IN SCHEMA {s} TO {r}",
            f"REVOKE ALL ON {audit} FROM {r}",
            f"GRANT SELECT, INSERT ON {audit} TO {r}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
            # Tables a later migration creates (as this owner) are granted as they appear.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT {DML} ON TABLES TO {r}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            after = role_facts(connection, role)
            if after is None or not after.append_only:
                # Privileges held through PUBLIC or a parent role are not ours to revoke here.
                rewrites = "、".join(after.rewrites) if after else "?"
                raise CommandError(
                    f"「{role}」经由 PUBLIC 或其所属角色仍可对审计日志执行：{rewrites}；"
                    "请撤销这些授权后重试（未做任何更改）"
                )
        self.stdout.write(
            f"已为角色「{role}」授权（数据库 {database}，模式 {schema}）："
            f"各表可读写，审计日志表 {AUDIT_TABLE} 仅可追加和读取；以后新建的表同样授权。"
        )
