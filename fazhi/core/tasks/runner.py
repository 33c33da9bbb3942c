"""The one django-tasks task every run goes through, and running queued work in this process.

`execute(run_id)` is what the worker (`fazhi db_worker`) imports and calls: it looks up the run's
kind, mirrors the status on the TaskRun, hands the function a Progress, and stores the outcome.
A failure is written to the run and then re-raised, so django-tasks keeps the traceback.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import Any

from django.utils import timezone
from django_tasks import task
from django_tasks_db.management.commands.db_worker import Worker

from fazhi.core.tasks.models import TaskRun, TaskStatus
from fazhi.core.tasks.progress import Progress
from fazhi.core.tasks.registry import TaskFailure, get_kind

logger = logging.getLogger(__name__)

STOPPED = "后台任务进程被停止，任务未完成。重新计算等任务可以安全地再次执行。"


def failure_message(exc: BaseException) -> str:
    if isinstance(exc, TaskFailure):
        return str(exc)
    if isinstance(exc, KeyboardInterrupt | SystemExit):
        return STOPPED
    return f"任务执行失败（{type(exc).__name__}）。请联系系统管理员查看后台任务日志。"


@task
def execute(run_id: int) -> dict[str, Any]:
    run = TaskRun.objects.get(pk=run_id)
    kind = get_kind(run.kind)
    now = timezone.now()
    TaskRun.objects.filter(pk=run_id).update(
        status=TaskStatus.RUNNING, started_at=now, updated_at=now, message="正在执行"
    )
    progress = Progress(run_id)
    try:
        outcome = kind.func(progress, **run.args)
    except BaseException as exc:
        now = timezone.now()
        TaskRun.objects.filter(pk=run_id).update(
            status=TaskStatus.FAILED,
            done=progress.done,
            total=progress.total,
            message=failure_message(exc)[:500],
            finished_at=now,
            updated_at=now,
        )
        raise
    data = dict(outcome.data)
    now = timezone.now()
    TaskRun.objects.filter(pk=run_id).update(
        status=TaskStatus.DONE,
        done=progress.done,
        total=progress.total,
        message=outcome.message[:500],
        result=data,
        finished_at=now,
        updated_at=now,
    )
    return data


def enqueue(run: TaskRun) -> None:
    """Put the run on the queue; called on commit of the transaction that created it. A queue
    that refuses it (database down) leaves the run failed with a message, not a 500 after the
    change was committed."""
    kind = get_kind(run.kind)
    try:
        result = execute.using(priority=kind.priority).enqueue(run.pk)
    except Exception:
        logger.exception("could not enqueue task run %s", run.pk)
        now = timezone.now()
        TaskRun.objects.filter(pk=run.pk).update(
            status=TaskStatus.FAILED,
            message="未能加入后台任务队列，请稍后重试或联系系统管理员。",
            finished_at=now,
            updated_at=now,
        )
        return
    # Only the id: a worker may already have picked the task up and be writing the status.
    TaskRun.objects.filter(pk=run.pk).update(result_id=result.id)


def run_queued() -> None:
    """Run every queued task here and return, exactly as `fazhi db_worker --batch` would (the
    same Worker class), without installing the worker's signal handlers in this process."""
    Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64],
    ).run()


def wait(run: TaskRun, *, poll: float = 0.5, timeout: float | None = None) -> TaskRun:
    """Wait until the run is finished. Queued work is run in this process first, so a command
    works where no worker is running; a run that another worker holds is then polled for."""
    run_queued()
    started = time.monotonic()
    while True:
        run.refresh_from_db()
        if run.finished:
            return run
        if timeout is not None and time.monotonic() - started > timeout:
            raise TimeoutError(f"task run {run.pk} is still {run.status}")
        time.sleep(poll)
