"""`create_backup` and `restore_backup`: the two actions behind `fazhi backup` and
`fazhi restore`, each with its audit event."""

from __future__ import annotations

import datetime as dt
import getpass
import importlib.metadata
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from fazhi.core.attachments.sniff import human_size
from fazhi.core.audit.models import record_event
from fazhi.core.backup import database
from fazhi.core.backup.archive import (
    DATABASE_DIR,
    MANIFEST,
    MEDIA_DIR,
    ArchiveWriter,
    BackupError,
    Manifest,
    Progress,
    Verified,
    extract,
    open_for_writing,
    path_problem,
    verify,
)

__all__ = ["BackupError", "BackupResult", "RestoreResult", "create_backup", "restore_backup"]


def _quiet(line: str) -> None:
    pass


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    media_files: int
    manifest: Manifest
    skipped: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "size": self.size,
            "created_at": self.manifest.created_at,
            "vendor": self.manifest.vendor,
            "media_files": self.media_files,
            "skipped": list(self.skipped),
        }


@dataclass(frozen=True)
class RestoreResult:
    verified: Verified
    restored: bool
    notes: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        manifest = self.verified.manifest
        return {
            "restored": self.restored,
            "created_at": manifest.created_at,
            "fazhi_version": manifest.fazhi_version,
            "vendor": manifest.vendor,
            "media_files": len(manifest.media_members),
            "bytes": self.verified.total_bytes,
            "manifest_sha256": self.verified.manifest_sha256,
            "notes": list(self.notes),
        }


def default_name(at: dt.datetime) -> str:
    return f"fazhi-backup-{timezone.localtime(at):%Y%m%d-%H%M%S}.tar"


def _fazhi_version() -> str:
    try:
        return importlib.metadata.version("fazhi")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _iso(at: dt.datetime) -> str:
    return timezone.localtime(at).isoformat(timespec="seconds")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user without a passwd entry
        return ""


def _refuse_in_transaction(what: str) -> None:
    # A dump sees only committed rows, and the audit event must be committed before it starts.
    if connection.in_atomic_block:
        raise BackupError(f"{what}不能在数据库事务中进行")


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _unreadable(exc: OSError) -> None:
    # os.walk skips a folder it cannot read unless told otherwise: its files would be missing.
    raise BackupError(f"无法读取附件目录「{exc.filename}」：{exc.strerror}")


def _media_files(root: Path, skipped: list[str]) -> list[tuple[str, Path]]:
    """Every regular file below MEDIA_ROOT as (archive name, path), in a stable order. Links and
    special files are skipped (and named), never followed."""
    found: list[tuple[str, Path]] = []
    if not root.is_dir():
        return found
    for folder, dirs, files in os.walk(root, onerror=_unreadable):
        for name in [d for d in dirs if (Path(folder) / d).is_symlink()]:
            skipped.append((Path(folder) / name).relative_to(root).as_posix())
            dirs.remove(name)
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            arcname = f"{MEDIA_DIR}/{rel}"
            try:
                arcname.encode("utf-8")
            except UnicodeEncodeError:
                skipped.append(rel.encode("utf-8", "replace").decode("utf-8"))
                continue
            if not stat.S_ISREG(path.lstat().st_mode) or path_problem(arcname) is not None:
                skipped.append(rel)
                continue
            found.append((arcname, path))
    return found


def create_backup(
    *, target: Path, force: bool = False, by: Any = None, progress: Progress = _quiet
) -> BackupResult:
    """Write the database and the attachment files to one archive at `target` (a file, or a
    folder to put `fazhi-backup-<time>.tar` in).

    The archive is written beside the target under a temporary name and renamed into place only
    when complete, so a target is either a whole archive or absent."""
    database.check_vendor(connection)
    target = target.absolute()
    created = timezone.now()
    if target.is_dir():
        target = target / default_name(created)
    if not target.parent.is_dir():
        raise BackupError(f"备份目录「{target.parent}」不存在")
    if target.exists() and not force:
        raise BackupError(f"文件「{target}」已存在；如要覆盖，请加 --force")
    media_root = Path(settings.MEDIA_ROOT)
    if _inside(target.parent, media_root):
        raise BackupError(f"备份文件不能放在附件目录「{media_root}」之内")
    database.require_tool(connection, "pg_dump")
    _refuse_in_transaction("备份")

    with transaction.atomic():
        # Committed before the dump starts, so the archive holds the record of its own making.
        record_event(
            "backup.archive.created",
            by=by,
            data={"file": str(target), "created_at": _iso(created), "os_user": _os_user()},
        )
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        result = _write(target, work, created, media_root, force, progress)
    except Exception as exc:
        with transaction.atomic():
            record_event(
                "backup.archive.failed",
                by=by,
                data={"file": str(target), "created_at": _iso(created), "error": str(exc)[:1000]},
            )
        if isinstance(exc, OSError):
            raise BackupError(f"写入备份文件失败：{exc}") from exc
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _write(
    target: Path,
    work: Path,
    created: dt.datetime,
    media_root: Path,
    force: bool,
    progress: Progress,
) -> BackupResult:
    vendor = connection.vendor
    migrations = database.applied_migrations(connection)
    dump_file = work / database.DUMP_NAMES[vendor]
    progress(f"正在导出数据库（{database.vendor_label(vendor)}）…")
    database.dump(connection, dump_file)
    progress(f"已导出数据库（{human_size(dump_file.stat().st_size)}）")

    skipped: list[str] = []
    files = _media_files(media_root, skipped)
    for name in skipped:
        progress(f"跳过非普通文件（链接、设备或无法打包的名称）：{name}")
    progress(f"正在打包附件：共 {len(files)} 个文件…")
    archive = work / "archive.tar"
    # Owner-only: the archive holds every record, personal data included.
    with open(os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fh:
        with open_for_writing(fh) as tar:
            writer = ArchiveWriter(tar)
            database_member = writer.add_file(f"{DATABASE_DIR}/{dump_file.name}", dump_file)
            dump_file.unlink()  # the space is needed for the media
            for done, (name, path) in enumerate(files, 1):
                try:
                    writer.add_file(name, path)
                except FileNotFoundError:  # removed (with its row) since the snapshot
                    skipped.append(name.removeprefix(f"{MEDIA_DIR}/"))
                    progress(f"跳过备份期间已删除的文件：{skipped[-1]}")
                if done % 1000 == 0:
                    progress(f"已打包附件 {done}/{len(files)}")
            manifest = Manifest(
                fazhi_version=_fazhi_version(),
                created_at=_iso(created),
                vendor=vendor,
                database_member=database_member.path,
                migrations=tuple(migrations),
                members=tuple(writer.members),
            )
            writer.add_bytes(MANIFEST, manifest.to_json(), mtime=created.timestamp())
        fh.flush()
        os.fsync(fh.fileno())
    _publish(archive, target, force=force)
    return BackupResult(
        path=target,
        size=target.stat().st_size,
        media_files=len(manifest.media_members),
        manifest=manifest,
        skipped=tuple(skipped),
    )


def _publish(archive: Path, target: Path, *, force: bool) -> None:
    if force:
        os.replace(archive, target)
    else:
        try:
            os.link(archive, target)  # fails if the target appeared meanwhile: never overwrite
        except FileExistsError:
            raise BackupError(f"文件「{target}」在备份期间被创建；未覆盖它") from None
        except OSError:  # a file system without hard links (some network shares)
            if target.exists():
                raise BackupError(f"文件「{target}」在备份期间被创建；未覆盖它") from None
            os.replace(archive, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _files_below(folder: Path) -> list[Path]:
    if not folder.exists():
        return []
    return [p for p in folder.rglob("*") if not p.is_dir() or p.is_symlink()]


def restore_backup(
    *, source: Path, by: Any = None, check_only: bool = False, progress: Progress = _quiet
) -> RestoreResult:
    """Restore an archive into the configured, empty database and an empty MEDIA_ROOT.

    Every checksum is verified and every refusal decided before anything is written; the files
    are staged beside MEDIA_ROOT, put in place, then the database is loaded in one step. If
    loading fails, the files put in place are taken back out."""
    source = source.absolute()
    if not source.is_file():
        raise BackupError(f"备份文件「{source}」不存在")
    progress("正在校验备份文件…")
    verified = verify(source, budget=settings.FAZHI_RESTORE_MAX_BYTES, progress=progress)
    manifest = verified.manifest
    progress(
        f"校验通过：数据库和 {len(manifest.media_members)} 个附件文件，共 "
        f"{human_size(verified.total_bytes)}；备份时间 {manifest.created_at}，fazhi {manifest.fazhi_version}"
    )
    notes = _migration_notes(manifest)
    if check_only:
        return RestoreResult(verified=verified, restored=False, notes=notes)

    database.check_vendor(connection)
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"这是 {database.vendor_label(manifest.vendor)} 数据库的备份，当前配置的是 "
            f"{database.vendor_label(connection.vendor)}；不能跨数据库类型恢复"
        )
    media_root = Path(settings.MEDIA_ROOT)
    present = _files_below(media_root)
    if present:
        raise BackupError(
            f"附件目录「{media_root}」不是空的（有 {len(present)} 个文件）；"
            "请恢复到空目录（FAZHI_MEDIA_ROOT）"
        )
    tables = database.table_count(connection)
    if tables:
        raise BackupError(
            f"目标数据库不是空的（已有 {tables} 张表）；请新建一个空数据库再恢复，"
            "恢复前不要运行 fazhi migrate"
        )
    staging_parent = media_root.parent
    existing = next(p for p in (staging_parent, *staging_parent.parents) if p.exists())
    free = shutil.disk_usage(existing).free
    if free < verified.total_bytes:
        raise BackupError(
            f"磁盘空间不足：恢复需要 {human_size(verified.total_bytes)}，"
            f"「{existing}」所在磁盘只剩 {human_size(free)}"
        )

    database.require_tool(connection, "pg_restore")
    _refuse_in_transaction("恢复")
    staging_parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".fazhi-restore-", dir=staging_parent))
    try:
        progress("正在取出数据库和附件…")
        dump_file = staging / "database"
        extract(
            source, verified, database_to=dump_file, media_to=staging / "media", progress=progress
        )
        placed: list[Path] = []
        try:
            _place_media(staging / "media", media_root, placed)
            progress(f"正在恢复数据库（{database.vendor_label(connection.vendor)}）…")
            database.load(connection, dump_file)
        except BaseException:
            _take_back(placed)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    with transaction.atomic():
        record_event(
            "backup.archive.restored",
            by=by,
            data={
                "file": str(source),
                "created_at": manifest.created_at,
                "fazhi_version": manifest.fazhi_version,
                "manifest_sha256": verified.manifest_sha256,
                "media_files": len(manifest.media_members),
                "os_user": _os_user(),
            },
        )
    progress(f"已恢复数据库和 {len(manifest.media_members)} 个附件文件")
    return RestoreResult(verified=verified, restored=True, notes=notes)


def _migration_notes(manifest: Manifest) -> tuple[str, ...]:
    archived = set(manifest.migrations)
    known = database.known_migrations()
    notes = []
    unknown = sorted(archived - known)
    if unknown:
        notes.append(
            f"备份中有 {len(unknown)} 项本程序不认识的数据库迁移（如 {unknown[0]}），"
            "它可能来自更新版本的 fazhi；请先升级 fazhi 再使用恢复的数据"
        )
    if known - archived:
        notes.append("备份来自较早版本的 fazhi：恢复后请运行 fazhi migrate")
    return tuple(notes)


def _place_media(staged: Path, media_root: Path, placed: list[Path]) -> None:
    """Move the staged files into MEDIA_ROOT (which holds at most empty folders), noting each
    entry moved so that a failure can take it back out."""
    media_root.mkdir(parents=True, exist_ok=True)
    for leftover in sorted(media_root.rglob("*"), reverse=True):
        leftover.rmdir()  # empty folders only: it fails rather than delete a file
    for entry in sorted(staged.iterdir()):
        placed.append(media_root / entry.name)
        shutil.move(entry, media_root / entry.name)


def _take_back(placed: list[Path]) -> None:
    for path in placed:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
