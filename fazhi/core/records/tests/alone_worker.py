"""The body of test_alone: a fresh process whose settings install the toy ledger and no real
ledger, on a new SQLite file. It migrates, registers and moves a case, renders the pages, and
reports what it saw and which fazhi.ledgers modules were ever imported (none, it must be)."""

from __future__ import annotations

import os
import sys
from typing import Any


def render_alone(database_path: str, results: Any) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "fazhi.core.records.tests.toy.settings_alone"
    import django
    import pytest  # noqa: F401  (the settings install the toy ledger only under pytest)

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from fazhi.core.records.tests.toy import actions
    from fazhi.core.tenancy.actions import add_unit, add_user

    call_command("migrate", verbosity=0)
    unit = add_unit(code="A1", name="东湖街道", kind="street", parent=None, by=None)
    clerk = add_user(
        username="clerk", unit=unit, role="clerk", password="x", by=None, check_password=False
    )
    today = timezone.localdate()
    case = actions.register(unit=unit, by=clerk, received_on=today, subject="独立运行")
    actions.step(case, "ask", by=clerk, on=today)
    client = Client()
    client.force_login(clerk)
    pages: dict[str, Any] = {}
    for name, url in [
        ("home", reverse("web:home")),
        ("list", reverse("web:list", args=["toy"])),
        ("detail", reverse("web:detail", args=["toy", case.pk])),
        ("move", reverse("web:move", args=["toy", case.pk, "answer"])),
        ("correct", reverse("web:correct", args=["toy", case.pk])),
        ("new", reverse("web:new", args=["toy"])),
    ]:
        response = client.get(url)
        pages[name] = (response.status_code, response.content.decode())
    answered = client.post(
        reverse("web:move", args=["toy", case.pk, "answer"]),
        {"on": today.isoformat()},
    )
    results.put(
        {
            "pages": pages,
            "answered": answered.status_code,
            "status": type(case).objects.get(pk=case.pk).status,
            "ledgers": sorted(m for m in sys.modules if m.startswith("fazhi.ledgers")),
        }
    )
