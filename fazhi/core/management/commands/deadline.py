from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.calendar.service import get_calendar
from fazhi.core.deadlines.clock import compute
from fazhi.core.deadlines.rules import DeadlineRule, PeriodUnit, all_rules, get_rule
from fazhi.core.management.base import iso_date


class Command(BaseCommand):
    help = "Compute a due date: `deadline --start YYYY-MM-DD (--workdays N | --days N | --rule CODE) [--json]`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", type=iso_date, help="start date (not counted)")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--workdays", type=int, help="N 工作日")
        group.add_argument("--days", type=int, help="N 日 (calendar days)")
        group.add_argument("--rule", help="a rule code, e.g. xxgk.reply")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--list-rules", action="store_true", help="list the rule codes")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["list_rules"]:
            for r in all_rules():
                self.stdout.write(f"{r.code}\t{r.name}\t{r.period_text}\t{r.basis}")
            return
        if opts["start"] is None:
            raise CommandError("请用 --start 指定起算日期（YYYY-MM-DD）")
        if opts["rule"]:
            try:
                rule = get_rule(opts["rule"])
            except KeyError as exc:
                raise CommandError(str(exc.args[0])) from exc
        elif opts["workdays"] is not None:
            rule = _adhoc(opts["workdays"], PeriodUnit.WORKDAY)
        elif opts["days"] is not None:
            rule = _adhoc(opts["days"], PeriodUnit.DAY)
        else:
            raise CommandError("请指定 --workdays N、--days N 或 --rule CODE 之一")
        if rule.amount < 0 or rule.amount > 3650:
            raise CommandError("期限天数应在 0 至 3650 之间")
        deadline = compute(rule, opts["start"], get_calendar())
        if opts["json"]:
            data = {
                "due": deadline.due.isoformat(),
                "provisional": deadline.provisional,
                "steps": list(deadline.steps),
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(deadline.due.isoformat() + ("（暂定）" if deadline.provisional else ""))
        for step in deadline.steps:
            self.stdout.write(f"  · {step}")


def _adhoc(amount: int, unit: PeriodUnit) -> DeadlineRule:
    return DeadlineRule(f"adhoc.{unit.value}", "自定义期限", amount, unit, "命令行指定", "起算日")
