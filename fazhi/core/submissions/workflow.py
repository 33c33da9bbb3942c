"""The submission's moves. The first 报送 is the record's registration; the supervisor's moves
also need the reviewer to sit at the unit *above* the submitting unit (`actions.supervises`),
which the actions check under the record's lock: holding 审阅 at the unit itself is not enough
(a district's own report is reviewed by the city, not by the district's own 依法治区办)."""

from __future__ import annotations

from fazhi.core.submissions.models import EventKind, Status
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import Move

REVIEW = Permission.REVIEW_REPORTS

MOVES: tuple[Move, ...] = (
    Move(
        "resubmit",
        "修改后重新报送",
        frozenset({Status.RETURNED}),
        Status.SUBMITTED,
        Permission.EDIT_REPORT,
        event=EventKind.RESUBMITTED,
        date_label="报送日期",
        undo=None,
    ),
    Move(
        "return",
        "退回修改",
        frozenset({Status.SUBMITTED}),
        Status.RETURNED,
        REVIEW,
        event=EventKind.RETURNED,
        date_label="退回日期",
        undo=None,
    ),
    Move(
        "accept",
        "接收",
        frozenset({Status.SUBMITTED}),
        Status.ACCEPTED,
        REVIEW,
        event=EventKind.ACCEPTED,
        date_label="接收日期",
        primary=True,
        undo=None,
    ),
    Move(
        "publish",
        "公开",
        frozenset({Status.ACCEPTED}),
        Status.PUBLISHED,
        REVIEW,
        event=EventKind.PUBLISHED,
        date_label="公开日期",
        confirm="公开后报告将出现在公开页面，任何人无需登录即可查看和下载。确认公开？",
        undo=None,
    ),
    Move(
        "unpublish",
        "撤回公开",
        frozenset({Status.PUBLISHED}),
        Status.ACCEPTED,
        REVIEW,
        event=EventKind.UNPUBLISHED,
        date_label="撤回日期",
        confirm="撤回后报告将不再出现在公开页面。确认撤回公开？",
        undo=None,
    ),
)
