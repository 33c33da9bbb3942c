"""Serving the app with gunicorn (several worker processes) on loopback, and an asyncio HTTP
client that keeps C requests in flight from one process (no threads in the server or client)."""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bench._db import ROOT, child_env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(workers: int, settings: str = "bench.admin_settings") -> Iterator[tuple[str, int]]:
    """gunicorn with fazhi's config on the run's database; yields (host, port)."""
    port = free_port()
    env = child_env(
        DJANGO_SETTINGS_MODULE=settings,
        FAZHI_BIND=f"127.0.0.1:{port}",
        FAZHI_WORKERS=str(workers),
    )
    log = open(os.devnull, "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "fazhi/gunicorn.conf.py", "fazhi.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise SystemExit(f"gunicorn exited:\n{err[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start within 60 s") from None
                time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


async def _get(host: str, port: int, path: str, cookie: str) -> tuple[int, float]:
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n"
        "Connection: close\r\n\r\n".encode()
    )
    await writer.drain()
    data = await reader.read()
    elapsed = time.perf_counter() - start
    writer.close()
    status = int(data.split(b" ", 2)[1]) if data else 0
    return status, elapsed


def measure(
    address: tuple[str, int], paths: list[str], cookie: str, clients: int, rounds: int
) -> list[float]:
    """`clients` concurrent clients, each loading `rounds` pages in turn; every latency, s."""

    async def client(k: int) -> list[float]:
        times = []
        for r in range(rounds):
            path = paths[(k + r) % len(paths)]
            status, elapsed = await _get(*address, path, cookie)
            if status != 200:
                raise SystemExit(f"GET {path}: HTTP {status}")
            times.append(elapsed)
        return times

    async def everyone() -> list[float]:
        found = await asyncio.gather(*(client(k) for k in range(clients)))
        return [t for chunk in found for t in chunk]

    return asyncio.run(everyone())


@dataclass(frozen=True)
class Latency:
    p50: float
    p95: float

    @classmethod
    def of(cls, times: list[float]) -> Latency:
        return cls(statistics.median(times), statistics.quantiles(times, n=20)[-1])

    def __str__(self) -> str:
        return f"p50 {self.p50 * 1000:7.1f} ms   p95 {self.p95 * 1000:7.1f} ms"


def session_cookie(user: object) -> str:
    """A signed-in session for `user`, as the Cookie header's value."""
    from django.conf import settings
    from django.test import Client

    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return f"{settings.SESSION_COOKIE_NAME}={c.cookies[settings.SESSION_COOKIE_NAME].value}"
