"""The `fazhi` console script: Django's command runner with fazhi's settings."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(sys.argv)
    except DatabaseError as exc:
        # A fresh checkout has no database yet (or a table is missing after an upgrade): say
        # what to do instead of a traceback.
        if _unmigrated(exc):
            sys.stderr.write(
                "数据库尚未建立或未升级到当前版本：请先运行 fazhi migrate（演示环境：make demo）。\n"
                f"（{exc}）\n"
            )
            sys.exit(1)
        raise


def _unmigrated(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(
        s in text
        for s in ("unable to open database file", "no such table", "does not exist", "不存在")
    )


if __name__ == "__main__":
    main()
