from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.attachments.sniff import human_size
from fazhi.core.backup.actions import BackupError, create_backup
from fazhi.core.management.base import progress_writer


class Command(BaseCommand):
    help = (
        "Write the database and the stored attachments (MEDIA_ROOT) to one archive with a "
        "manifest of checksums: `backup -o FILE|FOLDER [--force] [--json]` "
        "(fazhi/core/backup/README.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            type=Path,
            help="the archive to write, or a folder to write fazhi-backup-<time>.tar in",
        )
        parser.add_argument("--force", action="store_true", help="overwrite an existing file")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = create_backup(
                target=opts["output"],
                force=opts["force"],
                by=None,
                progress=progress_writer(self, opts),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        elif opts["verbosity"] > 0:
            self.stdout.write(
                f"已写入备份文件：{result.path}（{human_size(result.size)}，"
                f"数据库和 {result.media_files} 个附件文件）"
            )
