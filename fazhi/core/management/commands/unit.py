from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.management.base import unscoped_unit
from fazhi.core.tenancy.actions import add_unit
from fazhi.core.tenancy.models import OrgUnit, UnitKind


class Command(BaseCommand):
    help = "Manage org units: `unit add --code C --name N [--parent P] --kind K`, `unit list`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        add = sub.add_parser("add", help="add a unit")
        add.add_argument("--code", required=True)
        add.add_argument("--name", required=True)
        add.add_argument("--parent")
        add.add_argument("--kind", required=True, choices=UnitKind.values)
        lst = sub.add_parser("list", help="list units")
        lst.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["sub"] == "add":
            parent = unscoped_unit(opts["parent"]) if opts["parent"] else None
            try:
                unit = add_unit(
                    code=opts["code"], name=opts["name"], kind=opts["kind"], parent=parent, by=None
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"已添加单位：{unit.code} {unit.name}（{unit.get_kind_display()}）")
            return
        units = OrgUnit.objects.select_related("parent").order_by("path")
        if opts["json"]:
            data = [
                {
                    "code": u.code,
                    "name": u.name,
                    "kind": u.kind,
                    "parent": u.parent.code if u.parent else None,
                }
                for u in units
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for u in units:
            depth = u.path.count("/") - 2
            self.stdout.write(f"{'  ' * depth}{u.code}\t{u.name}\t{u.get_kind_display()}")
