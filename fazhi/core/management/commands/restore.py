from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.backup.actions import BackupError, restore_backup
from fazhi.core.management.base import progress_writer


class Command(BaseCommand):
    help = (
        "Restore a `fazhi backup` archive into the configured, empty database and an empty "
        "MEDIA_ROOT, after checking every checksum: `restore FILE [--check] [--json]`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the archive written by `fazhi backup`")
        parser.add_argument(
            "--check", action="store_true", help="only verify the archive; change nothing"
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        progress = progress_writer(self, opts)
        try:
            result = restore_backup(
                source=opts["file"], by=None, check_only=opts["check"], progress=progress
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for note in result.notes:
            progress(f"注意：{note}")
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        elif opts["verbosity"] > 0:
            self.stdout.write(
                "备份文件完好，可以恢复（未做任何更改）" if opts["check"] else "恢复完成"
            )
