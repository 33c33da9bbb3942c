"""The kinds of background work. An app declares each kind once, at import (from its
AppConfig.ready), with the function the worker calls:

    @background("recompute_deadlines", title="重新计算在办事项的期限", priority=10)
    def recompute(progress: Progress) -> Outcome: ...

The function gets a `Progress` and the run's arguments (JSON values), and returns an `Outcome`.
Raising `TaskFailure` gives the user its Chinese message; any other exception shows as a generic
failure, its traceback kept on the queue row.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


class TaskFailure(Exception):
    """A failure the user can act on; its message (Chinese) is shown on the task page."""


@dataclass(frozen=True)
class Outcome:
    message: str  # Chinese, shown as the result: "已重新计算：2 件事项的期限有变化"
    data: Mapping[str, Any] = field(default_factory=dict)  # JSON, kept as TaskRun.result


TaskFunction = Callable[..., Outcome]  # (progress: Progress, **args) -> Outcome


@dataclass(frozen=True)
class Kind:
    code: str
    title: str  # Chinese
    func: TaskFunction
    priority: int = 0  # django-tasks priority, -100..100; higher runs first
    labels: Mapping[str, str] = field(default_factory=dict)  # result key -> Chinese label


_kinds: dict[str, Kind] = {}
# start_task's own keywords: a task argument of one of these names could never be passed.
RESERVED = frozenset({"kind", "by", "unit", "title"})


def background(
    code: str, *, title: str, priority: int = 0, labels: Mapping[str, str] | None = None
) -> Callable[[TaskFunction], TaskFunction]:
    if not code.replace("_", "").isalnum() or not code.islower():
        raise ValueError(f"task kind {code!r}: lower-case letters, digits and _ only")

    def register(func: TaskFunction) -> TaskFunction:
        clash = RESERVED & set(inspect.signature(func).parameters)
        if clash:
            raise ValueError(f"task kind {code!r}: argument names {sorted(clash)} are reserved")
        known = _kinds.get(code)
        if known is not None and known.func is not func:
            raise ValueError(f"task kind {code!r} is already registered")
        _kinds[code] = Kind(code, title, func, priority, labels or {})
        return func

    return register


def get_kind(code: str) -> Kind:
    try:
        return _kinds[code]
    except KeyError:
        raise LookupError(f"unknown task kind {code!r}") from None


def kinds() -> list[Kind]:
    return list(_kinds.values())


def unregister(code: str) -> None:
    """For tests that declare a kind of their own."""
    _kinds.pop(code, None)
