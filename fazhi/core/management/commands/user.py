from __future__ import annotations

import secrets
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.management.base import unscoped_unit
from fazhi.core.tenancy.actions import add_user
from fazhi.core.tenancy.roles import ROLES


class Command(BaseCommand):
    help = "Add a user with a role in a unit: `user add --username U --unit C --role R` (password from stdin, or generated)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        add = sub.add_parser("add")
        add.add_argument("--username", required=True)
        add.add_argument("--unit", required=True)
        add.add_argument("--role", required=True, choices=list(ROLES))
        add.add_argument("--name", default="", help="display name")

    def handle(self, *args: Any, **opts: Any) -> None:
        unit = unscoped_unit(opts["unit"])
        password = ""
        generated = False
        if not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\n")
        if not password:
            password = secrets.token_urlsafe(12)
            generated = True
        from django.contrib.auth import get_user_model

        existed = get_user_model().objects.filter(username=opts["username"]).exists()
        try:
            user = add_user(
                username=opts["username"],
                unit=unit,
                role=opts["role"],
                password=password,
                name=opts["name"],
                by=None,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        role = ROLES[opts["role"]]
        if existed:
            # An existing account keeps its password; only the role is added.
            self.stdout.write(
                f"已为现有用户 {user.get_username()} 增加角色：{unit.name} {role.name}（密码未改变）"
            )
            return
        self.stdout.write(f"已添加用户 {user.get_username()}：{unit.name} {role.name}")
        if generated:
            self.stdout.write(f"初始密码：{password}")
