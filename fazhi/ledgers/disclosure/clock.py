"""Derives an application's deadlines from its events, and keeps the cached due dates fresh."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from fazhi.core.calendar.service import get_calendar
from fazhi.core.calendar.workcalendar import WorkCalendar, date_zh
from fazhi.core.deadlines.clock import Deadline, Extension, Pause, compute
from fazhi.ledgers.disclosure import rules
from fazhi.ledgers.disclosure.models import Application, ApplicationEvent, EventKind, Status


@dataclass(frozen=True)
class CurrentDeadline:
    kind: str  # "reply", "correction", "fee"
    label: str  # Chinese, e.g. "答复期限"
    deadline: Deadline


def reply_deadline(
    app: Application, events: Sequence[ApplicationEvent], cal: WorkCalendar, as_of: dt.date
) -> Deadline:
    start, start_label = app.received_on, "收到申请之日"
    late_notice = False
    for e in events:
        if e.kind == EventKind.CORRECTION_REQUESTED:
            late_notice = bool(e.data.get("late"))
        elif e.kind == EventKind.CORRECTED and not late_notice:
            # Only a notice given within the 7 working days of Art. 30 restarts the period; a
            # late one (possible only in imported ledgers) must not buy the office more time.
            start, start_label = e.on, "收到补正后申请之日（补正后重新起算）"
    pauses: list[Pause] = []
    extensions: list[Extension] = []
    opened: dict[str, dt.date] = {}
    for e in events:
        if e.on < start and e.kind != EventKind.EXTENDED:
            continue
        if e.kind == EventKind.CONSULTATION_STARTED:
            opened["consult"] = e.on
        elif e.kind == EventKind.CONSULTATION_ENDED and "consult" in opened:
            pauses.append(Pause(opened.pop("consult"), e.on, _consult_label(events)))
        elif e.kind == EventKind.FEE_NOTICE and settings.FAZHI_XXGK_FEE_PAUSES_CLOCK:
            opened["fee"] = e.on
        elif e.kind == EventKind.FEE_PAID and "fee" in opened:
            pauses.append(Pause(opened.pop("fee"), e.on, "收费通知至缴费"))
        elif e.kind == EventKind.EXTENDED:
            extensions.append(
                Extension(rules.EXTENSION.amount, "经负责人批准延期", rules.EXTENSION.basis, e.on)
            )
    if "consult" in opened:
        pauses.append(Pause(opened["consult"], None, _consult_label(events)))
    if "fee" in opened:
        pauses.append(Pause(opened["fee"], None, "收费通知至缴费"))
    return compute(
        rules.REPLY,
        start,
        cal,
        pauses=pauses,
        extensions=extensions,
        start_label=start_label,
        as_of=as_of,
    )


def _consult_label(events: Sequence[ApplicationEvent]) -> str:
    for e in reversed(events):
        if e.kind == EventKind.CONSULTATION_STARTED:
            party = e.data.get("party_kind") == "co_author"
            return "征求共同制作机关意见" if party else "征求第三方意见"
    return "征求意见"


def correction_deadline(notice: ApplicationEvent, cal: WorkCalendar) -> Deadline:
    """The applicant's deadline to correct: the date set in the notice, or the default period."""
    computed = compute(rules.CORRECTION_PERIOD, notice.on, cal)
    set_on = notice.data.get("deadline")
    if not set_on or set_on == computed.due.isoformat():
        return computed
    due = dt.date.fromisoformat(set_on)
    steps = (
        f"补正通知发出：{date_zh(notice.on, weekday=True)}",
        f"补正通知载明的补正期限：{date_zh(due, weekday=True)}（{rules.CORRECTION_PERIOD.basis}）",
        "申请人无正当理由逾期不补正的，视为放弃申请，不再处理（计入年报“其他处理”第1项）",
    )
    return Deadline(
        rules.CORRECTION_PERIOD.code, notice.on, due, not cal.is_known(due), False, steps
    )


def current_deadline(
    app: Application,
    events: Sequence[ApplicationEvent],
    cal: WorkCalendar,
    as_of: dt.date,
) -> CurrentDeadline | None:
    if app.status == Status.CLOSED:
        return None
    if app.status == Status.AWAITING_CORRECTION:
        notice = _last(events, EventKind.CORRECTION_REQUESTED)
        if notice is not None:
            return CurrentDeadline("correction", "补正期限", correction_deadline(notice, cal))
    if app.status == Status.AWAITING_FEE:
        notice = _last(events, EventKind.FEE_NOTICE)
        if notice is not None:
            return CurrentDeadline("fee", "缴费期限", compute(rules.FEE_PAYMENT, notice.on, cal))
    return CurrentDeadline("reply", "答复期限", reply_deadline(app, events, cal, as_of))


def _last(events: Sequence[ApplicationEvent], kind: str) -> ApplicationEvent | None:
    found = [e for e in events if e.kind == kind]
    return found[-1] if found else None


def recompute(app: Application, *, as_of: dt.date | None = None, save: bool = True) -> bool:
    """Refresh the cached due dates from the events. Returns True when anything changed."""
    as_of = as_of or timezone.localdate()
    cal = get_calendar()
    events = list(app.events.all())
    current = current_deadline(app, events, cal, as_of)
    reply = reply_deadline(app, events, cal, app.replied_on or as_of)
    new = {
        "due_on": current.deadline.due if current else None,
        "due_kind": current.kind if current else "",
        "reply_due_on": reply.due,
        "due_provisional": (current.deadline.provisional if current else reply.provisional),
    }
    changed = any(getattr(app, k) != v for k, v in new.items())
    if changed:
        for k, v in new.items():
            setattr(app, k, v)
        if save:
            app.save(update_fields=list(new))
    return changed


def recompute_all_open(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Called by the calendar's background task after any change: every open application in
    every unit, and closed ones whose reply deadline was provisional (so a loaded year clears
    their 暂定). `progress(done, total)` is told after each application."""
    moved = 0
    stale = Application.objects.filter(~Q(status=Status.CLOSED) | Q(due_provisional=True))
    total = stale.count() if progress else 0
    for done, app in enumerate(stale.prefetch_related("events").iterator(chunk_size=500), 1):
        moved += recompute(app)
        if progress:
            progress(done, total)
    return moved
