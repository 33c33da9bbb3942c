"""`fazhi restore` refusals, run in this process against the test database: each is decided
before anything is written (the round trip itself: tests/test_backup_roundtrip.py)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from fazhi.core.audit.models import AuditEvent
from fazhi.core.backup.tests.craft import DB, FILES, build

OTHER = {"sqlite": "postgresql", "postgresql": "sqlite"}


def run(*args: Any) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def this_vendor(path: Path) -> Path:
    return build(path, vendor=connection.vendor)


def corrupt(path: Path) -> Path:
    build(path, vendor=connection.vendor)
    data = bytearray(path.read_bytes())
    data[data.index(FILES[DB]) + 100] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def other_vendor(path: Path) -> Path:
    return build(path, vendor=OTHER[connection.vendor])


def media_in_use(media: Path) -> None:
    (media / "attachments").mkdir(parents=True)
    (media / "attachments" / "x").write_bytes(b"a file of the running installation")


def nothing(media: Path) -> None:
    pass


def small_budget(settings: Any) -> None:
    settings.FAZHI_RESTORE_MAX_BYTES = 1000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("archive", "prepare", "message"),
    [
        (corrupt, nothing, f"「{DB}」的大小或校验和与清单不符"),
        (other_vendor, nothing, "不能跨数据库类型恢复"),
        (this_vendor, media_in_use, "附件目录「.*media」不是空的（有 1 个文件）"),
        # The test database holds fazhi's tables: it is not an empty target.
        (this_vendor, nothing, r"目标数据库不是空的（已有 \d+ 张表）"),
    ],
)
def test_a_refused_restore_writes_nothing(
    tmp_path: Path,
    media: Path,
    cast: Any,
    archive: Callable[[Path], Path],
    prepare: Callable[[Path], None],
    message: str,
) -> None:
    path = archive(tmp_path / "b.tar")
    prepare(media)
    before = sorted(tmp_path.rglob("*")), AuditEvent.objects.count()
    tables = connection.introspection.table_names()
    with pytest.raises(CommandError, match=message):
        run("restore", str(path))
    assert (sorted(tmp_path.rglob("*")), AuditEvent.objects.count()) == before
    assert connection.introspection.table_names() == tables


@pytest.mark.django_db
def test_an_archive_over_the_budget_is_refused(tmp_path: Path, media: Path, settings: Any) -> None:
    path = this_vendor(tmp_path / "b.tar")
    small_budget(settings)
    with pytest.raises(CommandError, match="超过恢复上限 1000 字节（FAZHI_RESTORE_MAX_BYTES）"):
        run("restore", str(path))
    assert not media.exists()


@pytest.mark.django_db
def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"备份文件「.*none\.tar」不存在"):
        run("restore", str(tmp_path / "none.tar"))


@pytest.mark.django_db
def test_check_verifies_and_changes_nothing(tmp_path: Path, media: Path) -> None:
    path = build(tmp_path / "b.tar", vendor=OTHER[connection.vendor])  # --check restores nowhere
    out = run("restore", str(path), "--check")
    assert "校验通过：数据库和 2 个附件文件" in out
    assert "备份时间 2026-11-25T10:00:00+08:00，fazhi 0.1.0" in out
    assert out.rstrip().endswith("备份文件完好，可以恢复（未做任何更改）")
    result = json.loads(run("restore", str(path), "--check", "--json"))
    assert result["restored"] is False and result["media_files"] == 2
    assert not media.exists() and not AuditEvent.objects.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.tar"]


@pytest.mark.django_db
def test_check_refuses_a_damaged_archive(tmp_path: Path) -> None:
    path = corrupt(tmp_path / "b.tar")
    with pytest.raises(CommandError, match="校验和与清单不符，备份文件已损坏或被篡改"):
        run("restore", str(path), "--check")
