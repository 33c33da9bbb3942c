"""Kinds of background work that exist only in these tests, and the real worker command."""

from __future__ import annotations

import io
import logging
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from fazhi.core.tasks.progress import Progress
from fazhi.core.tasks.registry import Outcome, TaskFailure, background, unregister

KINDS = ("test_count", "test_refuse", "test_crash", "test_stopped")


def count(progress: Progress, *, n: int, label: str = "") -> Outcome:
    for i in range(1, n + 1):
        progress(i, n, f"已处理 {i}/{n} 条")
    return Outcome(f"已完成：处理 {n} 条{label}", {"n": n})


def refuse(progress: Progress, *, line: int) -> Outcome:
    progress(line - 1, 10)
    raise TaskFailure(f"第{line}行日期无效：2027-02-30")


def crash(progress: Progress) -> Outcome:
    progress(1, 4)
    return Outcome("不会到这里", {"x": 1 // 0})


def stopped(progress: Progress) -> Outcome:
    raise SystemExit(1)


@pytest.fixture(autouse=True)
def test_kinds() -> Iterator[None]:
    background("test_count", title="测试计数", labels={"n": "处理条数"})(count)
    background("test_refuse", title="测试导入")(refuse)
    background("test_crash", title="测试崩溃")(crash)
    background("test_stopped", title="测试中止")(stopped)
    yield
    for code in KINDS:
        unregister(code)


def run_db_worker() -> str:
    """`fazhi db_worker --batch`, the real command, in this process: it installs its own signal
    handlers and logging levels, which are put back for the rest of the test session."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    saved = [(lg.level, list(lg.handlers)) for lg in loggers]
    out = io.StringIO()
    try:
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, stdout=out
        )
    finally:
        for s, h in handlers.items():
            signal.signal(s, h)
        for lg, (level, kept) in zip(loggers, saved, strict=True):
            lg.setLevel(level)
            lg.handlers[:] = kept
    return out.getvalue()


@pytest.fixture
def db_worker() -> Any:
    return run_db_worker
