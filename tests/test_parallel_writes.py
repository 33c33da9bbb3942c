"""Parallel writers on one database end in success or a clean Chinese refusal, never in
`database is locked` (issue 6, item 3).

The writers are separate OS processes (spawn start method), each setting Django up against the
same database: on SQLite a file (pytest-django's in-memory default cannot be shared), on
PostgreSQL a fresh database on the configured server. They go through the real actions.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings

from tests import parallel

WRITERS = 8
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A migrated database of the configured kind that child processes can open."""
    configured = urlsplit(settings.DATABASE_URL)
    if configured.scheme.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'parallel.sqlite3'}"
        admin_url = None
    else:
        name = f"fazhi_parallel_{os.getpid()}"
        url = urlunsplit(configured._replace(path=f"/{name}"))
        admin_url = urlunsplit(configured._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "fazhi.settings"}
    subprocess.run(
        [sys.executable, "-m", "fazhi.cli", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    yield url
    if admin_url is not None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _in_child(ctx: Any, target: Any, *args: Any) -> Any:
    with ctx.Pool(1) as pool:
        return pool.apply(target, args)


def test_parallel_writers_succeed_or_are_refused_in_chinese(database_url: str) -> None:
    ctx = mp.get_context("spawn")
    ids = _in_child(ctx, parallel.prepare, database_url)
    barrier = ctx.Barrier(WRITERS)
    results = ctx.Queue()
    writers = [
        ctx.Process(target=parallel.writer, args=(database_url, ids, i, barrier, results))
        for i in range(WRITERS)
    ]
    for w in writers:
        w.start()
    outcomes: list[tuple[str, int, str, str]] = []
    try:
        while len(outcomes) < 3 * WRITERS:
            outcomes.append(results.get(timeout=180))
    except queue.Empty:
        pytest.fail(f"writers did not finish; got {outcomes}")
    finally:
        for w in writers:
            w.join(timeout=30)
            if w.is_alive():
                w.kill()
    tally = Counter((name, kind) for name, _, kind, _ in outcomes)
    errors = sorted({msg for _, _, kind, msg in outcomes if kind == "error"})
    assert not errors, (tally, errors)

    def kinds(round_: str) -> Counter[str]:
        return Counter(kind for name, _, kind, _ in outcomes if name == round_)

    def refusals(round_: str) -> list[str]:
        return sorted(msg for name, _, kind, msg in outcomes if name == round_ and kind != "ok")

    state = _in_child(ctx, parallel.inspect, database_url, ids)
    if database_url.startswith("sqlite"):
        assert state["journal_mode"] == "wal"

    # Exactly one reply wins; the others find the application closed.
    assert kinds("reply") == {"ok": 1, "refused": WRITERS - 1}
    assert set(refusals("reply")) == {"当前状态「已办结」下不能执行「答复」"}
    assert (state["status"], state["reply_events"], state["reply_audits"]) == ("closed", 1, 1)

    # Two writers per explicit 申请编号: one registers it, the other is told it is taken.
    numbers = [f"YSQ-2026-{100 + i:04d}" for i in range(WRITERS // 2)]
    assert kinds("register") == {"ok": WRITERS // 2, "refused": WRITERS // 2}
    refused = refusals("register")
    assert len(refused) == len(numbers)
    assert all(f"「{n}」在本单位已存在" in m for m, n in zip(refused, numbers, strict=True))
    assert state["numbers"] == numbers
    assert state["register_audits"] == WRITERS // 2

    # Every report-text save succeeds; one row remains, holding one of the drafts.
    assert kinds("texts") == {"ok": WRITERS}
    assert len(state["texts"]) == 1
    assert state["texts"][0] in {f"第{i}稿" for i in range(WRITERS)}
    assert state["text_audits"] == WRITERS


def test_one_form_posted_by_several_processes_at_once_registers_once(database_url: str) -> None:
    ctx = mp.get_context("spawn")
    ids = _in_child(ctx, parallel.prepare, database_url)
    posts = 4
    barrier = ctx.Barrier(posts)
    results = ctx.Queue()
    procs = [
        ctx.Process(
            target=parallel.web_register, args=(database_url, ids, "same-token", barrier, results)
        )
        for _ in range(posts)
    ]
    for p in procs:
        p.start()
    try:
        answers = [results.get(timeout=180) for _ in range(posts)]
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
    # Every post is answered with a redirect (no 500, no "database is locked"); all lead to the
    # one record registered.
    assert all(status == 302 for status, _ in answers), answers
    assert len({where for _, where in answers}) == 1, answers
    assert _in_child(ctx, parallel.registered_by_form, database_url) == 1
