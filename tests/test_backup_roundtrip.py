"""`fazhi backup` then `fazhi restore` into a different, empty database gives back every row of
every table and every stored file, byte for byte (issue 8, item 7).

The data is the demo district (every ledger, users, calendar) plus attachments, committed so the
dump sees it. The restore runs as an operator would run it: `fazhi restore` in a fresh process
whose DATABASE_URL and FAZHI_MEDIA_ROOT name an empty database of the configured kind (SQLite:
another file; PostgreSQL: a scratch database on the same server, dropped afterwards) and an
empty folder."""

from __future__ import annotations

import io
import os
import secrets
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from fazhi.core.attachments.actions import add_attachment, remove_attachment
from fazhi.core.attachments.models import Attachment
from fazhi.core.audit.models import AuditEvent
from fazhi.core.backup.tests.craft import build, manifest_for
from fazhi.core.tenancy.models import Membership
from fazhi.ledgers.disclosure.models import Application
from fazhi.ledgers.petitions.models import Petition

ROOT = Path(__file__).resolve().parents[1]
AUDIT = AuditEvent._meta.db_table
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Target:
    url: str
    media: Path


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Target]:
    configured = urlsplit(settings.DATABASE_URL)
    media = tmp_path / "restored-media"
    if configured.scheme.startswith("sqlite"):
        yield Target(f"sqlite:///{tmp_path / 'restored.sqlite3'}", media)
        return
    name = f"{configured.path.strip('/')}_restore_{secrets.token_hex(4)}"
    admin = urlunsplit(configured._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Target(urlunsplit(configured._replace(path=f"/{name}")), media)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fazhi(*args: str, target: Target) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(DATABASE_URL=target.url, FAZHI_MEDIA_ROOT=str(target.media))
    return subprocess.run(
        [sys.executable, "-m", "fazhi.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def seed_with_attachments() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    for app in Application.objects.select_related("unit").order_by("pk")[:3]:
        clerk = Membership.objects.get(unit=app.unit, role="clerk").user
        add_attachment(
            unit=app.unit,
            owner="disclosure",
            record_id=app.pk,
            upload=PDF + str(app.pk).encode(),
            name=f"申请书{app.pk}.pdf",
            by=clerk,
        )
    gone = Attachment.objects.order_by("pk").first()
    assert gone is not None
    # A removed file: its row stays for the audit, its bytes are gone, in both databases.
    remove_attachment(attachment=gone, by=gone.created_by, reason="上传错了文件")


# --- what is compared -----------------------------------------------------------------------


def tables(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    return [name for (name,) in cursor.fetchall()]


def rows(cursor: Any, vendor: str, table: str) -> Counter[Any]:
    """Every row of the table, as a multiset of its values' SQL text (SQLite's quote(),
    PostgreSQL's row-to-text): exact for every type, and no converter on either side."""
    if vendor == "sqlite":
        cursor.execute(f'SELECT name FROM pragma_table_info("{table}") ORDER BY cid')
        columns = ", ".join(f'quote("{name}")' for (name,) in cursor.fetchall())
        cursor.execute(f'SELECT {columns} FROM "{table}"')
        return Counter(tuple(r) for r in cursor.fetchall())
    cursor.execute(f'SELECT t::text FROM "{table}" AS t')
    return Counter(r[0] for r in cursor.fetchall())


def sequences(cursor: Any, vendor: str) -> dict[str, Any]:
    if vendor == "sqlite":
        return {}  # sqlite_sequence is a table, compared with the rest
    cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
    return dict(cursor.fetchall())


def everything(cursor: Any, vendor: str) -> dict[str, Any]:
    return {t: rows(cursor, vendor, t) for t in tables(cursor, vendor)} | {
        "(sequences)": sequences(cursor, vendor)
    }


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def open_target(target: Target) -> Any:
    if target.url.startswith("sqlite"):
        return sqlite3.connect(urlsplit(target.url).path)
    return psycopg.connect(target.url, autocommit=True)


# --- the round trip -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_gives_back_every_row_and_every_file(
    media: Path, target: Target, tmp_path: Path
) -> None:
    vendor = connection.vendor
    seed_with_attachments()
    archive = tmp_path / "fazhi.tar"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())

    with connection.cursor() as cursor:
        source = everything(cursor, vendor)
    source_files = files(media)
    # The comparison below must be about something.
    # The two attachments seeded here, plus the letters the demo's moves produced.
    assert len(source_files) > 2 and Attachment.objects.count() >= 3
    assert Application.objects.exists() and Petition.objects.exists()
    filled = {t for t, r in source.items() if r}
    assert filled >= {
        *(m._meta.db_table for m in (Application, Petition, Attachment, AuditEvent, Membership)),
        "auth_user",
        "tenancy_orgunit",
        "workcalendar_calendarday",
        "django_migrations",
        "django_content_type",
    }

    restored = fazhi("restore", str(archive), target=target)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "恢复完成" in restored.stdout

    with open_target(target) as db:
        got = everything(db.cursor(), vendor)
        # The restored log is still append-only: the triggers came back with the tables.
        with pytest.raises((sqlite3.DatabaseError, psycopg.DatabaseError), match="append-only"):
            db.execute(f"UPDATE {AUDIT} SET code = 'rewritten'")
    assert files(target.media) == source_files

    # The one difference: the restore's own event, written after it, and the id it used.
    extra = got[AUDIT] - source[AUDIT]
    assert source[AUDIT] - got[AUDIT] == Counter()
    assert len(extra) == 1 and "backup.archive.restored" in str(next(iter(extra)))
    assert "backup.archive.created" in str(source[AUDIT])  # the backup's event is inside
    if vendor == "sqlite":
        before, after = (
            {k: int(v) for k, v in side.pop("sqlite_sequence")} for side in (source, got)
        )
        key = f"'{AUDIT}'"  # as quote() gives it
        assert after.pop(key) == before.pop(key) + 1
        assert after == before
    else:
        seq = f"{AUDIT}_id_seq"
        assert got["(sequences)"].pop(seq) == source["(sequences)"].pop(seq) + 1
    del got[AUDIT], source[AUDIT]
    assert got.keys() == source.keys()
    for table in source:
        assert got[table] == source[table], table

    # The restored database is current for this code: nothing left to migrate.
    check = fazhi("migrate", "--check", target=target)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.django_db
def test_a_load_that_fails_takes_the_files_back_out(target: Target, tmp_path: Path) -> None:
    """An archive whose checksums hold but whose dump the database cannot load (here: not a
    dump at all): the files already put in place are removed, the database stays empty."""
    vendor = connection.vendor
    name = {"sqlite": "database/fazhi.sqlite3", "postgresql": "database/fazhi.pgdump"}[vendor]
    files = {name: b"not a database dump " * 100, "media/attachments/2026/11/a": b"a file"}
    archive = build(
        tmp_path / "bad.tar", files, manifest=manifest_for(files, vendor=vendor, database=name)
    )

    result = fazhi("restore", str(archive), target=target)
    assert result.returncode != 0
    assert "恢复" in result.stderr and "数据库失败" in result.stderr, result.stderr
    assert files_below(target.media) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".fazhi-restore-")] == []
    with open_target(target) as db:
        assert tables(db.cursor(), vendor) == []


def files_below(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if not p.is_dir()]
