"""The path every background run takes: queued on commit, run by the worker, progress and
result on the TaskRun, failures shown in Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fazhi.core.audit.models import AuditEvent
from fazhi.core.tasks.actions import start_task
from fazhi.core.tasks.models import TaskRun, TaskStatus
from fazhi.core.tasks.progress import Progress
from fazhi.core.tasks.registry import Outcome, background, get_kind
from fazhi.core.tasks.runner import STOPPED, run_queued, wait

# These tests commit: that is when a run is queued.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def taskrun_writes(queries: CaptureQueriesContext) -> int:
    return sum(
        1
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "tasks_taskrun" in q["sql"]
    )


@committing
def test_a_run_is_queued_on_commit_and_run_by_the_worker(cast: Any, db_worker: Any) -> None:
    with transaction.atomic():
        run = start_task("test_count", by=cast.a_clerk, unit=cast.street_a, n=5000)
        assert not DBTaskResult.objects.exists()  # nothing a worker could see before commit
    run.refresh_from_db()
    queued = DBTaskResult.objects.get()
    assert run.result_id == str(queued.id)
    assert (run.status, run.title, run.by, run.unit_code) == (
        "queued",
        "测试计数",
        cast.a_clerk,
        "A1",
    )
    assert queued.status == "READY" and queued.args_kwargs == {"args": [run.pk], "kwargs": {}}
    event = AuditEvent.objects.get(code="tasks.test_count.started")
    assert (event.object_id, event.actor, event.unit_code) == (str(run.pk), "a_clerk", "A1")

    with CaptureQueriesContext(connection) as queries:
        db_worker()
    run.refresh_from_db()
    assert run.status == TaskStatus.DONE
    assert (run.done, run.total, run.percent) == (5000, 5000, 100)
    assert run.message == "已完成：处理 5000 条"
    assert run.result == {"n": 5000}
    assert run.started_at is not None and run.finished_at is not None
    assert run.started_at <= run.finished_at
    # 5,000 progress calls in well under a second: running, one progress write, finished.
    assert taskrun_writes(queries) <= 4
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and queued.return_value == {"n": 5000}


@committing
def test_a_rolled_back_caller_leaves_no_task(cast: Any) -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            start_task("test_count", by=cast.admin, n=1)
            raise RuntimeError("the calendar change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not TaskRun.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert not AuditEvent.objects.filter(code__startswith="tasks.").exists()


@committing
@pytest.mark.parametrize(
    ("kind", "args", "message", "counts", "exception"),
    [
        pytest.param(
            "test_refuse",
            {"line": 3},
            "第3行日期无效：2027-02-30",
            (2, 10),
            "TaskFailure",
            id="told-in-chinese",
        ),
        pytest.param(
            "test_crash",
            {},
            "任务执行失败（ZeroDivisionError）。请联系系统管理员查看后台任务日志。",
            (1, 4),
            "ZeroDivisionError",
            id="a-bug",
        ),
        pytest.param("test_stopped", {}, STOPPED, (0, 0), "SystemExit", id="worker-stopped"),
    ],
)
def test_a_failing_task_is_shown_as_failed(
    cast: Any,
    db_worker: Any,
    kind: str,
    args: dict[str, Any],
    message: str,
    counts: tuple[int, int],
    exception: str,
) -> None:
    run = start_task(kind, by=cast.admin, **args)
    db_worker()
    run.refresh_from_db()
    assert run.status == TaskStatus.FAILED and run.get_status_display() == "失败"
    assert run.message == message
    assert (run.done, run.total) == counts
    assert run.result is None and run.finished_at is not None
    queued = DBTaskResult.objects.get(id=run.result_id)
    assert queued.status == "FAILED"
    assert queued.exception_class_path.endswith(exception)
    assert exception in queued.traceback


@committing
def test_a_queue_that_refuses_the_task_leaves_the_run_failed(cast: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["x"]}}
    run = start_task("test_count", by=cast.admin, n=1)  # committed; enqueueing then fails
    run.refresh_from_db()
    assert run.status == "failed" and run.get_status_display() == "失败"
    assert run.message == "未能加入后台任务队列，请稍后重试或联系系统管理员。"
    assert run.result_id == "" and not DBTaskResult.objects.exists()


@committing
def test_wait_runs_queued_work_here_when_no_worker_runs(cast: Any) -> None:
    first = start_task("test_count", by=cast.admin, n=3)
    second = start_task("test_count", by=cast.admin, n=4, label="（第二个）")
    done = wait(second, timeout=30)
    assert (done.status, done.message) == ("done", "已完成：处理 4 条（第二个）")
    first.refresh_from_db()
    assert first.status == "done"  # queued work is run in order, as a worker would
    run_queued()  # nothing left: returns at once
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_arguments_must_survive_json(cast: Any) -> None:
    run = start_task("test_count", by=cast.admin, n=2, label=dt.date(2027, 1, 1))
    assert run.args == {"n": 2, "label": "2027-01-01"}
    with pytest.raises(TypeError):
        start_task("test_count", by=cast.admin, n=object())


def test_a_kind_may_not_take_start_tasks_own_keywords() -> None:
    def takes_unit(progress: Progress, *, unit: str) -> Outcome:
        return Outcome("", {})

    with pytest.raises(ValueError, match=r"\['unit'\] are reserved"):
        background("test_clash", title="测试")(takes_unit)
    with pytest.raises(LookupError):
        get_kind("test_clash")


def test_a_kind_is_declared_once_under_a_plain_code() -> None:
    def other(progress: Progress) -> Outcome:
        return Outcome("", {})

    with pytest.raises(ValueError, match="already registered"):
        background("test_count", title="另一个")(other)
    with pytest.raises(ValueError, match="lower-case"):
        background("tasks.Import", title="测试")


def test_an_unknown_kind_is_refused(cast: Any) -> None:
    with pytest.raises(LookupError):
        start_task("no_such_kind", by=cast.admin)
    assert not TaskRun.objects.exists()


def test_the_command_line_starts_runs_without_a_user(cast: Any) -> None:
    run = start_task("test_count", by=None, n=1)
    assert run.by is None
    assert AuditEvent.objects.get(code="tasks.test_count.started").actor == "系统"


# --- progress ---------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.django_db
def test_progress_writes_at_most_once_per_interval(django_assert_num_queries: Any) -> None:
    run = TaskRun.objects.create(kind="test_count", title="测试计数")
    clock = Clock()
    progress = Progress(run.pk, every=1.0, clock=clock)
    with django_assert_num_queries(1):
        for i in range(1, 100_001):
            progress(i, 100_000, f"已检查 {i} 件")
    run.refresh_from_db()
    assert (run.done, run.total, run.message) == (1, 100_000, "已检查 1 件")
    clock.now += 0.99
    progress(50, 100_000)
    assert progress.writes == 1
    clock.now += 0.02
    progress(60, 100_000)
    assert progress.writes == 2
    run.refresh_from_db()
    # A call without a message keeps the last one.
    assert (run.done, run.total, run.message) == (60, 100_000, "已检查 100000 件")


@pytest.mark.django_db
def test_progress_never_shows_more_done_than_total() -> None:
    run = TaskRun.objects.create(kind="test_count", title="测试计数")
    Progress(run.pk)(12, 10)  # records added after the count was taken
    run.refresh_from_db()
    assert (run.done, run.total, run.percent) == (12, 12, 100)


# --- who/when constraints ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"status": "done", "started_at": None}, id="done-without-finished"),
        pytest.param({"status": "running", "finished": True}, id="running-but-finished"),
        pytest.param({"status": "done", "finished": True}, id="done-never-started"),
        pytest.param({"status": "failed"}, id="failed-without-finished"),
    ],
)
def test_status_and_times_agree(fields: dict[str, Any]) -> None:
    now = timezone.now()
    finished = fields.pop("finished", False)
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskRun.objects.create(
            kind="test_count", title="测试", finished_at=now if finished else None, **fields
        )


@pytest.mark.django_db
def test_consistent_rows_are_accepted() -> None:
    now = timezone.now()
    TaskRun.objects.create(kind="k", title="t")
    TaskRun.objects.create(kind="k", title="t", status="running", started_at=now)
    TaskRun.objects.create(kind="k", title="t", status="done", started_at=now, finished_at=now)
    TaskRun.objects.create(kind="k", title="t", status="failed", finished_at=now)
    assert TaskRun.objects.count() == 4
