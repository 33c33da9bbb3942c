"""Letter numbers under contention: N processes, released together, each replying to another
application of the same unit, get the numbers 1..N of the year — no gap, no duplicate, no
error. Processes, not threads: each has its own interpreter and connection, as app servers do."""

from __future__ import annotations

import multiprocessing
import queue
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from fazhi.core.letters.models import Letter
from fazhi.ledgers.disclosure import actions
from fazhi.ledgers.disclosure.tests.letter_race_worker import reply_one

N = 6
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run of this race")
def test_parallel_replies_number_their_letters_without_gaps(cast: Any, tmp_path: Path) -> None:
    today = timezone.localdate()
    apps = [
        actions.register(
            unit=cast.street_a,
            by=cast.a_clerk,
            received_on=today,
            applicant_category="natural_person",
            applicant_name=f"申请人{i}",
            content="并发答复",
        )
        for i in range(N)
    ]
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    url = (
        f"postgres://{user}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(N)
    results = ctx.Queue()
    processes = [
        ctx.Process(
            target=reply_one,
            args=(url, str(tmp_path), app.pk, cast.a_clerk.pk, barrier, results),
        )
        for app in apps
    ]
    for p in processes:
        p.start()
    found: list[str] = []
    try:
        for _ in range(N):
            found.append(results.get(timeout=180))
    except queue.Empty:
        found.append("error: a process did not answer")
    for p in processes:
        p.join(timeout=30)
        if p.is_alive():
            p.kill()
    expected = [f"〔{today.year}〕第{i}号" for i in range(1, N + 1)]
    assert sorted(found, key=len) == sorted(expected, key=len) and set(found) == set(expected), (
        found
    )
    stored = Letter.objects.filter(unit=cast.street_a).order_by("seq")
    assert [x.seq for x in stored] == list(range(1, N + 1))
    assert all(x.attachment_id is not None for x in stored)
