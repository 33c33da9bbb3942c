from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fazhi.core.imports.writing import write_xlsx
from fazhi.core.management.base import unscoped_unit, year
from fazhi.ledgers.disclosure.proactive import catalogue


class Command(BaseCommand):
    help = (
        "A unit's 政府信息公开目录 from the 主动公开 register: "
        "`xxgk_catalogue --unit CODE [--year Y] [-o PATH.xlsx]` (without -o: JSON lines)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True)
        parser.add_argument("--year", type=year, help="信息生成年度")
        parser.add_argument("-o", "--output", help="an .xlsx to write")

    def handle(self, *args: Any, **opts: Any) -> None:
        unit = unscoped_unit(opts["unit"])
        # The command line is the installation's operator: the unit's published entries.
        items = catalogue.unscoped_entries(unit, year=opts["year"])
        if opts["output"]:
            path = Path(opts["output"])
            path.parent.mkdir(parents=True, exist_ok=True)
            content = write_xlsx(
                catalogue.HEADERS, catalogue.rows(items), sheet_title="政府信息公开目录"
            )
            path.write_bytes(content)
            self.stdout.write(f"已生成：{path}（{items.count()} 条）")
            return
        for values in catalogue.rows(items):
            record = dict(zip(catalogue.HEADERS, values, strict=True))
            self.stdout.write(json.dumps(record, ensure_ascii=False, default=str))
