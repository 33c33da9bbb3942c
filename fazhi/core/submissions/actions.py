"""Every step of a submission is one of these actions, on the record kit (door, lock, table,
timeline event, audit in one transaction). Each checks its own input first: nothing is written
when one refuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core.records import corrections, perform
from fazhi.core.submissions.access import require_supervisor
from fazhi.core.submissions.freeze import Frozen, years_open
from fazhi.core.submissions.ledger import COMMENTS, SUBMISSIONS
from fazhi.core.submissions.models import Comment, Kind, Status, Submission, Version
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError

__all__ = ["accept", "check_year", "comment", "publish", "return_", "submit"]


def check_year(year: int, today: dt.date) -> None:
    if year not in years_open(today):
        first = min(years_open(today))
        raise ActionError(f"报告年度须在{first}年至{today.year}年之间", field="year")


def _add_version(record: Submission, frozen: Frozen, by: Any) -> Version:
    n = (record.versions.order_by("-n").values_list("n", flat=True).first() or 0) + 1
    return Version.objects.create(
        submission=record,
        n=n,
        source=frozen.source,
        filename=frozen.filename,
        content_type=frozen.content_type,
        content=frozen.content,
        size=len(frozen.content),
        sha256=frozen.sha256,
        text=frozen.text,
        html=frozen.html,
        figures=frozen.figures,
        review=frozen.review,
        created_by=by if getattr(by, "pk", None) else None,
    )


def submit(
    *, unit: OrgUnit, kind: str, year: int, frozen: Frozen, by: Any, note: str = ""
) -> Submission:
    """Send `frozen` as `unit`'s report of `kind` for `year`: the first time registers the
    submission, after a return it is sent again as the next version."""
    today = timezone.localdate()
    if kind not in Kind.values:
        raise ActionError("未知的报告类型", field="kind")
    check_year(year, today)
    if not access_for(by).can(unit.pk, Permission.EDIT_REPORT):
        raise ActionError("您没有报送该单位报告的权限")
    with transaction.atomic():
        existing = (
            Submission.objects.select_for_update().filter(unit=unit, kind=kind, year=year).first()
        )
        if existing is None:
            if not access_for(by).can(unit.pk, Permission.REGISTER):
                raise ActionError("首次报送须由本单位录入员办理；退回后可由负责人重新报送")
            record: Submission = perform.register(
                SUBMISSIONS,
                unit=unit,
                by=by,
                fields={"kind": kind, "year": year, "submitted_on": today},
                number=f"{unit.code}-{kind}-{year}",
                data={"version": 1, "source": frozen.source},
            )
        elif existing.status != Status.RETURNED:
            raise ActionError(
                f"该报告{existing.get_status_display()}，不能再次报送（退回修改后方可重新报送）"
            )
        else:
            n = existing.versions.count() + 1
            record = perform.perform(
                SUBMISSIONS,
                existing,
                "resubmit",
                by=by,
                on=today,
                note=note,
                data={"version": n, "source": frozen.source},
                audit_data={"version": n},
            )
        _add_version(record, frozen, by)
        return record


def latest_version(record: Submission) -> Version:
    found = record.versions.order_by("-n").first()
    if found is None:
        raise ActionError("该报告没有版本")
    return found


NOTE_MAX = 5000  # a return's or a withdrawal's reason (the pages' maxlength)


def comment(record: Submission, *, by: Any, paragraph: int, text: str) -> Comment:
    """The supervisor's comment on a paragraph of the version under review."""
    version = latest_version(record)
    lines = version.paragraphs
    quote = lines[paragraph - 1][:200] if 1 <= paragraph <= len(lines) else ""
    found: Comment = corrections.add_child(
        SUBMISSIONS,
        COMMENTS,
        record,
        by=by,
        fields={"version": version, "paragraph": paragraph, "quote": quote, "text": text},
    )
    return found


def _supervisor_check(by: Any) -> Any:
    def check(locked: Any, events: Any) -> None:
        require_supervisor(by, locked.unit)

    return check


def return_(record: Submission, *, by: Any, note: str) -> Submission:
    """Back to the unit with the reasons (required); the comments on passages go with it."""
    cleaned = perform.clean_input(note, max_length=NOTE_MAX, label="退回意见", field="note")
    if not cleaned.strip():
        raise ActionError("退回时须填写退回意见", field="note")
    version = latest_version(record)
    result: Submission = perform.perform(
        SUBMISSIONS,
        record,
        "return",
        by=by,
        on=timezone.localdate(),
        note=cleaned,
        check=_supervisor_check(by),
        data={"version": version.n},
        audit_data={"version": version.n},
    )
    return result


def accept(record: Submission, *, by: Any, note: str = "") -> Submission:
    today = timezone.localdate()
    result: Submission = perform.perform(
        SUBMISSIONS,
        record,
        "accept",
        by=by,
        on=today,
        note=note,
        check=_supervisor_check(by),
        changes={"accepted_on": today},
        data={"version": latest_version(record).n},
    )
    return result


def publish(record: Submission, *, by: Any) -> Submission:
    """Public on /public/reports/ from today, the date recorded."""
    today = timezone.localdate()
    result: Submission = perform.perform(
        SUBMISSIONS,
        record,
        "publish",
        by=by,
        on=today,
        check=_supervisor_check(by),
        changes={"published_on": today},
        data={"version": latest_version(record).n},
        audit_data={"published_on": today.isoformat()},
    )
    return result


def unpublish(record: Submission, *, by: Any, note: str) -> Submission:
    """Off /public/reports/ again (published → accepted), with the reason (required); the
    timeline keeps both the publishing and its withdrawal."""
    cleaned = perform.clean_input(note, max_length=NOTE_MAX, label="撤回理由", field="note")
    if not cleaned.strip():
        raise ActionError("撤回公开时须填写撤回理由", field="note")
    result: Submission = perform.perform(
        SUBMISSIONS,
        record,
        "unpublish",
        by=by,
        on=timezone.localdate(),
        note=cleaned,
        check=_supervisor_check(by),
        changes={"published_on": None},
        data={"version": latest_version(record).n},
        audit_data={
            "published_on": record.published_on.isoformat() if record.published_on else None
        },
    )
    return result
