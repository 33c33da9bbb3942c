from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.imports.streaming import streaming_importer
from fazhi.core.management.base import SystemOperator, unscoped_unit
from fazhi.core.records.bulk import import_file
from fazhi.core.web.registry import get_ledger, ledgers
from fazhi.core.workflow import ActionError


class Command(BaseCommand):
    help = "Import a ledger from .xlsx or .csv: `import LEDGER FILE --unit CODE [--dry-run] [--as USERNAME]`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ledger", help="ledger slug, e.g. disclosure")
        parser.add_argument("file")
        parser.add_argument("--unit", required=True)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--mapping", default="", help="a saved header mapping (streaming ledgers)"
        )
        parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
        parser.add_argument(
            "--as", dest="as_user", help="username recorded as the importer (default: system)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        ledger = get_ledger(opts["ledger"])
        if ledger is None:
            names = "、".join(x.slug for x in ledgers())
            raise CommandError(f"未知台账「{opts['ledger']}」，可用：{names}")
        unit = unscoped_unit(opts["unit"])
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        by = _operator(opts["as_user"], unit)
        streaming = streaming_importer(ledger.slug)
        if streaming is not None:
            self._stream(streaming, unit, by, path, opts)
            return
        if opts["mapping"]:
            raise CommandError(f"台账「{ledger.name}」不使用表头映射")
        try:
            outcome = import_file(
                ledger.ledger,
                ledger.import_declaration,
                unit=unit,
                by=by,
                data=path,
                filename=path.name,
                dry_run=opts["dry_run"],
            )
        except ActionError as exc:
            raise CommandError(exc.message) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(outcome.as_json(), ensure_ascii=False, indent=2))
            if outcome.errors:
                raise CommandError(outcome.summary())
            return
        for w in outcome.warnings:
            self.stdout.write(f"提示：{w}")
        for e in outcome.errors:
            self.stderr.write(e)
        if outcome.errors:
            raise CommandError(outcome.summary())
        self.stdout.write(outcome.summary())

    def _stream(self, importer: Any, unit: Any, by: Any, path: Path, opts: dict[str, Any]) -> None:
        err = self.stderr

        def bar(done: int, total: int, message: str) -> None:
            if opts.get("verbosity", 1) == 0:
                return
            share = done / total if total else 1.0
            filled = int(share * 30)
            err.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {share:6.1%} {message}", ending="")
            err.flush()

        try:
            outcome = importer(
                unit=unit,
                by=by,
                path=path,
                filename=path.name,
                mapping_name=opts["mapping"],
                dry_run=opts["dry_run"],
                progress=bar,
            )
        except ActionError as exc:
            raise CommandError(exc.message) from exc
        if opts.get("verbosity", 1):
            err.write("")
        if opts["json"]:
            self.stdout.write(json.dumps(outcome.as_json(), ensure_ascii=False, indent=2))
        else:
            for w in outcome.warnings:
                self.stdout.write(f"提示：{w}")
            for e in outcome.errors:
                self.stderr.write(e)
        if not outcome.ok:
            raise CommandError(outcome.summary())
        if not opts["json"]:
            self.stdout.write(outcome.summary())


def _operator(username: str | None, unit: Any) -> Any:
    """The command line is the installation's operator: an admin of the unit's root, or a named user."""
    from django.contrib.auth import get_user_model

    from fazhi.core.tenancy.access import access_for
    from fazhi.core.tenancy.roles import Permission

    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"未找到用户「{username}」")
        if not access_for(user).can(unit.pk, Permission.REGISTER):
            raise CommandError(f"用户「{username}」无权向 {unit.name} 导入")
        return user
    return SystemOperator()
