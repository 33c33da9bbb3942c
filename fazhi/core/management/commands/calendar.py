from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.calendar.csvfile import parse_calendar_csv
from fazhi.core.calendar.models import CalendarDay, CalendarYear
from fazhi.core.calendar.notice import NoticeError, check_complete, parse_notice
from fazhi.core.calendar.service import RECOMPUTE, replace_year
from fazhi.core.management.base import year
from fazhi.core.tasks.actions import start_task
from fazhi.core.tasks.models import TaskRun, TaskStatus
from fazhi.core.tasks.runner import wait

MAX_BYTES = 1024 * 1024


class Command(BaseCommand):
    help = (
        "Working calendar: `calendar load FILE.csv` (date,kind,name), "
        "`calendar load-notice --year Y FILE.txt` (the State Council notice text), `calendar show --year Y`, "
        "`calendar recompute` (recompute open deadlines again). Loads recompute open deadlines as a "
        "background task; --wait waits for it (running it here if no worker is running)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        load = sub.add_parser(
            "load", help="load holidays/workdays from CSV (replaces each year in the file)"
        )
        load.add_argument("file")
        load.add_argument("--wait", action="store_true", help="wait for the recompute to finish")
        notice = sub.add_parser("load-notice", help="parse and load a 国务院办公厅节假日安排通知")
        notice.add_argument("--year", type=year, required=True)
        notice.add_argument("file")
        notice.add_argument("--dry-run", action="store_true")
        notice.add_argument("--wait", action="store_true", help="wait for the recompute to finish")
        again = sub.add_parser(
            "recompute", help="recompute every open deadline (safe to repeat, e.g. after a crash)"
        )
        again.add_argument("--wait", action="store_true")
        show = sub.add_parser("show")
        show.add_argument("--year", type=year, required=True)
        show.add_argument("--json", action="store_true")

    def _read(self, name: str) -> bytes:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"找不到文件：{name}")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError("文件过大（上限 1 MB）")
        return path.read_bytes()

    def handle(self, *args: Any, **opts: Any) -> None:
        sub = opts["sub"]
        if sub == "show":
            self._show(opts["year"], opts["json"])
            return
        if sub == "recompute":
            self.stdout.write(self._recompute(start_task(RECOMPUTE, by=None), opts["wait"]))
            return
        try:
            if sub == "load":
                days = parse_calendar_csv(self._read(opts["file"]))
                years = sorted({d.date.year for d in days})
                for y in years:
                    picked = [(d.date, d.kind, d.name) for d in days if d.date.year == y]
                    run = replace_year(
                        year=y, days=picked, source=f"CSV：{Path(opts['file']).name}", by=None
                    )
                    self.stdout.write(
                        f"已载入 {y} 年：{len(picked)} 天；{self._recompute(run, opts['wait'])}"
                    )
                return
            raw = self._read(opts["file"])
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("gb18030", errors="strict")
            days = parse_notice(text, opts["year"])
            check_complete(days)
        except (NoticeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        except UnicodeDecodeError:
            raise CommandError("无法识别文件编码，请另存为 UTF-8 文本") from None
        picked = [(d.date, d.kind, d.name) for d in days if d.date.year == opts["year"]]
        for d in days:
            self.stdout.write(
                f"{d.date.isoformat()}\t{'放假' if d.kind == 'holiday' else '上班'}\t{d.name}"
            )
        if opts["dry_run"]:
            self.stdout.write(f"（仅检查）共 {len(picked)} 天，未写入")
            return
        try:
            run = replace_year(
                year=opts["year"],
                days=[(d.date, d.kind, d.name) for d in days],
                source=f"国务院办公厅通知：{Path(opts['file']).name}",
                by=None,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已载入 {opts['year']} 年：{len(picked)} 天；{self._recompute(run, opts['wait'])}"
        )

    def _recompute(self, run: TaskRun, wait_for_it: bool) -> str:
        if not wait_for_it:
            return (
                f"已安排后台任务 {run.pk} 重新计算在办事项的期限"
                f"（进度见网页 /tasks/{run.pk}/；加 --wait 可等待完成）"
            )
        run = wait(run)
        if run.status == TaskStatus.FAILED:
            raise CommandError(f"重新计算期限失败（任务 {run.pk}）：{run.message}")
        moved = (run.result or {}).get("moved", 0)
        return f"重新计算期限的事项 {moved} 件（任务 {run.pk}）"

    def _show(self, y: int, as_json: bool) -> None:
        loaded = CalendarYear.objects.filter(year=y).first()
        days = list(CalendarDay.objects.filter(date__year=y))
        if as_json:
            data = {
                "year": y,
                "loaded": loaded is not None,
                "source": loaded.source if loaded else None,
                "days": [
                    {"date": d.date.isoformat(), "kind": d.kind, "name": d.name} for d in days
                ],
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if loaded is None:
            self.stdout.write(f"{y} 年尚未载入：按周一至周五暂算，相关期限为暂定")
        for d in days:
            self.stdout.write(f"{d.date.isoformat()}\t{d.get_kind_display()}\t{d.name}")
