"""A reply's review by a 审核员 (the moves are in actions.py): what a draft holds, and where the
review of an application stands, read from its timeline."""

from __future__ import annotations

from typing import Any

from fazhi.ledgers.disclosure.models import EventKind

# What a review approves: the outcome and the words of the reply (the remedies are the unit's
# standing text, filled in when the reply is sent).
DRAFT_KEYS = ("reasons", "basis", "withheld", "competent_body", "competent_contact")


def draft_keys(data: dict[str, str]) -> dict[str, str]:
    return {k: data[k] for k in DRAFT_KEYS if data.get(k)}


def _review_steps(events: list[Any]) -> list[Any]:
    kinds = {EventKind.REPLY_SUBMITTED, EventKind.REPLY_APPROVED, EventKind.REPLY_RETURNED}
    return [e for e in events if e.kind in kinds]


def approved_draft(events: list[Any]) -> dict[str, str] | None:
    """The reply draft a 审核员 approved, if the latest review step is an approval."""
    steps = _review_steps(events)
    if len(steps) < 2 or steps[-1].kind != EventKind.REPLY_APPROVED:
        return None
    submitted = steps[-2]
    return {k: v for k, v in submitted.data.items() if k == "outcome" or k in DRAFT_KEYS}


def submitted_draft(events: list[Any]) -> tuple[Any, Any] | None:
    """(the latest submission, its decision or None), for showing the review's state."""
    steps = _review_steps(events)
    for i in range(len(steps) - 1, -1, -1):
        if steps[i].kind == EventKind.REPLY_SUBMITTED:
            return steps[i], (steps[i + 1] if i + 1 < len(steps) else None)
    return None
