"""`fazhi backup`: what the archive holds, and that a target is a whole archive or absent."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import io
import json
import os
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from fazhi.core.audit.models import AuditEvent
from fazhi.core.backup.actions import create_backup

committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)
FILES = {
    "attachments/2026/11/0a1b2c": b"%PDF-1.4 one",
    "attachments/2026/12/3d4e5f": "第二个附件".encode() * 1000,
    "报告/东湖街道 2026 年度报告.docx": b"PK\x03\x04 not really",
}


def run(*args: Any) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(*args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def put(media: Path, files: dict[str, bytes]) -> None:
    for name, body in files.items():
        path = media / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)


def dump_holds_event(dump: Path, code: str) -> bool:
    if connection.vendor == "sqlite":
        with sqlite3.connect(dump) as db:
            return (
                db.execute(
                    "SELECT count(*) FROM audit_auditevent WHERE code = ?", [code]
                ).fetchone()[0]
                == 1
            )
    sql = subprocess.run(
        ["pg_restore", "--data-only", "--table", "audit_auditevent", "--file", "-", str(dump)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return code in sql


@committing
def test_the_archive_holds_the_database_every_file_and_a_manifest_of_checksums(
    media: Path, out: Path, tmp_path: Path
) -> None:
    put(media, FILES)
    stdout, _ = run("backup", "-o", str(out / "b.tar"))
    archive = out / "b.tar"
    assert "正在导出数据库" in stdout and "正在打包附件：共 3 个文件" in stdout
    assert f"已写入备份文件：{archive}" in stdout
    assert os.listdir(out) == ["b.tar"]  # no temporary file left beside it
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds personal data

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        bodies = {n: tar.extractfile(n).read() for n in names}  # type: ignore[union-attr]
        tar.extract(names[0], tmp_path, filter="data")
    dump_name = {"sqlite": "database/fazhi.sqlite3", "postgresql": "database/fazhi.pgdump"}
    assert names == [
        dump_name[connection.vendor],
        *(f"media/{n}" for n in sorted(FILES)),
        "manifest.json",
    ]
    for name, body in FILES.items():
        assert bodies[f"media/{name}"] == body
    manifest = json.loads(bodies["manifest.json"])
    assert manifest["format"] == "fazhi-backup" and manifest["format_version"] == 1
    assert manifest["fazhi_version"] == importlib.metadata.version("fazhi")
    assert manifest["database"] == {"vendor": connection.vendor, "member": names[0]}
    assert "audit.0003_refuse_replace_and_delete" in manifest["migrations"]
    assert dt.datetime.fromisoformat(manifest["created_at"]).utcoffset() == dt.timedelta(hours=8)
    assert manifest["members"] == [
        {"path": n, "size": len(bodies[n]), "sha256": hashlib.sha256(bodies[n]).hexdigest()}
        for n in names[:-1]
    ]
    # The event was committed before the dump began: the archive holds its own record.
    event = AuditEvent.objects.get(code="backup.archive.created")
    assert event.data["file"] == str(archive)
    assert event.data["created_at"] == manifest["created_at"]
    assert dump_holds_event(tmp_path / names[0], "backup.archive.created")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("backups/exists.tar", "已存在；如要覆盖，请加 --force"),
        ("nowhere/b.tar", "备份目录「.*nowhere」不存在"),
        ("media/b.tar", "备份文件不能放在附件目录"),
        ("media/sub/b.tar", "备份文件不能放在附件目录"),
    ],
)
def test_refused_targets_write_nothing(
    tmp_path: Path, media: Path, out: Path, target: str, message: str
) -> None:
    put(media, {"sub/x": b"x"})
    (out / "exists.tar").write_bytes(b"an older backup")
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(CommandError, match=message):
        run("backup", "-o", str(tmp_path / target))
    assert sorted(tmp_path.rglob("*")) == before
    assert (out / "exists.tar").read_bytes() == b"an older backup"
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_backup_inside_a_transaction_is_refused(out: Path) -> None:
    # Its dump would not see what the transaction has not committed, nor its own event.
    with transaction.atomic(), pytest.raises(CommandError, match="备份不能在数据库事务中进行"):
        run("backup", "-o", str(out / "b.tar"))
    assert os.listdir(out) == []


@committing
def test_force_replaces_an_existing_file(out: Path) -> None:
    (out / "b.tar").write_bytes(b"an older backup")
    run("backup", "-o", str(out / "b.tar"), "--force")
    assert tarfile.is_tarfile(out / "b.tar")
    assert os.listdir(out) == ["b.tar"]


@committing
def test_a_folder_gets_a_file_named_by_the_time(out: Path) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 25, 2, 30, 5, tzinfo=dt.UTC)):
        stdout, _ = run("backup", "-o", str(out), "--json")
    assert os.listdir(out) == ["fazhi-backup-20261125-103005.tar"]  # local time, UTC+8
    result = json.loads(stdout)
    assert result["path"] == str(out / "fazhi-backup-20261125-103005.tar")
    assert result["size"] == (out / "fazhi-backup-20261125-103005.tar").stat().st_size
    assert result["media_files"] == 0 and result["vendor"] == connection.vendor


def _stop_at(stage: str, error: BaseException) -> Callable[[str], None]:
    def progress(line: str) -> None:
        if line.startswith(stage):
            raise error

    return progress


@committing
@pytest.mark.parametrize(
    ("error", "recorded"), [(RuntimeError("磁盘已满"), True), (KeyboardInterrupt(), False)]
)
def test_an_interrupted_backup_leaves_no_file(
    media: Path, out: Path, error: BaseException, recorded: bool
) -> None:
    put(media, FILES)
    progress = _stop_at("正在打包附件", error)
    with pytest.raises(type(error)):
        create_backup(target=out / "b.tar", progress=progress)
    assert os.listdir(out) == []
    codes = set(AuditEvent.objects.values_list("code", flat=True))
    assert codes == (
        {"backup.archive.created", "backup.archive.failed"}
        if recorded
        else {"backup.archive.created"}
    )
    if recorded:
        assert AuditEvent.objects.get(code="backup.archive.failed").data["error"] == "磁盘已满"


@committing
def test_links_in_the_media_folder_are_named_and_not_followed(
    media: Path, out: Path, tmp_path: Path
) -> None:
    put(media, {"attachments/a": b"a"})
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "key").write_bytes(b"not for the archive")
    (media / "attachments" / "to-file").symlink_to(secret / "key")
    (media / "to-folder").symlink_to(secret)
    stdout, _ = run("backup", "-o", str(out / "b.tar"))
    assert "跳过非普通文件（链接、设备或无法打包的名称）：attachments/to-file" in stdout
    assert "跳过非普通文件（链接、设备或无法打包的名称）：to-folder" in stdout
    with tarfile.open(out / "b.tar") as tar:
        media_names = [n for n in tar.getnames() if n.startswith("media/")]
    assert media_names == ["media/attachments/a"]


@committing
def test_quiet_for_cron(out: Path) -> None:
    stdout, stderr = run("backup", "-o", str(out / "b.tar"), "-v", "0")
    assert (stdout, stderr) == ("", "")
    assert (out / "b.tar").exists()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite needs no outside tool")
def test_without_pg_dump_nothing_is_started(out: Path, tmp_path: Path, settings: Any) -> None:
    settings.FAZHI_PG_BIN_DIR = str(tmp_path)  # a folder without pg_dump
    with pytest.raises(CommandError, match="找不到 pg_dump：请安装 Debian 的 postgresql-client"):
        run("backup", "-o", str(out / "b.tar"))
    assert os.listdir(out) == [] and not AuditEvent.objects.exists()


@committing
def test_a_file_removed_during_the_backup_is_skipped_and_named(media: Path, out: Path) -> None:
    put(media, FILES)
    gone = "attachments/2026/11/0a1b2c"

    def remove_while_packing(line: str) -> None:
        if line.startswith("正在打包附件"):  # listed already, not yet copied
            (media / gone).unlink()

    result = create_backup(target=out / "b.tar", progress=remove_while_packing)
    assert result.skipped == (gone,) and result.media_files == len(FILES) - 1
    with tarfile.open(out / "b.tar") as tar:
        assert f"media/{gone}" not in tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert f"media/{gone}" not in [m["path"] for m in manifest["members"]]
