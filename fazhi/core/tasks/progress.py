"""What a task function calls to tell how far it is. Throttled: a recompute of 100,000 records
calls it 100,000 times and writes the row about once a second."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.utils import timezone

from fazhi.core.tasks.models import TaskRun

WRITE_EVERY_SECONDS = 1.0


class Progress:
    def __init__(
        self,
        run_id: int,
        *,
        every: float = WRITE_EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.run_id = run_id
        self.every = every
        self.clock = clock
        self.done = 0
        self.total = 0
        self.message = ""
        self.writes = 0
        self._written_at: float | None = None

    def __call__(self, done: int, total: int, message: str = "") -> None:
        self.done = max(0, done)
        # A count taken at the start can be overtaken by records added meanwhile.
        self.total = max(total, self.done)
        if message:
            self.message = message
        now = self.clock()
        if self._written_at is not None and now - self._written_at < self.every:
            return
        self._written_at = now
        self.flush()

    def flush(self) -> None:
        # A plain UPDATE in autocommit: the page reads it at once. Inside a transaction the task
        # opened itself it would show only at commit (ADR 0008).
        TaskRun.objects.filter(pk=self.run_id).update(
            done=self.done, total=self.total, message=self.message[:500], updated_at=timezone.now()
        )
        self.writes += 1
