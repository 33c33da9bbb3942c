"""The submissions' declaration for the record kit: one record per unit, kind and year."""

from __future__ import annotations

from typing import Any

from fazhi.core.records.ledger import ChildSpec, Ledger
from fazhi.core.submissions.access import require_supervisor
from fazhi.core.submissions.models import Comment, EventKind, Status, Submission, SubmissionEvent
from fazhi.core.submissions.workflow import MOVES
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError


def _validate(fields: dict[str, Any]) -> None:
    if fields.get("kind") not in {"fazhi", "xxgk"}:
        raise ActionError("未知的报告类型", field="kind")


def _check_comment(record: Any, by: Any, fields: dict[str, Any]) -> None:
    require_supervisor(by, record.unit)
    if record.status != Status.SUBMITTED:
        raise ActionError("只能对待审阅的报告提出意见")
    version = fields["version"]
    if version.submission_id != record.pk:
        raise ActionError("未找到该版本")
    if not 1 <= fields["paragraph"] <= len(version.paragraphs):
        raise ActionError("未找到该段落", field="paragraph")
    if not fields["text"].strip():
        raise ActionError("请填写意见", field="text")


def _describe_comment(c: Any) -> str:
    return f"第{c.paragraph}段：{c.text[:40]}"


COMMENTS = ChildSpec(
    code="comments",
    label="审阅意见",
    model=Comment,
    fields=("version", "paragraph", "quote", "text"),
    permission=Permission.REVIEW_REPORTS,
    describe=_describe_comment,
    check=_check_comment,
)

SUBMISSIONS = Ledger(
    slug="submissions",
    name="年度报告报送",
    model=Submission,
    event_model=SubmissionEvent,
    statuses=Status,
    initial=Status.SUBMITTED,
    closed=frozenset({Status.PUBLISHED}),
    moves=MOVES,
    event_labels=dict(EventKind.choices),
    audit_object="submissions.submission",
    start_field="submitted_on",
    start_label="首次报送日期",
    validate=_validate,
    children=(COMMENTS,),
    closed_on="published_on",
    registered_event=EventKind.SUBMITTED,
)
