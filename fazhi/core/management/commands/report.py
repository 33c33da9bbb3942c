from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.html import escape

from fazhi.core.management.base import unscoped_unit, year
from fazhi.core.reports.render_docx import render_docx
from fazhi.core.reports.render_html import render_html
from fazhi.core.reports.years import first_year, is_report_year
from fazhi.core.web.registry import get_report, reports


class Command(BaseCommand):
    help = "Generate a report: `report xxgk|fazhi --unit CODE --year Y --format json|html|docx -o PATH`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="report kind, e.g. xxgk or fazhi")
        parser.add_argument("--unit", required=True)
        parser.add_argument("--year", type=year, required=True)
        parser.add_argument("--format", choices=["json", "html", "docx"], default="json")
        parser.add_argument("-o", "--output", help="output path (default: stdout for json/html)")

    def handle(self, *args: Any, **opts: Any) -> None:
        found = get_report(opts["kind"])
        if found is None:
            kinds = "、".join(r.kind for r in reports())
            raise CommandError(f"未知报告类型「{opts['kind']}」（可用：{kinds}）")
        report_ui = found[1]
        today = timezone.localdate()
        if not is_report_year(opts["year"], today):
            raise CommandError(f"报告年度须在{first_year()}年至{today.year}年之间")
        unit = unscoped_unit(opts["unit"])
        report = report_ui.build(unit, opts["year"])
        fmt = opts["format"]
        if fmt == "json":
            content: bytes = json.dumps(report.as_json(), ensure_ascii=False, indent=2).encode()
        elif fmt == "html":
            doc = report.document(None)
            page = (
                f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(doc.title)}</title></head>'
                f"<body>{render_html(doc)}</body></html>"
            )
            content = page.encode()
        else:
            if not opts["output"]:
                raise CommandError("docx 格式请用 -o 指定输出文件")
            content = render_docx(report.document(None))
        if opts["output"]:
            path = Path(opts["output"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            self.stdout.write(f"已生成：{path}")
        else:
            self.stdout.write(content.decode())
