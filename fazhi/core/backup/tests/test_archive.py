"""Reading an archive: every refusal is decided by `verify`, which writes nothing."""

from __future__ import annotations

import hashlib
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fazhi.core.backup.archive import BackupError, Manifest, Member, path_problem, verify
from fazhi.core.backup.tests.craft import DB, FILES, add, build, manifest_for

MEDIA = "media/attachments/2026/11/0a1b2c"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("manifest.json", None),
        (DB, None),
        ("media/a", None),
        ("media/attachments/2026/11/0a1b2c", None),
        ("media/附件/申请书 (1).pdf", None),
        ("", "名称为空"),
        ("media/a\x00b", "空字符"),
        ("/etc/passwd", "绝对路径"),
        ("/media/a", "绝对路径"),
        ("media/../../etc/cron.d/x", "「..」"),
        ("../fazhi.sqlite3", "「..」"),
        ("media/a/..", "「..」"),
        ("media\\..\\x", "反斜杠"),
        ("media//a", "空的"),
        ("media/./a", "「.」"),
        ("media/a/", "空的"),
        ("media", "不是 fazhi 备份中应有的文件"),
        ("database", "不是 fazhi 备份中应有的文件"),
        ("database/a/b", "不是 fazhi 备份中应有的文件"),
        ("static/x.css", "不是 fazhi 备份中应有的文件"),
        ("manifest.json.bak", "不是 fazhi 备份中应有的文件"),
    ],
)
def test_member_names(name: str, problem: str | None) -> None:
    found = path_problem(name)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_an_honest_archive_verifies_and_lists_its_members(tmp_path: Path) -> None:
    lines: list[str] = []
    verified = verify(build(tmp_path / "ok.tar"), budget=10**6, progress=lines.append)
    assert verified.manifest.vendor == "sqlite"
    assert verified.manifest.database_member == DB
    assert [m.path for m in verified.manifest.media_members] == [n for n in FILES if n != DB]
    assert verified.total_bytes > sum(len(b) for b in FILES.values())  # and the manifest
    assert verified.members[MEDIA] == Member(
        MEDIA, len(FILES[MEDIA]), hashlib.sha256(FILES[MEDIA]).hexdigest()
    )


def _flip_byte_in(body: bytes) -> Callable[[Path], None]:
    """Change one byte of a member's body inside the archive file, leaving the headers."""

    def damage(path: Path) -> None:
        data = bytearray(path.read_bytes())
        at = data.index(body) + len(body) // 2
        data[at] ^= 0x01
        path.write_bytes(bytes(data))

    return damage


def _cut_inside(marker: bytes) -> Callable[[Path], None]:
    """Cut the file in the middle of the first occurrence of `marker` (a member's body or a
    header's name): what a copy interrupted there leaves."""

    def damage(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[: data.index(marker) + len(marker) // 2])

    return damage


def _cut_to_nothing(path: Path) -> None:
    path.write_bytes(b"")


def _garbage(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 not a tar at all" * 40)


def _gzip(path: Path) -> None:
    import gzip

    path.write_bytes(gzip.compress(path.read_bytes()))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_flip_byte_in(FILES[MEDIA]), f"「{MEDIA}」的大小或校验和与清单不符"),
        (_flip_byte_in(FILES[DB]), f"「{DB}」的大小或校验和与清单不符"),
        (_cut_inside(FILES[DB]), "备份文件不完整或已损坏"),
        (_cut_inside(FILES[MEDIA]), "备份文件不完整或已损坏"),
        (_cut_inside(b'"format": "fazhi-backup"'), "备份文件不完整或已损坏"),
        (_cut_inside(b"manifest.json"), "备份文件不完整：缺少清单"),  # before its header ends
        (_cut_to_nothing, "备份文件不完整或已损坏"),
        (_garbage, "备份文件不完整或已损坏"),
        (_gzip, "备份文件不完整或已损坏"),  # compressed archives are not read at all
    ],
)
def test_a_damaged_archive_is_refused(
    tmp_path: Path, damage: Callable[[Path], None], message: str
) -> None:
    path = build(tmp_path / "b.tar")
    damage(path)
    with pytest.raises(BackupError, match=message):
        verify(path, budget=10**6, progress=lambda line: None)


def _symlink(tar: tarfile.TarFile) -> None:
    info = tarfile.TarInfo("media/attachments/link")
    info.type = tarfile.SYMTYPE
    info.linkname = "/etc/passwd"
    tar.addfile(info)


def _hardlink(tar: tarfile.TarFile) -> None:
    info = tarfile.TarInfo("media/attachments/hard")
    info.type = tarfile.LNKTYPE
    info.linkname = DB
    tar.addfile(info)


def _directory(tar: tarfile.TarFile) -> None:
    info = tarfile.TarInfo("media/attachments")
    info.type = tarfile.DIRTYPE
    tar.addfile(info)


def _fifo(tar: tarfile.TarFile) -> None:
    info = tarfile.TarInfo("media/attachments/pipe")
    info.type = tarfile.FIFOTYPE
    tar.addfile(info)


def _member(name: str) -> Callable[[tarfile.TarFile], None]:
    return lambda tar: add(tar, name, b"x")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (_member("../../etc/cron.d/fazhi"), "不安全：含「..」"),
        (_member("media/../../../root/.ssh/authorized_keys"), "不安全：含「..」"),
        (_member("/etc/cron.d/fazhi"), "不安全：是绝对路径"),
        (_member("settings.py"), "不安全：不是 fazhi 备份中应有的文件"),
        (_symlink, "不是普通文件"),
        (_hardlink, "不是普通文件"),
        (_directory, "不是普通文件"),
        (_fifo, "不是普通文件"),
        (_member(MEDIA), "出现了两次"),
        (_member("media/attachments/unlisted"), "清单未列出的「media/attachments/unlisted」"),
    ],
)
def test_a_hostile_member_is_refused(
    tmp_path: Path, extra: Callable[[tarfile.TarFile], None], message: str
) -> None:
    path = build(tmp_path / "h.tar", extra=extra)
    with pytest.raises(BackupError, match=message):
        verify(path, budget=10**6, progress=lambda line: None)


def test_a_member_missing_from_the_archive_is_refused(tmp_path: Path) -> None:
    manifest = manifest_for({**FILES, "media/attachments/gone": b"lost"})
    path = build(tmp_path / "m.tar", manifest=manifest)
    with pytest.raises(
        BackupError, match="缺少清单所列的 1 个文件（如「media/attachments/gone」）"
    ):
        verify(path, budget=10**6, progress=lambda line: None)


def test_an_archive_without_manifest_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "n.tar"
    with tarfile.open(path, "w") as tar:
        for name, body in FILES.items():
            add(tar, name, body)
    with pytest.raises(BackupError, match=r"缺少清单 manifest\.json"):
        verify(path, budget=10**6, progress=lambda line: None)


@pytest.mark.parametrize(
    ("budget", "refused"),
    [(10**6, False), (len(FILES[DB]) - 1, True), (sum(len(b) for b in FILES.values()), True)],
)
def test_the_size_budget(tmp_path: Path, budget: int, refused: bool) -> None:
    path = build(tmp_path / "s.tar")
    if refused:
        with pytest.raises(BackupError, match="超过恢复上限"):
            verify(path, budget=budget, progress=lambda line: None)
    else:
        verify(path, budget=budget, progress=lambda line: None)


def _bad(**changes: Any) -> dict[str, Any]:
    return manifest_for(FILES, **changes)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (b"\xff\xfe not json", "格式不正确"),
        (b"[1, 2, 3]", "格式不正确"),
        (_bad(format="tar"), "格式不正确"),
        (_bad(format_version="1"), "格式不正确"),
        (_bad(format_version=2), "备份格式版本为 2，本程序只支持到 1"),
        (_bad(members=[{"path": DB, "size": -1, "sha256": "0" * 64}]), "格式不正确"),
        (_bad(members=[{"path": DB, "size": 1, "sha256": "XYZ"}]), "格式不正确"),
        (_bad(members="all"), "格式不正确"),
        (_bad(database={"vendor": "sqlite", "member": "database/other"}), "格式不正确"),
        (_bad(migrations=None), "格式不正确"),
    ],
)
def test_a_malformed_manifest_is_refused(
    tmp_path: Path, manifest: dict[str, Any] | bytes, message: str
) -> None:
    path = build(tmp_path / "j.tar", manifest=manifest)
    with pytest.raises(BackupError, match=message):
        verify(path, budget=10**6, progress=lambda line: None)


def test_a_manifest_round_trips_through_json() -> None:
    manifest = Manifest(
        fazhi_version="0.1.0",
        created_at="2026-11-25T10:00:00+08:00",
        vendor="postgresql",
        database_member="database/fazhi.pgdump",
        migrations=("audit.0001_initial",),
        members=(Member("database/fazhi.pgdump", 3, "a" * 64), Member("media/x", 1, "b" * 64)),
    )
    assert Manifest.from_json(manifest.to_json()) == manifest
    assert manifest.media_members == (Member("media/x", 1, "b" * 64),)
