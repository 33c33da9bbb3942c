"""Run one extraction in a child process that can be stopped.

pypdf, python-docx and lxml are pure libraries with no way to interrupt them: a crafted PDF
keeps pypdf busy for minutes, a deep tree recurses, a stream inflates without end. So each
format extraction runs in a child process under an address-space and a CPU-time limit, and
is killed when its wall-clock budget runs out; the text comes back through a socket, capped.

The children are forked from a small helper (``python -m fazhi.review.sandbox``), started
once per process, single-threaded, with the readers imported and warmed: a fork costs a few
milliseconds instead of a fresh interpreter, and nothing of the caller (threads, Django, the
caller's main module) is inherited. multiprocessing's forkserver was tried first: it imports
the caller's main module again in every child, which costs more than the reading itself.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import resource
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Budget", "ChildError", "Overrun", "run"]

MB = 1024 * 1024
_HEADER = struct.Struct("<Q")


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
    # A scanned PDF is OCR'd in a child of its own: at most this many pages, in this time
    # (about 3-8 s a page; the web page reviews synchronously, inside the worker's timeout).
    ocr_pages: int = 10
    ocr_seconds: float = 60.0
    isolate: bool = True


class Overrun(Exception):
    """The child ran out of time or memory, or died; the message is for the user (Chinese)."""


class ChildError(Exception):
    """The target raised in the child: ``kind`` is the exception's class name."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _send(conn: socket.socket, payload: bytes) -> None:
    conn.sendall(_HEADER.pack(len(payload)) + payload)


def _recv_exact(conn: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = conn.recv(min(size, MB))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _recv(conn: socket.socket, limit: int) -> bytes:
    (size,) = _HEADER.unpack(_recv_exact(conn, _HEADER.size))
    if size > limit:
        raise EOFError
    return _recv_exact(conn, size)


class _Helper:
    """The forking helper process and the control socket to it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process: subprocess.Popen[bytes] | None = None
        self.control: socket.socket | None = None

    def close(self) -> None:
        """Close the control socket (the helper then exits) and wait for the helper."""
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.process is not None:
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def _start(self) -> None:
        self.close()
        ours, theirs = socket.socketpair()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p or os.getcwd() for p in sys.path))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fazhi.review.sandbox", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env=env,
        )
        theirs.close()
        self.control = ours

    def connect(self) -> socket.socket:
        """A socket to a freshly forked child, starting (or restarting) the helper."""
        with self.lock:
            for _ in range(2):
                if self.process is None or self.process.poll() is not None or not self.control:
                    self._start()
                assert self.control is not None
                ours, theirs = socket.socketpair()
                try:
                    socket.send_fds(self.control, [b"f"], [theirs.fileno()])
                    return ours
                except OSError:
                    ours.close()
                    self.process = None
                finally:
                    theirs.close()
        raise Overrun("系统资源不足，暂时无法读取该文件，请稍后重试。")


_helper = _Helper()
atexit.register(_helper.close)


def run(target: Callable[..., object], args: tuple[object, ...], budget: Budget) -> object:
    """Return ``target(*args)`` run in a limited child; raise ChildError if it raised.

    ``target`` must be a module-level function (it is sent by name); it runs with
    ``budget``'s limits on memory and CPU and ``budget.seconds`` of wall-clock time.
    """
    if not budget.isolate:
        return target(*args)
    deadline = time.monotonic() + budget.seconds
    conn = _helper.connect()
    pid = 0
    try:
        conn.settimeout(budget.seconds)
        (pid,) = _HEADER.unpack(_recv_exact(conn, _HEADER.size))
        _send(conn, pickle.dumps((target, args, budget)))
        conn.settimeout(max(0.01, deadline - time.monotonic()))
        # Text is at most max_chars characters of up to 4 bytes, plus pickling.
        payload = _recv(conn, 4 * budget.max_chars + MB)
    except TimeoutError as exc:
        # Still running (it has not closed its end), so the pid is still its own.
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        raise Overrun(
            f"读取文件超过 {budget.seconds:g} 秒仍未完成（文件可能经过特殊构造），未审查。"
        ) from exc
    except (EOFError, OSError) as exc:
        raise Overrun("读取文件时超出内存或计算上限（文件可能经过特殊构造），未审查。") from exc
    finally:
        conn.close()
    status, value = pickle.loads(payload)
    if status == "memory":
        raise Overrun("读取文件时超出内存上限（文件可能经过特殊构造），未审查。")
    if status == "error":
        kind, message = value
        raise ChildError(kind, message)
    return value


# --- the helper and its children ------------------------------------------------------


def _limit_resources(budget: Budget) -> None:
    for kind, value in (
        (resource.RLIMIT_AS, budget.memory_bytes),
        (resource.RLIMIT_CPU, budget.cpu_seconds),
    ):
        _soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, hard))


def _serve_one(conn: socket.socket) -> None:
    conn.sendall(_HEADER.pack(os.getpid()))
    request = _recv(conn, 64 * MB)
    try:
        target, args, budget = pickle.loads(request)
        _limit_resources(budget)
        payload = pickle.dumps(("ok", target(*args)))
    except MemoryError:
        payload = pickle.dumps(("memory", None))
    except BaseException as exc:  # everything goes back to the parent, never a traceback
        payload = pickle.dumps(("error", (type(exc).__name__, str(exc)[:2000])))
    _send(conn, payload)


def _helper_main(fd: int) -> None:
    import fazhi.review._warm  # noqa: F401  (imports and warms the readers once)

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    control = socket.socket(fileno=fd)
    while True:
        try:
            message, fds, _flags, _addr = socket.recv_fds(control, 1, 1)
        except OSError:
            return
        if not message:
            return  # the caller went away
        if not fds:
            continue
        if os.fork() == 0:
            code = 0
            try:
                control.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _serve_one(socket.socket(fileno=fds[0]))
            except BaseException:
                code = 1
            os._exit(code)
        os.close(fds[0])


if __name__ == "__main__":
    _helper_main(int(sys.argv[1]))
