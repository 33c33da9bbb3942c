from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.api import tokens
from fazhi.core.api.models import ApiToken, Scope
from fazhi.core.management.base import iso_date, unscoped_unit


class Command(BaseCommand):
    help = (
        "API tokens: `token add --unit C --name N [--scope read|write] [--expires YYYY-MM-DD]`"
        " (prints the token once), `token list [--unit C] [--json]`, `token revoke KEY`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        add = sub.add_parser("add", help="issue a token for a unit (and its subtree)")
        add.add_argument("--unit", required=True)
        add.add_argument("--name", required=True, help="the platform or purpose")
        add.add_argument("--scope", choices=Scope.values, default=Scope.READ)
        add.add_argument("--expires", type=iso_date, help="last valid day (YYYY-MM-DD)")
        add.add_argument("--json", action="store_true")
        lst = sub.add_parser("list", help="list tokens")
        lst.add_argument("--unit")
        lst.add_argument("--json", action="store_true")
        revoke = sub.add_parser("revoke", help="revoke a token by its key (fz_…)")
        revoke.add_argument("key")

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, f"_{opts['sub']}")(opts)

    def _add(self, opts: dict[str, Any]) -> None:
        try:
            issued = tokens.issue_token(
                unit=unscoped_unit(opts["unit"]),
                name=opts["name"],
                scope=opts["scope"],
                expires_on=opts["expires"],
                by=None,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        t = issued.token
        if opts["json"]:
            self.stdout.write(json.dumps({**_row(t), "token": issued.secret}, ensure_ascii=False))
            return
        self.stdout.write(f"已新建接口令牌「{t.name}」（{t.unit.name}，{t.get_scope_display()}）")
        self.stdout.write(f"令牌（只显示这一次）：{issued.secret}")

    def _list(self, opts: dict[str, Any]) -> None:
        qs = tokens.unscoped_tokens().select_related("unit").order_by("unit__path", "-created_at")
        if opts["unit"]:
            qs = qs.filter(unit=unscoped_unit(opts["unit"]))
        rows = [_row(t) for t in qs]
        if opts["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for r in rows:
            self.stdout.write(
                f"{r['key']}\t{r['unit']}\t{r['name']}\t{r['scope']}\t{r['state']}"
                f"\t最近使用 {r['last_used_at'] or '从未'}"
            )

    def _revoke(self, opts: dict[str, Any]) -> None:
        token = tokens.unscoped_tokens().select_related("unit").filter(key=opts["key"]).first()
        if token is None:
            raise CommandError(f"未找到令牌「{opts['key']}」（可用 `fazhi token list` 查看）")
        try:
            tokens.revoke_token(token=token, by=None)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已吊销令牌「{token.name}」（{token.key}）")


def _row(t: ApiToken) -> dict[str, Any]:
    def iso(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "key": t.key,
        "unit": t.unit.code,
        "name": t.name,
        "scope": t.scope,
        "state": t.state,
        "created_at": iso(t.created_at),
        "expires_at": iso(t.expires_at),
        "last_used_at": iso(t.last_used_at),
        "revoked_at": iso(t.revoked_at),
    }
