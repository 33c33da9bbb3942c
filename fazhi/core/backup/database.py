"""Dumping and loading the database, per vendor.

SQLite: a consistent snapshot through sqlite3's online backup API (a file copy of a live WAL
database may miss committed pages still in the -wal file or catch a half-written one), loaded
back through the same API into the configured file. PostgreSQL: `pg_dump --format=custom` and
`pg_restore` in one transaction, with the connection parameters of Django's DATABASES."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from fazhi.core.backup.archive import BackupError

VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DUMP_NAMES = {"sqlite": "fazhi.sqlite3", "postgresql": "fazhi.pgdump"}


def vendor_label(vendor: str) -> str:
    return VENDORS.get(vendor, vendor)


def check_vendor(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor not in VENDORS:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库（仅支持 SQLite 和 PostgreSQL）")
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        raise BackupError(f"无法连接数据库（DATABASE_URL）：{exc}") from exc


def require_tool(connection: BaseDatabaseWrapper, tool: str) -> None:
    """Refuse up front, before any event or file, when the PostgreSQL tool is missing."""
    if connection.vendor == "postgresql":
        _pg_tool(tool)


def applied_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


def known_migrations() -> set[str]:
    """The migrations this installation's code has."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def table_count(connection: BaseDatabaseWrapper) -> int:
    with connection.cursor() as cursor:
        return len(connection.introspection.table_names(cursor, include_views=True))


def dump(connection: BaseDatabaseWrapper, dest: Path) -> None:
    if connection.vendor == "sqlite":
        _sqlite_snapshot(connection, dest)
    else:
        _pg_run("pg_dump", connection.settings_dict, ["--format=custom", "--file", str(dest)])


def load(connection: BaseDatabaseWrapper, dump_file: Path) -> None:
    """Load a dump into the configured database, which the caller has found empty."""
    if connection.vendor == "sqlite":
        _sqlite_load(connection, dump_file)
    else:
        # One transaction: a failure leaves the database as empty as it was. Owners and grants
        # are the target installation's (README: run grant_app_role after a restore).
        _pg_run(
            "pg_restore",
            connection.settings_dict,
            ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges"],
            then=(str(dump_file),),
        )


def _sqlite_snapshot(connection: BaseDatabaseWrapper, dest: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(dest)
    try:
        # pages=-1 copies in one step under one read transaction: a snapshot as of its start,
        # while writers carry on in the WAL.
        connection.connection.backup(target, pages=-1)
    except sqlite3.Error as exc:
        raise BackupError(f"导出 SQLite 数据库失败：{exc}") from exc
    finally:
        target.close()


def _sqlite_load(connection: BaseDatabaseWrapper, dump_file: Path) -> None:
    source = sqlite3.connect(f"file:{dump_file}?mode=ro", uri=True)
    try:
        connection.ensure_connection()
        source.backup(connection.connection, pages=-1)
    except sqlite3.Error as exc:
        raise BackupError(f"恢复 SQLite 数据库失败：{exc}") from exc
    finally:
        source.close()


def _pg_run(
    tool: str, settings_dict: dict[str, Any], options: list[str], *, then: tuple[str, ...] = ()
) -> None:
    executable = _pg_tool(tool)
    params = [*options, "--no-password"]
    # Django's own psql invocation gives the connection flags and the libpq environment
    # (password, service, SSL files). It appends the database name last; pg_restore takes it
    # as --dbname, pg_dump as its one positional argument.
    if tool == "pg_restore":
        if not settings_dict.get("NAME"):
            raise BackupError("DATABASE_URL 中没有数据库名，无法确定恢复到哪个数据库")
        params.append("--dbname")
    args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, params)
    args = [executable, *args[1:], *then]
    try:
        result = subprocess.run(
            args,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise BackupError(f"无法运行 {tool}：{exc}") from exc
    if result.returncode != 0:
        detail = result.stderr.strip()[-2000:] or f"退出码 {result.returncode}"
        action = "导出" if tool == "pg_dump" else "恢复"
        raise BackupError(f"{tool} {action}数据库失败：{detail}")


def _pg_tool(tool: str) -> str:
    folder = settings.FAZHI_PG_BIN_DIR
    found = shutil.which(tool, path=folder or None)
    if found is None:
        where = f"目录「{folder}」" if folder else "PATH"
        raise BackupError(
            f"在{where}中找不到 {tool}：请安装 Debian 的 postgresql-client（主版本不低于数据库"
            "服务器），或用 FAZHI_PG_BIN_DIR 指明其所在目录"
        )
    return found
