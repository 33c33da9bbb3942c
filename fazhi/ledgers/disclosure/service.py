"""送达: when a notice reached its addressee, which is the day the addressee's period runs from.

The applicant's correction period (条例 Art. 30) and 20 工作日 to pay (109号) run from the day the
applicant received the notice, the third party's 15 工作日 from the day it received the request
(Art. 32). How a notice was served (送达方式) is recorded with the notice; the day of receipt
either with it (handed over, sent electronically) or later by the move 登记送达 (the signed
receipt of a letter). Until then a letter counts as received FAZHI_XXGK_PRESUMED_POST_DAYS days
after posting (a local presumption, UNCONFIRMED) and the clock says 待送达.

Pure functions of the events: the clocks, the guards and the pages all read `receipt`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure.models import EventKind, ServiceMethod, Status

E = EventKind
# The notices whose service is recorded, and the status in which each waits for an answer.
NOTICES: dict[str, str] = {
    E.CORRECTION_REQUESTED: Status.AWAITING_CORRECTION,
    E.FEE_NOTICE: Status.AWAITING_FEE,
    E.CONSULTATION_STARTED: Status.CONSULTING,
}
NOTICE_FOR_STATUS: dict[str, str] = {status: kind for kind, status in NOTICES.items()}
# Served on the day of the step itself: handed over, or reaching the addressee's system.
SAME_DAY = frozenset({ServiceMethod.IN_PERSON, ServiceMethod.ELECTRONIC})


@dataclass(frozen=True)
class Receipt:
    on: dt.date
    known: bool  # a recorded day of receipt, not a presumption
    method: str  # ServiceMethod value, or "" for a notice recorded before service was kept
    text: str  # how the clocks' explanation names the start, e.g. "申请人收到补正通知之日"

    @property
    def pending(self) -> bool:
        """待送达: the notice went out and nobody has recorded its receipt yet."""
        return not self.known and bool(self.method)


def presumed_days() -> int:
    return int(settings.FAZHI_XXGK_PRESUMED_POST_DAYS)


def served_event(notice: Any, events: Sequence[Any]) -> Any | None:
    """The 登记送达 step for `notice`: after it, before the next notice of its kind."""
    found = None
    seen = False
    for e in events:
        if e is notice:
            seen = True
            continue
        if not seen:
            continue
        if e.kind == notice.kind:
            break
        if e.kind == E.SERVED and (e.data or {}).get("of") == notice.kind:
            found = e
    return found


def receipt(notice: Any, events: Sequence[Any], addressee: str = "申请人") -> Receipt:
    """When `addressee` received `notice` (or is presumed to have)."""
    data = notice.data or {}
    method = str(data.get("service_method") or "")
    what = f"{addressee}收到{_notice_name(notice.kind)}之日"
    if data.get("served_on"):
        on = dt.date.fromisoformat(str(data["served_on"]))
        return Receipt(on, True, method, f"{what}（{_method_label(method)}）")
    served = served_event(notice, events)
    if served is not None:
        return Receipt(served.on, True, method, f"{what}（{_method_label(method)}，已登记送达）")
    if not method:
        return Receipt(notice.on, False, "", f"{_notice_name(notice.kind)}发出之日（未登记送达）")
    if method in SAME_DAY:
        return Receipt(notice.on, False, method, f"{what}（{_method_label(method)}，按发出之日）")
    days = presumed_days()
    on = notice.on + dt.timedelta(days=days)
    return Receipt(
        on,
        False,
        method,
        f"{what}（待送达：{_method_label(method)}，尚未登记签收，按交寄后第{days}日推定）",
    )


def check_served_on(on: dt.date, method: str, served_on: dt.date | None) -> dt.date | None:
    """A notice's service as entered with it: the method is one of the list; the day of receipt
    is not before the notice; handed over or sent electronically, it is the notice's day unless
    another is given."""
    if method not in ServiceMethod.values:
        raise ActionError("请选择送达方式", field="service_method")
    if served_on is None:
        return on if method in SAME_DAY else None
    if served_on > timezone.localdate():
        raise ActionError(
            f"送达日期不能晚于今天（{timezone.localdate():%Y-%m-%d}）", field="served_on"
        )
    if served_on < on:
        raise ActionError(
            f"送达日期（{served_on:%Y-%m-%d}）不能早于通知发出日期（{on:%Y-%m-%d}）",
            field="served_on",
        )
    return served_on


def service_data(method: str, served_on: dt.date | None) -> dict[str, Any]:
    data: dict[str, Any] = {"service_method": method}
    if served_on is not None:
        data["served_on"] = served_on.isoformat()
    return data


def describe(data: dict[str, Any]) -> str:
    """The notice's service as entered with it, for its line in the timeline (a receipt recorded
    later has its own line, 登记送达)."""
    method = str(data.get("service_method") or "")
    if not method:
        return ""
    served = data.get("served_on")
    return _method_label(method) + (f"，送达日期 {served}" if served else "")


def _method_label(method: str) -> str:
    return ServiceMethod(method).label if method in ServiceMethod.values else "送达方式未登记"


NOTICE_NAMES: dict[str, str] = {
    E.CORRECTION_REQUESTED: "补正通知",
    E.FEE_NOTICE: "收费通知",
    E.CONSULTATION_STARTED: "征求意见书",
}


def _notice_name(kind: str) -> str:
    return NOTICE_NAMES.get(kind, "通知")
