"""The calendar's background work: after a change, recompute the due dates of open records."""

from __future__ import annotations

from fazhi.core.calendar.service import RECOMPUTE, clear_cache
from fazhi.core.deadlines.recompute import recompute_open_deadlines
from fazhi.core.tasks.progress import Progress
from fazhi.core.tasks.registry import Outcome, background


@background(
    RECOMPUTE,
    title="重新计算在办事项的期限",
    # Ahead of imports and report batches: until it ran, due dates rest on the old calendar.
    priority=10,
    labels={"moved": "期限有变化的事项（件）", "checked": "检查的事项（件）"},
)
def recompute_after_change(progress: Progress) -> Outcome:
    # The worker's cached calendar may be up to REVISION_CHECK_SECONDS old; this task exists
    # because the calendar just changed.
    clear_cache()
    progress(0, 0, "正在重新计算在办事项的期限")
    moved = recompute_open_deadlines(
        progress=lambda done, total: progress(done, total, f"已检查 {done}/{total} 件事项")
    )
    return Outcome(
        f"已完成：共检查 {progress.done} 件事项，{moved} 件事项的期限已重新计算",
        {"moved": moved, "checked": progress.done},
    )
