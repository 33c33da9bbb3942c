from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.html import escape

from fazhi.core.management.base import SystemOperator, unscoped_unit
from fazhi.core.reports.render_docx import render_docx
from fazhi.core.reports.render_html import render_html
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure.proactive import guide


class Command(BaseCommand):
    help = (
        "A unit's 政府信息公开指南: `xxgk_guide --unit CODE [--format json|html|docx] [-o PATH]`; "
        "`--set FIELD=VALUE` (repeatable) saves fields first, e.g. --set address=…"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True)
        parser.add_argument("--format", choices=["json", "html", "docx"], default="json")
        parser.add_argument("-o", "--output", help="output path (default: stdout for json/html)")
        parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE")

    def handle(self, *args: Any, **opts: Any) -> None:
        unit = unscoped_unit(opts["unit"])
        if opts["set"]:
            fields, _ = guide.current(unit)
            for item in opts["set"]:
                name, sep, value = item.partition("=")
                if not sep or name not in guide.FIELDS:
                    names = "、".join(guide.FIELDS)
                    raise CommandError(f"--set 应为 字段=内容，字段可为：{names}")
                fields[name] = value.replace("\\n", "\n")
            try:
                guide.save_guide(unit=unit, by=SystemOperator(), **fields)
            except ActionError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"已保存：{unit.name}政府信息公开指南")
        doc = guide.document(unit)
        fmt = opts["format"]
        if fmt == "json":
            fields, saved = guide.current(unit)
            data = {
                "unit": unit.code,
                "unit_name": unit.name,
                "saved": saved is not None,
                "missing": guide.missing(fields),
                "fields": fields,
            }
            content = json.dumps(data, ensure_ascii=False, indent=2).encode()
        elif fmt == "html":
            content = (
                f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>'
                f"{escape(doc.title)}</title></head><body>{render_html(doc)}</body></html>"
            ).encode()
        else:
            if not opts["output"]:
                raise CommandError("docx 格式请用 -o 指定输出文件")
            content = render_docx(doc)
        if opts["output"]:
            path = Path(opts["output"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            self.stdout.write(f"已生成：{path}")
        elif not opts["set"] or fmt != "json":
            self.stdout.write(content.decode())
