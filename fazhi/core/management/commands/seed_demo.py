from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from fazhi.core.records.ledger import ledgers
from fazhi.core.tenancy.actions import add_unit, add_user
from fazhi.core.tenancy.models import Membership, OrgUnit, UnitKind
from fazhi.core.tenancy.roles import ROLES

DEMO_PASSWORD = "fazhi-demo-2026"
DISTRICT = ("999101", "示例区")
STREETS = [
    ("999101001", "东湖街道", "dh"),
    ("999101002", "西城街道", "xc"),
    ("999101003", "南山街道", "ns"),
]
STREET_ROLES = [("clerk", "luru"), ("reviewer", "shenhe"), ("leader", "fuze")]
# The district's own clerk and leader, for the ledgers that keep district records in the demo
# (`Ledger.demo_district`: the 第一责任人 log of the 区委书记 and 区长).
DISTRICT_ROLES = [("clerk", "qu_luru", "区政府办录入员"), ("leader", "qu_fuze", "区政府办负责人")]
PEOPLE = {
    "dh": ("王芳", "赵强", "刘洋"),
    "xc": ("陈静", "孙伟", "周敏"),
    "ns": ("吴婷", "郑磊", "何军"),
}


class Command(BaseCommand):
    help = "Seed the demo district 示例区 with three 街道, a user for every role, and records in every ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="where the demo will be served (printed)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if OrgUnit.objects.filter(code=DISTRICT[0]).exists():
            self.stdout.write("示例数据已存在，跳过生成。")
        else:
            with transaction.atomic():
                self._seed(opts["seed"])
        self._print_logins(opts["addr"])

    def _seed(self, seed: int) -> None:
        district = add_unit(
            code=DISTRICT[0], name=DISTRICT[1], kind=UnitKind.DISTRICT, parent=None, by=None
        )
        add_user(
            username="admin",
            unit=district,
            role="admin",
            password=DEMO_PASSWORD,
            name="系统管理员",
            by=None,
        )
        add_user(
            username="jiandu",
            unit=district,
            role="supervisor",
            password=DEMO_PASSWORD,
            name="依法治区办",
            by=None,
        )
        today = timezone.localdate()
        for i, (code, name, prefix) in enumerate(STREETS):
            street = add_unit(code=code, name=name, kind=UnitKind.STREET, parent=district, by=None)
            users = {
                role: add_user(
                    username=f"{prefix}_{suffix}",
                    unit=street,
                    role=role,
                    password=DEMO_PASSWORD,
                    name=person,
                    by=None,
                )
                for (role, suffix), person in zip(STREET_ROLES, PEOPLE[prefix], strict=True)
            }
            for ledger in ledgers():
                if ledger.demo is not None:
                    created = ledger.demo(street, users, seed + i, today)
                    self.stdout.write(f"{name}：{ledger.name} {created} 件")
        own = [ledger for ledger in ledgers() if ledger.demo is not None and ledger.demo_district]
        if own:
            users = {
                role: add_user(
                    username=username, unit=district, role=role, password=DEMO_PASSWORD,
                    name=person, by=None,
                )
                for role, username, person in DISTRICT_ROLES
            }  # fmt: skip
            for ledger in own:
                assert ledger.demo is not None
                created = ledger.demo(district, users, seed + len(STREETS), today)
                self.stdout.write(f"{DISTRICT[1]}：{ledger.name} {created} 件")

    def _print_logins(self, addr: str) -> None:
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        memberships = Membership.objects.filter(unit__code__startswith=DISTRICT[0]).select_related(
            "user", "unit"
        )
        for m in memberships.order_by("unit__path", "user__username"):
            self.stdout.write(f"  {m.user.username:<12} {m.unit.name} {ROLES[m.role].name}")
        self.stdout.write(f"\n打开 http://{addr} ，用上述任一账号登录。")
