"""Run one extraction in a child process that can be stopped.

pypdf, python-docx and lxml are pure libraries with no way to interrupt them: a crafted PDF
keeps pypdf busy for minutes, a deep tree recurses, a stream inflates without end. So each
format extraction runs in a child forked from a small, single-threaded server process (the
stdlib's forkserver, with the readers preloaded: a fork costs milliseconds, not a fresh
interpreter), under an address-space and a CPU-time limit, and is killed when its wall-clock
budget runs out. The text comes back through a pipe, capped in the child and in the parent.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import pickle
import resource
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Budget", "ChildError", "Overrun", "run"]

MB = 1024 * 1024


@dataclass(frozen=True)
class Budget:
    """Limits for reading one file; the defaults are generous for a real report."""

    seconds: float = 20.0
    cpu_seconds: int = 20
    memory_bytes: int = 1536 * MB
    max_chars: int = 2_000_000
    max_pages: int = 400
    # Decoded content of one PDF page, and of all pages (a stream shared by pages counts
    # once per page, as pypdf extracts it once per page).
    max_page_content: int = 1 * MB
    max_pdf_content: int = 5 * MB
    # A real report's document.xml is well under 5 MB; python-docx builds an lxml tree of it
    # (about ten times its size), so a larger part is refused before it is parsed.
    max_document_bytes: int = 20 * MB
    isolate: bool = True


class Overrun(Exception):
    """The child ran out of time or memory, or died; the message is for the user (Chinese)."""


class ChildError(Exception):
    """The target raised in the child: ``kind`` is the exception's class name."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


# The readers and their libraries, imported once in the server so each fork starts warm.
_PRELOAD = ["__main__", "fazhi.review._warm"]
_context_lock = threading.Lock()
_context: Any = None


def _get_context() -> Any:
    global _context
    with _context_lock:
        if _context is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                ctx: Any = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload(_PRELOAD)
            else:  # not Linux
                ctx = multiprocessing.get_context("spawn")
            _context = ctx
        return _context


def _limit_resources(budget: Budget) -> None:
    for kind, value in (
        (resource.RLIMIT_AS, budget.memory_bytes),
        (resource.RLIMIT_CPU, budget.cpu_seconds),
    ):
        _soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, hard))


def _child(
    conn: multiprocessing.connection.Connection,
    target: Callable[..., object],
    args: tuple[object, ...],
    budget: Budget,
) -> None:
    try:
        _limit_resources(budget)
        try:
            payload = pickle.dumps(("ok", target(*args)))
        except MemoryError:
            payload = pickle.dumps(("memory", None))
        except BaseException as exc:  # everything goes back to the parent, never a traceback
            payload = pickle.dumps(("error", (type(exc).__name__, str(exc)[:2000])))
        conn.send_bytes(payload)
    finally:
        conn.close()
        os._exit(0)


def run(target: Callable[..., object], args: tuple[object, ...], budget: Budget) -> object:
    """Return ``target(*args)`` run in a limited child; re-raise what it raised.

    ``target`` must be a module-level function; it is given ``budget`` limits on memory and
    CPU, and ``budget.seconds`` of wall-clock time.
    """
    if not budget.isolate:
        return target(*args)
    ctx = _get_context()
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(send, target, args, budget), daemon=True)
    try:
        process.start()
    except OSError as exc:
        raise Overrun("系统资源不足，暂时无法读取该文件，请稍后重试。") from exc
    send.close()
    try:
        if not receive.poll(budget.seconds):
            raise Overrun(
                f"读取文件超过 {budget.seconds:g} 秒仍未完成（文件可能经过特殊构造），未审查。"
            )
        try:
            # Text is at most max_chars characters of up to 4 bytes, plus pickling.
            payload = receive.recv_bytes(4 * budget.max_chars + MB)
        except (EOFError, OSError) as exc:
            raise Overrun("读取文件时超出内存或计算上限（文件可能经过特殊构造），未审查。") from exc
    finally:
        receive.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    status, value = pickle.loads(payload)
    if status == "memory":
        raise Overrun("读取文件时超出内存上限（文件可能经过特殊构造），未审查。")
    if status == "error":
        kind, message = value
        raise ChildError(kind, message)
    return value
