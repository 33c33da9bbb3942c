"""The archive: one uncompressed tar holding the database dump, the attachment files and a
manifest of their sizes and SHA-256 checksums.

Layout::

    database/fazhi.sqlite3 | database/fazhi.pgdump
    media/<path under MEDIA_ROOT>          (one member per stored file)
    manifest.json                          (written last, once every checksum is known)

Reading never trusts a member before the whole archive has been checked: `verify` reads every
byte once, writing nothing, and compares names, types, sizes and checksums with the manifest;
`extract` reads it again into a staging folder and checks each checksum a second time, since the
file may have changed in between.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from fazhi.core.attachments.sniff import human_size

FORMAT = "fazhi-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
MEDIA_DIR = "media"
# A manifest lists one line per file; even a million attachments fit well below this.
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
CHUNK = 1024 * 1024

Progress = Callable[[str], None]


class BackupError(Exception):
    """A refusal or a failure; ``str(exc)`` is the Chinese message the operator reads."""


@dataclass(frozen=True)
class Member:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    fazhi_version: str
    created_at: str
    vendor: str
    database_member: str
    migrations: tuple[str, ...]
    members: tuple[Member, ...]

    @property
    def media_members(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.path != self.database_member)

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "fazhi_version": self.fazhi_version,
            "created_at": self.created_at,
            "database": {"vendor": self.vendor, "member": self.database_member},
            "migrations": list(self.migrations),
            "members": [{"path": m.path, "size": m.size, "sha256": m.sha256} for m in self.members],
        }
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        bad = BackupError("备份清单 manifest.json 格式不正确，备份文件已损坏或不是 fazhi 的备份")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise bad from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise bad
        version = data.get("format_version")
        if not isinstance(version, int):
            raise bad
        if version > FORMAT_VERSION:
            raise BackupError(
                f"备份格式版本为 {version}，本程序只支持到 {FORMAT_VERSION}；请用更新版本的 fazhi 恢复"
            )
        try:
            database = data["database"]
            members = tuple(
                Member(path=_str(m["path"]), size=_size(m["size"]), sha256=_sha(m["sha256"]))
                for m in data["members"]
            )
            manifest = cls(
                fazhi_version=_str(data["fazhi_version"]),
                created_at=_str(data["created_at"]),
                vendor=_str(database["vendor"]),
                database_member=_str(database["member"]),
                migrations=tuple(_str(m) for m in data["migrations"]),
                members=members,
            )
        except (KeyError, TypeError, ValueError):
            raise bad from None
        if manifest.database_member not in {m.path for m in members}:
            raise bad
        return manifest


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _size(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(value)
    return value


def _sha(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 64 or value.strip("0123456789abcdef"):
        raise ValueError(value)
    return value


def path_problem(name: str) -> str | None:
    """Why a member name is unsafe or not one a fazhi backup holds; None when it is fine.

    Extraction joins these names onto a folder, so a name must never climb out of it."""
    if not name or "\x00" in name:
        return "名称为空或含空字符"
    if name.startswith("/"):
        return "是绝对路径"
    if "\\" in name:
        return "含反斜杠"
    parts = name.split("/")
    if ".." in parts:
        return "含「..」，会写到目标目录之外"
    if any(part in ("", ".") for part in parts):
        return "含空的或「.」路径段"
    if name == MANIFEST:
        return None
    if parts[0] == DATABASE_DIR and len(parts) == 2:
        return None
    if parts[0] == MEDIA_DIR and len(parts) >= 2:
        return None
    return "不是 fazhi 备份中应有的文件"


class _HashingReader:
    """A file wrapper that hashes what tarfile copies out of it."""

    def __init__(self, fileobj: IO[bytes]) -> None:
        self._fileobj = fileobj
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self._fileobj.read(size)
        self.hash.update(chunk)
        return chunk


def open_for_writing(fileobj: IO[bytes]) -> tarfile.TarFile:
    # PAX headers carry long UTF-8 names and sizes past 8 GiB.
    return tarfile.open(fileobj=fileobj, mode="w", format=tarfile.PAX_FORMAT)


class ArchiveWriter:
    """Writes members one by one, each hashed while it is copied in."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self._tar = tar
        self.members: list[Member] = []

    def add_file(self, name: str, path: Path) -> Member:
        with open(path, "rb") as fh:
            stat = os.fstat(fh.fileno())
            info = tarfile.TarInfo(name)
            info.size = stat.st_size
            info.mtime = int(stat.st_mtime)
            info.mode = 0o600
            reader = _HashingReader(fh)
            self._tar.addfile(info, reader)
        member = Member(name, stat.st_size, reader.hash.hexdigest())
        self.members.append(member)
        return member

    def add_bytes(self, name: str, data: bytes, *, mtime: float) -> None:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = int(mtime)
        info.mode = 0o600
        self._tar.addfile(info, io.BytesIO(data))


@dataclass(frozen=True)
class Verified:
    manifest: Manifest
    manifest_sha256: str
    total_bytes: int
    members: dict[str, Member] = field(repr=False)


def _read_failure(exc: BaseException) -> BackupError:
    if isinstance(exc, tarfile.TarError | EOFError):
        return BackupError(f"备份文件不完整或已损坏，无法读取（{exc}）")
    return BackupError(f"无法读取备份文件：{getattr(exc, 'strerror', None) or exc}")


def _members(path: Path) -> Iterator[tuple[tarfile.TarFile, tarfile.TarInfo]]:
    """Each member header in order, with the open archive. "r:" reads only an uncompressed
    tar: there is no decompression to bomb."""
    try:
        with tarfile.open(path, mode="r:") as tar:
            for info in tar:
                yield tar, info
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise _read_failure(exc) from exc


def _chunks(fh: IO[bytes]) -> Iterator[bytes]:
    """A member's body; a body cut short raises here, not in the caller's writes."""
    while True:
        try:
            chunk = fh.read(CHUNK)
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise _read_failure(exc) from exc
        if not chunk:
            return
        yield chunk


def _check_header(info: tarfile.TarInfo) -> None:
    problem = path_problem(info.name)
    if problem is not None:
        raise BackupError(f"备份文件中的路径「{info.name}」不安全：{problem}；拒绝恢复")
    if not info.isreg() or info.sparse is not None:
        raise BackupError(
            f"备份文件中的「{info.name}」不是普通文件（链接、目录或设备等）；拒绝恢复"
        )


def _copy(src: IO[bytes], dest: IO[bytes] | None) -> str:
    digest = hashlib.sha256()
    for chunk in _chunks(src):
        digest.update(chunk)
        if dest is not None:
            dest.write(chunk)
    return digest.hexdigest()


def verify(path: Path, *, budget: int, progress: Progress) -> Verified:
    """Read the whole archive once and check it against its manifest; write nothing."""
    seen: dict[str, Member] = {}
    manifest_raw: bytes | None = None
    total = 0
    report_every = 1024 * CHUNK
    next_report = report_every
    for tar, info in _members(path):
        _check_header(info)
        if info.name in seen:
            raise BackupError(f"备份文件中「{info.name}」出现了两次，可能被篡改；拒绝恢复")
        total += info.size
        if total > budget:
            raise BackupError(
                f"备份文件中的「{info.name}」使总大小超过恢复上限 {human_size(budget)}"
                "（FAZHI_RESTORE_MAX_BYTES）；拒绝恢复"
            )
        fh = tar.extractfile(info)
        assert fh is not None  # a regular file always has a body
        if info.name == MANIFEST:
            if info.size > MANIFEST_MAX_BYTES:
                raise BackupError("备份清单 manifest.json 过大，不是 fazhi 的备份；拒绝恢复")
            manifest_raw = b"".join(_chunks(fh))
            sha = hashlib.sha256(manifest_raw).hexdigest()
        else:
            sha = _copy(fh, None)
        seen[info.name] = Member(info.name, info.size, sha)
        if total >= next_report:
            progress(f"已校验 {human_size(total)}…")
            next_report = total + report_every
    if manifest_raw is None:
        raise BackupError("备份文件不完整：缺少清单 manifest.json（可能被截断）；拒绝恢复")
    manifest = Manifest.from_json(manifest_raw)
    listed = {m.path: m for m in manifest.members}
    if len(listed) != len(manifest.members):
        raise BackupError("备份清单中有重复的文件，可能被篡改；拒绝恢复")
    missing = sorted(set(listed) - set(seen))
    if missing:
        raise BackupError(
            f"备份文件不完整：缺少清单所列的 {len(missing)} 个文件（如「{missing[0]}」）；拒绝恢复"
        )
    extra = sorted(set(seen) - set(listed) - {MANIFEST})
    if extra:
        raise BackupError(f"备份文件中有清单未列出的「{extra[0]}」，可能被篡改；拒绝恢复")
    for name, expected in listed.items():
        if seen[name] != expected:
            raise BackupError(
                f"「{name}」的大小或校验和与清单不符，备份文件已损坏或被篡改；拒绝恢复"
            )
    del seen[MANIFEST]
    return Verified(
        manifest=manifest,
        manifest_sha256=hashlib.sha256(manifest_raw).hexdigest(),
        total_bytes=total,
        members=seen,
    )


def extract(
    path: Path, verified: Verified, *, database_to: Path, media_to: Path, progress: Progress
) -> None:
    """Write the database dump to `database_to` and the media files under `media_to` (a new,
    empty folder), checking every member again against what `verify` found."""
    media_to.mkdir()
    done: set[str] = set()
    placed = 0
    count = len(verified.manifest.media_members)
    for tar, info in _members(path):
        if info.name == MANIFEST:
            continue
        _check_header(info)
        expected = verified.members.get(info.name)
        if expected is None or expected.size != info.size:
            raise BackupError("备份文件在恢复过程中被改动；已停止，未写入数据库")
        if info.name == verified.manifest.database_member:
            dest = database_to
        else:
            # Names passed path_problem: relative, no "..", so they stay below media_to.
            dest = media_to.joinpath(*info.name.split("/")[1:])
            dest.parent.mkdir(parents=True, exist_ok=True)
        fh = tar.extractfile(info)
        assert fh is not None
        with open(dest, "xb") as out:
            sha = _copy(fh, out)
        if sha != expected.sha256:
            raise BackupError("备份文件在恢复过程中被改动；已停止，未写入数据库")
        os.utime(dest, (info.mtime, info.mtime))
        done.add(info.name)
        if dest != database_to:
            placed += 1
            if placed % 1000 == 0:
                progress(f"已取出附件 {placed}/{count}")
    if done != set(verified.members):
        raise BackupError("备份文件在恢复过程中被改动；已停止，未写入数据库")
