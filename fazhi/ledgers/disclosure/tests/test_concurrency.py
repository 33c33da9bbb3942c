"""Two people acting on the same application at the same moment (a double click, two tabs).

Row locks are PostgreSQL's; SQLite serialises whole-database writes instead, so these run on
the production engine only (the CI runs the suite on both)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection

from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure import actions
from fazhi.ledgers.disclosure.models import Application, ApplicationEvent

D = dt.date
pytestmark = [
    # serialized_rollback: the flush after a transactional test would otherwise drop the
    # calendar seeded by a data migration for every later test in this process.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
    ),
]


def twice(fn: Callable[[], Any]) -> list[Any]:
    """Run fn in two threads released together; return what each returned or raised."""
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def run() -> None:
        barrier.wait()
        try:
            results.append(fn())
        except ActionError as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_a_double_approved_extension_is_recorded_once(cast: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC), tick=False):
        app = actions.register(
            unit=cast.street_a,
            by=cast.a_clerk,
            received_on=D(2026, 3, 2),
            applicant_category="natural_person",
            applicant_name="王某",
            content="x",
        )
        results = twice(
            lambda: actions.extend(
                app=app, by=cast.a_leader, on=D(2026, 3, 20), reason="同意", told_on=D(2026, 3, 20)
            )
        )
    assert sum(isinstance(r, ActionError) for r in results) == 1
    assert ApplicationEvent.objects.filter(record=app, kind="extended").count() == 1
    assert Application.objects.get(pk=app.pk).reply_due_on == D(2026, 4, 28)


def test_two_clerks_registering_at_once_get_two_numbers(cast: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC), tick=False):
        results = twice(
            lambda: actions.register(
                unit=cast.street_a,
                by=cast.a_clerk,
                received_on=D(2026, 3, 2),
                applicant_category="natural_person",
                applicant_name="王某",
                content="x",
            )
        )
    assert not [r for r in results if isinstance(r, ActionError)]
    assert sorted(Application.objects.values_list("number", flat=True)) == [
        "YSQ-2026-0001",
        "YSQ-2026-0002",
    ]
