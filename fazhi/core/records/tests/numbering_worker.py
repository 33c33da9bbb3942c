"""The body of one process of test_numbering: a fresh interpreter (multiprocessing, spawn) sets
up Django against the database the parent names, waits for the others, and registers one case.

Nothing Django-related is imported at module level: the process has no settings until it
chose its database.
"""

from __future__ import annotations

import os
from typing import Any


def register_one(database_url: str, unit_id: int, user_id: int, barrier: Any, results: Any) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "fazhi.settings"
    import django
    import pytest  # noqa: F401  (the settings install the toy ledger only under pytest)

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from fazhi.core.records.tests.toy import actions
    from fazhi.core.tenancy.models import OrgUnit

    unit = OrgUnit.objects.get(pk=unit_id)
    user = get_user_model().objects.get(pk=user_id)
    connection.ensure_connection()
    barrier.wait(timeout=120)
    try:
        case = actions.register(
            unit=unit, by=user, received_on=timezone.localdate(), subject="并发登记"
        )
    except Exception as exc:  # reported to the parent, which counts the failures
        results.put(f"error: {type(exc).__name__}: {exc}")
    else:
        results.put(case.number)
    finally:
        connection.close()
