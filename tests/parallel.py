"""Code run in child processes by `test_parallel_writes.py`.

Each child is a fresh interpreter (the spawn start method) that sets Django up against the shared
database given by URL, so nothing here may import Django at module level.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

REPLY_OUTCOME = "granted"
REPORT = {"kind": "xxgk", "year": 2026, "key": "problems"}


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "fazhi.settings"
    import django

    django.setup()


def prepare(url: str) -> dict[str, int]:
    """A unit, a clerk and one open application; returns their ids."""
    _django(url)
    from django.utils import timezone

    from fazhi.core.tenancy.actions import add_unit, add_user
    from fazhi.ledgers.disclosure import actions

    unit = add_unit(code="P1", name="并发街道", kind="street", parent=None, by=None)
    clerk = add_user(
        username="p_clerk",
        unit=unit,
        role="clerk",
        password="parallel-password-2026",
        by=None,
        check_password=False,
    )
    app = actions.register(
        unit=unit,
        by=clerk,
        received_on=timezone.localdate() - dt.timedelta(days=3),
        applicant_category="natural_person",
        applicant_name="王某",
        content="并发测试申请",
        number="YSQ-2026-0001",
    )
    return {"unit": unit.pk, "clerk": clerk.pk, "app": app.pk}


def _outcome(call: Any) -> tuple[str, str]:
    from fazhi.core.workflow import ActionError

    try:
        call()
    except ActionError as exc:
        return ("refused", exc.message)
    except Exception as exc:
        return ("error", f"{type(exc).__name__}: {exc}")
    return ("ok", "")


def writer(url: str, ids: dict[str, int], index: int, barrier: Any, results: Any) -> None:
    """Three rounds, each started by all writers at once: reply to the one application,
    register under an explicit number (two writers share each number), save the report text."""
    _django(url)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from fazhi.core.reports import actions as report_actions
    from fazhi.core.tenancy.models import OrgUnit
    from fazhi.ledgers.disclosure import actions
    from fazhi.ledgers.disclosure.models import Application

    clerk = get_user_model().objects.get(pk=ids["clerk"])
    unit = OrgUnit.objects.get(pk=ids["unit"])
    app = Application.objects.get(pk=ids["app"])
    today = timezone.localdate()
    rounds = {
        "reply": lambda: actions.reply(app=app, by=clerk, on=today, outcome=REPLY_OUTCOME),
        "register": lambda: actions.register(
            unit=unit,
            by=clerk,
            received_on=today,
            applicant_category="natural_person",
            applicant_name=f"申请人{index}",
            content="并发登记",
            number=f"YSQ-2026-{100 + index // 2:04d}",
        ),
        "texts": lambda: report_actions.save_texts(
            unit=unit,
            kind=REPORT["kind"],
            year=REPORT["year"],
            texts={REPORT["key"]: f"第{index}稿"},
            by=clerk,
        ),
    }
    for name, call in rounds.items():
        barrier.wait(timeout=120)
        results.put((name, index, *_outcome(call)))
    connection.close()


def inspect(url: str, ids: dict[str, int]) -> dict[str, Any]:
    """What the database holds after the writers finished."""
    _django(url)
    from django.db import connection

    from fazhi.core.audit.models import AuditEvent
    from fazhi.core.reports.models import ReportText
    from fazhi.ledgers.disclosure.models import Application

    app = Application.objects.get(pk=ids["app"])
    registered = Application.objects.filter(number__gte="YSQ-2026-0100").order_by("number")
    numbers = list(registered.values_list("number", flat=True))
    texts = list(
        ReportText.objects.filter(unit_id=ids["unit"], kind=REPORT["kind"], year=REPORT["year"])
        .filter(key=REPORT["key"])
        .values_list("text", flat=True)
    )
    journal = ""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    return {
        "journal_mode": journal,
        "status": app.status,
        "reply_events": app.events.filter(kind="replied").count(),
        "reply_audits": AuditEvent.objects.filter(
            code="disclosure.application.replied", object_id=str(app.pk)
        ).count(),
        "numbers": numbers,
        "register_audits": AuditEvent.objects.filter(
            code="disclosure.application.registered",
            object_id__in=[str(pk) for pk in registered.values_list("pk", flat=True)],
        ).count(),
        "texts": texts,
        "text_audits": AuditEvent.objects.filter(code="reports.xxgk.texts_saved").count(),
    }


def web_register(url: str, ids: dict[str, int], token: str, barrier: Any, results: Any) -> None:
    """The same registration form, one-time token included, posted by several processes at
    once (two clicks, a retry): through the web view, as the browser sends it."""
    _django(url)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    client = Client()
    client.force_login(get_user_model().objects.get(pk=ids["clerk"]))
    form = {
        "unit": "P1",
        "received_on": timezone.localdate().isoformat(),
        "channel": "in_person",
        "applicant_category": "natural_person",
        "applicant_name": "并发登记人",
        "id_type": "resident_id",
        "id_number": "110101199003074514",
        "contact": "13900000009",
        "content": "同一张登记表被同时提交",
        "_once": token,
    }
    barrier.wait(timeout=120)
    try:
        response = client.post("/l/disclosure/new/", form)
        results.put((response.status_code, response.get("Location", "")))
    except Exception as exc:  # reported, not raised: the parent asserts
        results.put((0, f"{type(exc).__name__}: {exc}"))
    connection.close()


def registered_by_form(url: str) -> int:
    _django(url)
    from fazhi.ledgers.disclosure.models import Application

    return Application.objects.filter(content="同一张登记表被同时提交").count()
