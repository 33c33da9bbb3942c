"""Every state change of the 普法 ledgers is one of these actions: each validates its own input,
then registers or moves records through the record kit (door, lock, table, timeline, clocks,
audit). Ticking a 责任清单 item off is one transaction over two records: the activity names
the item, the item becomes 已落实."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from fazhi.core.records import perform
from fazhi.core.records.perform import Step
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError
from fazhi.ledgers.pufa.ledger import ACTIVITIES, DUTIES, PEOPLE, STUDIES
from fazhi.ledgers.pufa.models import Activity, Duty, DutyStatus, Person, Study

if TYPE_CHECKING:
    from typing_extensions import Unpack

# --- 责任清单 ---------------------------------------------------------------------------------


def register_duty(
    *,
    unit: OrgUnit,
    by: Any,
    year: int,
    department: str,
    content: str,
    listed_on: dt.date,
    laws: str = "",
    planned_on: dt.date | None = None,
    number: str = "",
    backdate_reason: str = "",
) -> Duty:
    """An item of a department's 普法责任清单 (谁执法谁普法) for `year`."""
    fields = {
        "year": year,
        "department": department,
        "content": content,
        "laws": laws,
        "listed_on": listed_on,
        "planned_on": planned_on,
    }
    result: Duty = perform.register(
        DUTIES, unit=unit, by=by, fields=fields, number=number, backdate_reason=backdate_reason
    )
    return result


def find_duty(unit: OrgUnit, by: Any, number: str) -> Duty:
    """An item of `unit`'s list by its number, through the door of `by`; a number of another
    unit's list answers like one that does not exist."""
    text = number.strip()
    found = Duty.objects.visible_to(by).filter(unit=unit, number=text).first()
    if found is None:
        raise ActionError(
            f"{unit.name}的普法责任清单中没有编号为「{text[:64]}」的事项", field="duty_number"
        )
    return found


def tick(activity: Activity, *, by: Any, on: dt.date, duty: Any, **step: Unpack[Step]) -> Activity:
    """The activity carried out `duty`: the item is 已落实 as of `on`, and the activity names it.
    Only an open item of the activity's own unit; one item per activity."""
    if not isinstance(duty, Duty) or duty.unit_id != activity.unit_id:
        raise ActionError("请选择本单位责任清单中的事项", field="duty")
    with transaction.atomic():
        perform.perform(
            DUTIES,
            duty,
            "tick",
            by=by,
            on=on,
            changes={"done_on": on},
            data={"activity": activity.number, "activity_id": activity.pk},
            **step,
        )
        result: Activity = perform.perform(
            ACTIVITIES,
            activity,
            "tick",
            by=by,
            on=on,
            changes={"duty": duty},
            data={"duty": duty.number, "duty_id": duty.pk},
            **step,
        )
        return result


def untick(activity: Activity, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Activity:
    """Take back a tick made by mistake: the item is 待落实 again (a leader's decision)."""
    duty = activity.duty
    if duty is None:
        raise ActionError("本次活动未落实责任清单事项")
    with transaction.atomic():
        result: Activity = perform.perform(
            ACTIVITIES,
            activity,
            "untick",
            by=by,
            on=on,
            changes={"duty": None},
            data={"duty": duty.number, "duty_id": duty.pk},
            **step,
        )
        _reopen(duty, by=by, on=on, activity=activity.number, **step)
        return result


def _reopen(duty: Duty, *, by: Any, on: dt.date, activity: str, **step: Unpack[Step]) -> Duty:
    done: Duty = perform.perform(
        DUTIES,
        duty,
        "reopen",
        by=by,
        on=on,
        changes={"done_on": None},
        data={"activity": activity},
        **step,
    )
    return done


def tick_from_duty(
    duty: Duty, *, by: Any, on: dt.date, activity: Any, **step: Unpack[Step]
) -> Duty:
    """The same tick, chosen from the item's page."""
    if not isinstance(activity, Activity) or activity.unit_id != duty.unit_id:
        raise ActionError("请选择本单位的普法活动", field="activity")
    tick(activity, by=by, on=on, duty=duty, **step)
    duty.refresh_from_db()
    return duty


def reopen(duty: Duty, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Duty:
    """Reopen an item from its page: through its activity when that is still live (a voided
    activity no longer carries it)."""
    activity = Activity.objects.visible_to(by).filter(duty=duty).first()
    if activity is not None:
        untick(activity, by=by, on=on, **step)
        duty.refresh_from_db()
        return duty
    return _reopen(duty, by=by, on=on, activity="", **step)


# --- 普法活动 ---------------------------------------------------------------------------------


def register_activity(
    *,
    unit: OrgUnit,
    by: Any,
    held_on: dt.date,
    title: str,
    theme: str,
    form: str,
    venue: str,
    audience: str,
    attendance: int | None,
    materials: int | None = 0,
    online_reach: int | None = 0,
    theme_note: str = "",
    partner: str = "",
    summary: str = "",
    duty_number: str = "",
    number: str = "",
    backdate_reason: str = "",
) -> Activity:
    """A 普法 activity held; naming an item of the unit's 责任清单 ticks it off (same day)."""
    fields = {
        "held_on": held_on,
        "title": title,
        "theme": theme,
        "theme_note": theme_note,
        "form": form,
        "venue": venue,
        "audience": audience,
        "attendance": attendance if attendance is not None else 0,
        "materials": materials if materials is not None else 0,
        "online_reach": online_reach if online_reach is not None else 0,
        "partner": partner,
        "summary": summary,
    }
    with transaction.atomic():
        duty = find_duty(unit, by, duty_number) if duty_number.strip() else None
        activity: Activity = perform.register(
            ACTIVITIES,
            unit=unit,
            by=by,
            fields=fields,
            number=number,
            backdate_reason=backdate_reason,
        )
        if duty is None:
            return activity
        if duty.status != DutyStatus.OPEN:
            raise ActionError(f"清单事项「{duty.number}」已落实", field="duty_number")
        try:
            return tick(activity, by=by, on=held_on, duty=duty, backdate_reason=backdate_reason)
        except ActionError as exc:  # the item's own rule (e.g. listed after the activity)
            field = "duty_number" if exc.field in (None, "on", "duty") else exc.field
            raise ActionError(exc.message, field=field) from exc


# --- 法律明白人 -------------------------------------------------------------------------------


def register_person(
    *,
    unit: OrgUnit,
    by: Any,
    community: str,
    name: str,
    gender: str,
    background: str,
    joined_on: dt.date,
    phone: str = "",
    id_number: str = "",
    trained: str = "",
    number: str = "",
    backdate_reason: str = "",
) -> Person:
    fields = {
        "community": community,
        "name": name,
        "gender": gender,
        "background": background,
        "phone": phone,
        "id_number": id_number,
        "joined_on": joined_on,
        "trained": trained,
    }
    result: Person = perform.register(
        PEOPLE, unit=unit, by=by, fields=fields, number=number, backdate_reason=backdate_reason
    )
    return result


def leave(p: Person, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Person:
    """退出名册: no longer counted from `on`."""
    result: Person = perform.perform(
        PEOPLE, p, "leave", by=by, on=on, changes={"left_on": on}, **step
    )
    return result


# --- 学法与考试 -------------------------------------------------------------------------------


def register_study(
    *,
    unit: OrgUnit,
    by: Any,
    held_on: dt.date,
    kind: str,
    topic: str,
    expected: int | None,
    participants: int | None,
    passed: int | None = None,
    lecturer: str = "",
    number: str = "",
    backdate_reason: str = "",
) -> Study:
    fields = {
        "held_on": held_on,
        "kind": kind,
        "topic": topic,
        "lecturer": lecturer,
        "expected": expected,
        "participants": participants,
        "passed": passed,
    }
    result: Study = perform.register(
        STUDIES, unit=unit, by=by, fields=fields, number=number, backdate_reason=backdate_reason
    )
    return result
