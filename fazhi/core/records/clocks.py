"""Declared clocks: which rule runs from which step, when it pauses, stops and is extended.

A record may have several clocks (disclosure: the reply, the 7-工作日 补正告知 window, the
applicant's correction period, the third party's 15 工作日, the fee payment). Each is derived from
the record's events by the pure `compute` of core.deadlines; nothing here reads the clock.
The record caches each clock's due date in its declared field, and the nearest one in `due_on`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from fazhi.core.calendar.service import get_calendar
from fazhi.core.calendar.workcalendar import WorkCalendar, date_zh
from fazhi.core.deadlines.clock import Deadline, Extension, Pause, compute
from fazhi.core.deadlines.rules import DeadlineRule
from fazhi.core.records.models import KIT_EVENT_LABELS
from fazhi.core.workflow import Guard, StepContext, dated

if TYPE_CHECKING:
    from fazhi.core.records.ledger import Ledger

KIT_KINDS = frozenset(KIT_EVENT_LABELS)


@dataclass(frozen=True)
class Start:
    """What starts (or restarts) a clock: a date field of the record or the latest event of a
    kind, optionally only when `when(event, events)` holds."""

    label: str  # e.g. "收到申请之日"
    kind: str = ""
    field: str = ""
    when: Callable[[Any, Sequence[Any]], bool] | None = None
    # The day the period runs from when it is not the event's own date (a notice counts from
    # the day its addressee received it): `date_from(event, events)` -> (date, label).
    date_from: Callable[[Any, Sequence[Any]], tuple[dt.date, str]] | None = None


@dataclass(frozen=True)
class PauseSpec:
    """The clock does not run from a `starts` event to the next `ends` event. With a `limit`,
    the pause lasts at most that long even if no end is recorded (Art. 32: once the third
    party's 15 工作日 have passed, the office decides itself)."""

    starts: str
    ends: frozenset[str]
    label: str | Callable[[Any], str]
    status: str = ""  # the record's status while it runs
    limit: DeadlineRule | None = None
    enabled: Callable[[], bool] = lambda: True
    # The consulted party's own window when it does not run from the pause's first day (Art. 32:
    # from the third party's receipt) or its rule depends on who is asked:
    # `limit_window(event, events)` -> (the window's start, its rule). Needs `limit` set.
    limit_window: Callable[[Any, Sequence[Any]], tuple[dt.date, DeadlineRule]] | None = None

    def label_for(self, event: Any) -> str:
        return self.label(event) if callable(self.label) else self.label


@dataclass(frozen=True)
class ExtendSpec:
    kind: str  # the event that extends the clock
    rule: DeadlineRule  # its amount (an event's data["amount"] may ask for less)
    label: str


@dataclass(frozen=True)
class ClockSpec:
    code: str
    label: str  # e.g. "答复期限"
    rule: DeadlineRule
    starts: tuple[Start, ...]
    runs: frozenset[str]  # statuses in which the clock is live
    stops: frozenset[str] = frozenset()  # events after the start that end it for good
    pauses: tuple[PauseSpec, ...] = ()
    extensions: tuple[ExtendSpec, ...] = ()
    field: str = ""  # the record field caching its due date
    set_by: str = ""  # data key of the starting event holding a due date the office set
    # An opportunity, not a duty: past its due date it lapses quietly and is never 逾期.
    window: bool = False
    lapse_note: str = ""  # what lapsing means, shown under the explanation
    # The rule for this start when it varies by the starting event (the period a notice states,
    # the party consulted): `rule_for(event)` -> DeadlineRule; None uses `rule`.
    rule_for: Callable[[Any], DeadlineRule] | None = None
    # A due date the record itself holds, set elsewhere (a platform's 办理时限, or a limit to
    # the minute computed at dispatch): `due_from(record)` -> date or None; None uses the rule.
    due_from: Callable[[Any], dt.date | None] | None = None
    set_label: str = "通知载明的期限"  # how the explanation names a due date set elsewhere
    # How the explanation shows a held due date: `set_shown(record)` -> (the date, with its
    # time when it has one; the basis it came from); None: the date and the rule's basis.
    set_shown: Callable[[Any], tuple[str, str]] | None = None
    # The last day that is 临期 as of `today` when this clock's window is its own (a
    # rectification due in months warns weeks ahead); None: FAZHI_DUE_SOON_WORKDAYS workdays.
    soon: Callable[[dt.date], dt.date] | None = None
    # A deadline with a time of day (a platform's 办理时限, an SLA of 2 hours): the record's
    # datetime field holding it, whose local date is the cached `field`. Past that instant the
    # clock is 逾期 on its last day too; without it, lateness is judged by the date alone.
    due_at: str = ""

    def live_statuses(self) -> frozenset[str]:
        """Statuses in which the clock counts. A pause without a limit (the fee wait) freezes
        the clock until someone acts; while it runs the due date is not a fixed date."""
        frozen = {p.status for p in self.pauses if p.limit is None and p.enabled() and p.status}
        return self.runs - frozen


@dataclass(frozen=True)
class ClockState:
    spec: ClockSpec
    deadline: Deadline
    stopped: bool  # a stop event came after the start
    live: bool  # counts now (status, not stopped, not frozen, not a lapsed window)
    at: dt.datetime | None = None  # the deadline's instant when it has a time (`due_at`)

    @property
    def due(self) -> dt.date:
        return self.deadline.due


def _start(spec: ClockSpec, record: Any, events: Sequence[Any]) -> tuple[dt.date, str, Any, int]:
    """(date, label, event or None, index of the event) of the latest applicable start."""
    best: tuple[dt.date, str, Any, int] | None = None
    for s in spec.starts:
        if s.field:
            value = getattr(record, s.field)
            if value is not None and (best is None or (value, -1) > (best[0], best[3])):
                best = (value, s.label, None, -1)
            continue
        for i, e in enumerate(events):
            counts = e.kind == s.kind and (s.when is None or s.when(e, events))
            if not counts:
                continue
            on, label = s.date_from(e, events) if s.date_from else (e.on, s.label)
            if best is None or (on, i) >= (best[0], best[3]):
                best = (on, label, e, i)
    if best is None:
        raise LookupError(spec.code)
    return best


def derive(
    spec: ClockSpec, record: Any, events: Sequence[Any], cal: WorkCalendar, as_of: dt.date
) -> tuple[Deadline, bool] | None:
    """The clock's deadline and whether it has stopped; None if it never started."""
    try:
        start, start_label, start_event, index = _start(spec, record, events)
    except LookupError:
        return None
    after = [e for i, e in enumerate(events) if i > index] if index >= 0 else list(events)
    stopped = any(e.kind in spec.stops for e in after)
    rule = spec.rule_for(start_event) if spec.rule_for else spec.rule
    held = spec.due_from(record) if spec.due_from else None
    if held is not None:
        return _set_deadline(spec, start, held, start_label, cal, record), stopped
    if spec.set_by and start_event is not None and start_event.data.get(spec.set_by):
        set_on = dt.date.fromisoformat(start_event.data[spec.set_by])
        computed = compute(rule, start, cal, start_label=start_label)
        if set_on != computed.due:
            return _set_deadline(spec, start, set_on, start_label, cal), stopped
    pauses = _pauses(spec, after, start, cal, as_of)
    extensions = [
        Extension(
            min(int(e.data.get("amount") or x.rule.amount), x.rule.amount), x.label, x.rule.basis
        )
        for e in events
        for x in spec.extensions
        if e.kind == x.kind
    ]
    deadline = compute(
        rule,
        start,
        cal,
        pauses=pauses,
        extensions=extensions,
        start_label=start_label,
        as_of=as_of,
    )
    if spec.lapse_note:
        deadline = _with_step(deadline, spec.lapse_note)
    return deadline, stopped


def _pauses(
    spec: ClockSpec, events: Sequence[Any], start: dt.date, cal: WorkCalendar, as_of: dt.date
) -> list[Pause]:
    found: list[Pause] = []
    for p in spec.pauses:
        if not p.enabled():
            continue
        opened: Any = None
        for e in events:
            if e.on < start:
                continue
            if e.kind == p.starts and opened is None:
                opened = e
            elif e.kind in p.ends and opened is not None:
                found.append(_capped(p, opened, e.on, cal, as_of, events))
                opened = None
        if opened is not None:
            found.append(_capped(p, opened, None, cal, as_of, events))
    return sorted(found, key=lambda x: x.start)


def _capped(
    p: PauseSpec,
    opened: Any,
    end: dt.date | None,
    cal: WorkCalendar,
    as_of: dt.date,
    events: Sequence[Any],
) -> Pause:
    label = p.label_for(opened)
    if p.limit is None:
        return Pause(opened.on, end, label)
    window_start, limit = p.limit_window(opened, events) if p.limit_window else (opened.on, p.limit)
    cap = compute(limit, window_start, cal).due
    if end is not None and end <= cap:
        return Pause(opened.on, end, label)
    if end is None and as_of <= cap:
        # Still within the window: the pause ends on its last day at the latest.
        return Pause(opened.on, cap, f"{label}（至{limit.period_text}期限届满之日止）")
    return Pause(opened.on, cap, f"{label}（{limit.period_text}期限届满，此后恢复计算）")


def _set_deadline(
    spec: ClockSpec,
    start: dt.date,
    due: dt.date,
    label: str,
    cal: WorkCalendar,
    record: Any = None,
) -> Deadline:
    shown, basis = date_zh(due, weekday=True), spec.rule.basis
    if spec.set_shown is not None and record is not None:
        shown, basis = spec.set_shown(record)
    steps = [
        f"起算：{label} {date_zh(start, weekday=True)}",
        f"{spec.set_label}：{shown}（{basis}）",
    ]
    if spec.lapse_note:
        steps.append(spec.lapse_note)
    return Deadline(spec.rule.code, start, due, not cal.is_known(due), False, tuple(steps))


def _with_step(deadline: Deadline, step: str) -> Deadline:
    return Deadline(
        deadline.rule_code,
        deadline.start,
        deadline.due,
        deadline.provisional,
        deadline.paused,
        (*deadline.steps, step),
        deadline.unknown_years,
    )


def live_events(events: Iterable[Any]) -> list[Any]:
    """The steps that count: not undone, and not the kit's own bookkeeping."""
    return [e for e in events if e.undone_at is None and e.kind not in KIT_KINDS]


def states(
    ledger: Ledger, record: Any, events: Sequence[Any], cal: WorkCalendar, today: dt.date
) -> list[ClockState]:
    """Every started clock of the record, as of `today`."""
    found = []
    for spec in ledger.clocks:
        derived = derive(spec, record, events, cal, today)
        if derived is None:
            continue
        deadline, stopped = derived
        live = (
            record.status in spec.live_statuses()
            and not stopped
            and not (spec.window and deadline.due < today)
            and getattr(record, "voided_at", None) is None
        )
        at = getattr(record, spec.due_at, None) if spec.due_at else None
        found.append(ClockState(spec, deadline, stopped, live, at))
    return found


def events_of(record: Any) -> list[Any]:
    return live_events(record.events.all())


def cached_values(
    ledger: Ledger, record: Any, events: Sequence[Any], cal: WorkCalendar, today: dt.date
) -> dict[str, Any]:
    found = states(ledger, record, events, cal, today)
    values: dict[str, Any] = {s.field: None for s in ledger.clocks if s.field}
    for st in found:
        if st.spec.field:
            values[st.spec.field] = None if st.stopped else st.due
    duties = [st for st in found if st.live and not st.spec.window]
    nearest = min(duties, key=lambda st: st.due, default=None)
    if nearest is not None:
        provisional = nearest.deadline.provisional
    else:
        provisional = any(st.deadline.provisional for st in found if not st.stopped)
    values.update(
        due_on=nearest.due if nearest else None,
        due_kind=nearest.spec.code if nearest else "",
        due_provisional=provisional,
    )
    return values


def recompute(
    ledger: Ledger, record: Any, *, today: dt.date | None = None, save: bool = True
) -> bool:
    """Refresh the record's cached due dates from its events. True when anything changed."""
    today = today or timezone.localdate()
    new = cached_values(ledger, record, events_of(record), get_calendar(), today)
    changed = {k: v for k, v in new.items() if getattr(record, k) != v}
    for k, v in changed.items():
        setattr(record, k, v)
    if changed and save:
        type(record).with_voided.filter(pk=record.pk).update(**changed)
    return bool(changed)


def stale(ledger: Ledger) -> Any:
    """Records whose caches a calendar change may move: every open one, and closed ones whose
    cache rests on an unloaded year (so a loaded year clears their 暂定)."""
    return ledger.model.objects.filter(~Q(status__in=ledger.closed) | Q(due_provisional=True))


def recompute_all(
    ledger: Ledger,
    *,
    progress: Callable[[int], None] | None = None,
    chunk: int = 1000,
) -> int:
    """Recompute the stale records chunk by chunk, each chunk locked while it is rewritten (a
    clerk's action on one of them waits, so neither overwrites the other). Returns how many
    records changed; `progress(done)` after each chunk."""
    model = ledger.model
    today = timezone.localdate()
    cal = get_calendar()
    # Several clocks may share a cache field (one per stage); PostgreSQL refuses a column twice.
    fields = list(dict.fromkeys([s.field for s in ledger.clocks if s.field]))
    fields += ["due_on", "due_kind", "due_provisional"]
    ids = list(stale(ledger).order_by("pk").values_list("pk", flat=True))
    events = Prefetch("events", queryset=ledger.event_model.objects.order_by("on", "id"))
    moved = 0
    for i in range(0, len(ids), chunk):
        with transaction.atomic():
            locked = (
                model.objects.select_for_update()
                .filter(pk__in=ids[i : i + chunk])
                .order_by("pk")
                .prefetch_related(events)
            )
            changed = []
            for record in locked:
                new = cached_values(ledger, record, live_events(record.events.all()), cal, today)
                if any(getattr(record, k) != v for k, v in new.items()):
                    for k, v in new.items():
                        setattr(record, k, v)
                    changed.append(record)
            _write_caches(model, fields, changed)
            moved += len(changed)
        if progress:
            progress(min(i + chunk, len(ids)))
    return moved


def _write_caches(model: Any, fields: list[str], records: list[Any]) -> None:
    """One UPDATE statement run for many rows (Django's bulk_update builds a CASE per field
    and row, which costs more than the recompute itself)."""
    if not records:
        return
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    meta = model._meta
    columns = [meta.get_field(f) for f in fields]
    assignments = ", ".join(f"{qn(c.column)} = %s" for c in columns)
    sql = f"UPDATE {qn(meta.db_table)} SET {assignments} WHERE {qn(meta.pk.column)} = %s"
    params = [
        [c.get_db_prep_save(getattr(r, c.attname), connection) for c in columns] + [r.pk]
        for r in records
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def recompute_all_ledgers(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Every ledger's stale records; `progress(done, total)` counts across all ledgers."""
    from fazhi.core.records.ledger import ledgers

    sizes = [(ledger, stale(ledger).count() if progress else 0) for ledger in ledgers()]
    total = sum(n for _, n in sizes)
    moved, base = 0, 0
    for ledger, size in sizes:
        report = None
        if progress is not None:
            report = partial(_report, progress, base, total)
        moved += recompute_all(ledger, progress=report)
        base += size
    if progress is not None:
        progress(total, total)
    return moved


def _report(progress: Callable[[int, int], None], base: int, total: int, done: int) -> None:
    progress(min(base + done, total), total)


# --- guards on a clock: the step's date against the clock's due date, derived afresh -------


def due_on_step(spec: ClockSpec, ctx: StepContext) -> dt.date | None:
    """The clock's due date as of the step's date (the cached one lags behind a running pause)."""
    derived = derive(spec, ctx.record, ctx.events, get_calendar(), ctx.on)
    return derived[0].due if derived is not None else None


def by_due(spec: ClockSpec, message: str) -> Guard:
    """The step may be taken on the clock's last day at the latest; `message` names `{due}`."""

    @dated
    def guard(ctx: StepContext) -> str | None:
        due = due_on_step(spec, ctx)
        return message.format(due=f"{due:%Y-%m-%d}") if due and ctx.on > due else None

    return guard


def after_due(spec: ClockSpec, message: str) -> Guard:
    """The step may be taken only once the clock's period has run out (e.g. closing a case the
    applicant let lapse); `message` names `{due}`."""

    @dated
    def guard(ctx: StepContext) -> str | None:
        due = due_on_step(spec, ctx)
        return message.format(due=f"{due:%Y-%m-%d}") if due and ctx.on <= due else None

    return guard


# --- read side: the same definitions as filters --------------------------------------------


def due_soon_limit(today: dt.date, spec: ClockSpec | None = None) -> dt.date:
    if spec is not None and spec.soon is not None:
        return spec.soon(today)
    return get_calendar().add_workdays(today, settings.FAZHI_DUE_SOON_WORKDAYS)


def _live_q(spec: ClockSpec) -> Q:
    return Q(status__in=spec.live_statuses()) & Q(**{f"{spec.field}__isnull": False})


def now_of(today: dt.date) -> dt.datetime:
    """The instant a deadline with a time is judged against as of `today`: now, or the start of
    `today` when that is not today (as of another day, only dates count, as without a time)."""
    now = timezone.now()
    if timezone.localdate(now) == today:
        return now
    return timezone.make_aware(dt.datetime.combine(today, dt.time.min))


def past(at: dt.datetime | None, due: dt.date, today: dt.date) -> bool:
    """A duty's due date (and time, if it has one) has passed as of `today`."""
    return due < today or (at is not None and at < now_of(today))


def overdue_q(ledger: Ledger, today: dt.date) -> Q:
    q = Q(pk__in=[])
    for spec in ledger.clocks:
        if spec.field and not spec.window:
            late = Q(**{f"{spec.field}__lt": today})
            if spec.due_at:
                late |= Q(**{f"{spec.due_at}__lt": now_of(today)})
            q |= _live_q(spec) & late
    return q


def due_soon_q(ledger: Ledger, today: dt.date) -> Q:
    q = Q(pk__in=[])
    for spec in ledger.clocks:
        if spec.field:
            limit = due_soon_limit(today, spec)
            q |= _live_q(spec) & Q(**{f"{spec.field}__gte": today, f"{spec.field}__lte": limit})
    return q & ~overdue_q(ledger, today)


def badge(ledger: Ledger, record: Any, today: dt.date) -> str:
    """逾期, 临期 or "" from the cached fields (no query); a closed record has none (the
    petitioner's own windows after a reply are no work of the office)."""
    if getattr(record, "voided_at", None) is not None or record.status in ledger.closed:
        return ""
    found = ""
    for spec in ledger.clocks:
        due = getattr(record, spec.field, None) if spec.field else None
        if due is None or record.status not in spec.live_statuses():
            continue
        at = getattr(record, spec.due_at, None) if spec.due_at and not spec.window else None
        if past(at, due, today):
            if not spec.window:
                return "逾期"
            continue
        if due <= due_soon_limit(today, spec):
            found = "临期"
    return found


def badge_of(state: ClockState, today: dt.date) -> str:
    if not state.live:
        return ""
    if past(None if state.spec.window else state.at, state.due, today):
        return "" if state.spec.window else "逾期"
    if state.due <= due_soon_limit(today, state.spec):
        return "临期"
    return ""


__all__ = [
    "ClockSpec",
    "ClockState",
    "ExtendSpec",
    "PauseSpec",
    "Start",
    "badge",
    "badge_of",
    "derive",
    "due_soon_q",
    "overdue_q",
    "recompute",
    "recompute_all",
    "states",
]
