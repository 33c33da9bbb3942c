"""The Clock: applies a DeadlineRule to a record's dates and explains the result in Chinese.

Counting (DESIGN invariant 4): the start day is not counted; a 工作日 period counts working days
of the WorkCalendar; a 日/月 period whose last day is not a working day ends on the next working
day (民事诉讼法 Art. 85). A pause (e.g. third-party consultation) excludes the days after its
start day up to and including its end day; an open pause is treated as ending on `as_of`.
Any date the count touches in a year without calendar data makes the result provisional.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fazhi.core.calendar.workcalendar import WorkCalendar, date_zh
from fazhi.core.deadlines.rules import DeadlineRule, PeriodUnit

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Pause:
    start: dt.date
    end: dt.date | None  # None while the pause is still running
    label: str  # e.g. "征求第三方意见"

    def covers(self, d: dt.date, as_of: dt.date) -> bool:
        end = self.end or as_of
        return self.start < d <= end


@dataclass(frozen=True)
class Extension:
    amount: int
    label: str  # e.g. "经负责人批准延长答复期限"
    basis: str = ""
    on: dt.date | None = None


@dataclass(frozen=True)
class Deadline:
    rule_code: str
    start: dt.date
    due: dt.date
    provisional: bool
    paused: bool
    steps: tuple[str, ...]
    unknown_years: tuple[int, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule_code,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "paused": self.paused,
            "steps": list(self.steps),
        }


def compute(
    rule: DeadlineRule,
    start: dt.date,
    calendar: WorkCalendar,
    *,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[Extension] = (),
    start_label: str | None = None,
    as_of: dt.date | None = None,
) -> Deadline:
    as_of = as_of or start
    steps = [
        f"起算：{start_label or rule.start_event} {date_zh(start, weekday=True)}，当日不计入",
        f"期限：{rule.period_text}（{rule.basis}）",
    ]
    for ext in extensions:
        basis = f"（{ext.basis}）" if ext.basis else ""
        steps.append(f"{ext.label}：再延长{ext.amount}{rule.unit.label}{basis}")
    total = rule.amount + sum(e.amount for e in extensions)

    if rule.unit is PeriodUnit.WORKDAY:
        due, touched = _count_workdays(start, total, calendar, pauses, as_of)
    else:
        due, touched = _count_calendar(rule.unit, start, total, calendar, pauses, as_of, steps)

    steps.extend(_pause_steps(pauses, calendar, rule.unit, as_of))
    if rule.unit is PeriodUnit.WORKDAY:
        steps.extend(_calendar_steps(start, due, calendar))
    else:
        # Holidays inside a 日/月 period count like any day; only a last day off work moves
        # (the step above says so when it does).
        unit_word = "日" if rule.unit is PeriodUnit.DAY else "月"
        steps.append(f"按自然{unit_word}计算，期间的节假日和休息日照常计入")
    unknown = sorted({d.year for d in touched if not calendar.is_known(d)})
    paused = any(p.end is None for p in pauses)
    if unknown:
        years = "、".join(f"{y}年" for y in unknown)
        steps.append(f"{years}节假日安排尚未载入，按周一至周五为工作日暂算，到期日为暂定")
    steps.append(f"到期日：{date_zh(due, weekday=True)}" + ("（暂定）" if unknown else ""))
    if paused:
        steps.append("目前计时暂停中；上述到期日按今日恢复计时推算，恢复后将重新计算")
    return Deadline(rule.code, start, due, bool(unknown), paused, tuple(steps), tuple(unknown))


def _count_workdays(
    start: dt.date,
    n: int,
    calendar: WorkCalendar,
    pauses: Sequence[Pause],
    as_of: dt.date,
) -> tuple[dt.date, list[dt.date]]:
    d, counted, touched = start, 0, []
    while counted < n:
        d += ONE_DAY
        touched.append(d)
        if calendar.is_workday(d) and not any(p.covers(d, as_of) for p in pauses):
            counted += 1
    return d, touched


def _count_calendar(
    unit: PeriodUnit,
    start: dt.date,
    n: int,
    calendar: WorkCalendar,
    pauses: Sequence[Pause],
    as_of: dt.date,
    steps: list[str],
) -> tuple[dt.date, list[dt.date]]:
    end = add_months(start, n) if unit is PeriodUnit.MONTH else start + dt.timedelta(days=n)
    paused_days = sum(max(0, ((p.end or as_of) - p.start).days) for p in pauses)
    end += dt.timedelta(days=paused_days)
    touched = [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)]
    due = end
    while not calendar.is_workday(due):
        due += ONE_DAY
        touched.append(due)
    if due != end:
        steps.append(
            f"期间届满日 {date_zh(end, weekday=True)} 不是工作日，顺延至其后第一个工作日"
            "（《民事诉讼法》第八十五条）"
        )
    return due, touched


def add_months(d: dt.date, months: int) -> dt.date:
    """Same day n months later; a missing day (31st, 29 Feb) becomes the month's last day."""
    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    day = min(d.day, pycalendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def _pause_steps(
    pauses: Sequence[Pause], calendar: WorkCalendar, unit: PeriodUnit, as_of: dt.date
) -> list[str]:
    steps = []
    for p in pauses:
        end = p.end or as_of
        if p.end:
            span = f"{date_zh(p.start)}至{date_zh(end)}"
        else:
            span = f"自{date_zh(p.start)}起（尚未结束，计至{date_zh(as_of)}）"
        if unit is PeriodUnit.WORKDAY:
            excluded = sum(
                1
                for i in range(1, (end - p.start).days + 1)
                if calendar.is_workday(p.start + dt.timedelta(days=i))
            )
            steps.append(f"{p.label} {span}，其间{excluded}个工作日不计入期限")
        else:
            steps.append(f"{p.label} {span}，其间{(end - p.start).days}日不计入期限")
    return steps


def _calendar_steps(start: dt.date, due: dt.date, calendar: WorkCalendar) -> list[str]:
    """Name the holidays skipped and the 调休 make-up days counted between start and due."""
    steps: list[str] = []
    run: list[dt.date] = []
    d = start + ONE_DAY
    while d <= due:
        if calendar.is_holiday(d):
            run.append(d)
        else:
            if run:
                steps.append(_holiday_run_text(run, calendar))
                run = []
            if calendar.is_makeup_workday(d):
                name = calendar.name(d)
                suffix = f"（{name}调休）" if name else ""
                steps.append(f"{date_zh(d, weekday=True)}为调休上班日{suffix}，计为工作日")
        d += ONE_DAY
    if run:
        steps.append(_holiday_run_text(run, calendar))
    return steps


def _holiday_run_text(run: list[dt.date], calendar: WorkCalendar) -> str:
    name = calendar.name(run[0]) or "法定节假日"
    if len(run) == 1:
        return f"{date_zh(run[0])}{name}放假，不计为工作日"
    return f"{date_zh(run[0])}至{date_zh(run[-1])}{name}放假，不计为工作日"
