"""What the app's PostgreSQL role may do to the audit table.

Triggers stop the app's own mistakes; they do not stop a role that may disable them. A superuser
can `SET session_replication_role = replica` (triggers off) and the table's owner can drop or
disable them, and both can TRUNCATE. So in production the app connects as a role that owns no
table and holds only INSERT and SELECT on the audit table (`fazhi grant_app_role`), and
`fazhi check --deploy` warns when it does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper

from fazhi.core.audit.models import AuditEvent

AUDIT_TABLE = AuditEvent._meta.db_table


@dataclass(frozen=True)
class RoleFacts:
    name: str
    superuser: bool
    owns_audit: bool  # owner of the audit table, or a member of its owner role
    rewrites: tuple[str, ...]  # what of UPDATE, DELETE, TRUNCATE, replica mode it may do

    @property
    def append_only(self) -> bool:
        return not (self.superuser or self.owns_audit or self.rewrites)


def role_facts(connection: BaseDatabaseWrapper, role: str | None = None) -> RoleFacts | None:
    """Facts about `role` (default: the connection's own role); None if the role or the audit
    table does not exist."""
    replica = (
        "has_parameter_privilege(r.oid, 'session_replication_role', 'SET')"
        if connection.pg_version >= 150000  # type: ignore[attr-defined]
        else "r.rolsuper"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT r.rolname, r.rolsuper, pg_has_role(r.oid, c.relowner, 'MEMBER'),
                   has_table_privilege(r.oid, c.oid, 'UPDATE'),
                   has_table_privilege(r.oid, c.oid, 'DELETE'),
                   has_table_privilege(r.oid, c.oid, 'TRUNCATE'),
                   {replica}
            FROM pg_roles r, pg_class c
            WHERE r.rolname = COALESCE(%s, current_user) AND c.oid = to_regclass(%s)
            """,
            [role, AUDIT_TABLE],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    name, superuser, owns, update, delete, truncate, replica_mode = row
    rewrites = tuple(
        label
        for label, allowed in (
            ("UPDATE", update),
            ("DELETE", delete),
            ("TRUNCATE", truncate),
            ("SET session_replication_role", replica_mode),
        )
        if allowed
    )
    return RoleFacts(name=name, superuser=superuser, owns_audit=owns, rewrites=rewrites)
