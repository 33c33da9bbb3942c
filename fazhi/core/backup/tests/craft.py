"""Hand-built archives, honest or hostile, written with tarfile itself: a test that needs a
link member or a manifest that lies cannot get one from `fazhi backup`."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

DB = "database/fazhi.sqlite3"
FILES = {
    DB: b"SQLite format 3\x00" + b"\x01" * 2000,
    "media/attachments/2026/11/0a1b2c": b"%PDF-1.4 first file",
    "media/attachments/2026/11/3d4e5f": "第二个文件".encode(),
}


def manifest_for(
    files: dict[str, bytes], *, vendor: str = "sqlite", database: str = DB, **changes: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "fazhi-backup",
        "format_version": 1,
        "fazhi_version": "0.1.0",
        "created_at": "2026-11-25T10:00:00+08:00",
        "database": {"vendor": vendor, "member": database},
        "migrations": ["audit.0001_initial"],
        "members": [
            {"path": name, "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
            for name, body in files.items()
        ],
    }
    data.update(changes)
    return data


def add(tar: tarfile.TarFile, name: str, body: bytes, **attrs: Any) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(body)
    for key, value in attrs.items():
        setattr(info, key, value)
    tar.addfile(info, io.BytesIO(body))


def build(
    path: Path,
    files: dict[str, bytes] | None = None,
    *,
    manifest: dict[str, Any] | bytes | None = None,
    vendor: str = "sqlite",
    extra: Callable[[tarfile.TarFile], None] | None = None,
) -> Path:
    """Write `files` and a manifest listing them (or the one given), then `extra` members."""
    files = dict(FILES if files is None else files)
    if manifest is None:
        manifest = manifest_for(files, vendor=vendor)
    raw = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, body in files.items():
            add(tar, name, body)
        if extra is not None:
            extra(tar)
        add(tar, "manifest.json", raw)
    return path
