"""Two clicks at once on a reset: two requests in flight together, each in its own thread and
database connection. The row lock orders them; the second finds the password changed."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from fazhi.core.accounts import actions
from fazhi.core.accounts.tests.conftest import Admins, sign_in
from fazhi.core.audit.models import AuditEvent

# pytest-django's SQLite test database lives in memory with a shared cache, where a second
# writer fails at once ("table is locked") instead of waiting: two live writers need a server.
# On SQLite the order is the same by construction (IMMEDIATE transactions, settings.py).
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs two live writers on one database (PostgreSQL)",
    ),
]


def test_two_resets_in_flight_together_leave_one_valid_password(cast: Any, admins: Admins) -> None:
    admin = sign_in("a_admin")
    url = reverse("accounts:reset", args=[cast.a_clerk.pk])
    state = actions.password_state(cast.a_clerk)
    barrier = threading.Barrier(2)
    pages: list[str] = []

    def click() -> None:
        browser = Client(REMOTE_ADDR="10.0.0.1")
        browser.cookies = admin.cookies
        try:
            barrier.wait(timeout=30)
            pages.append(browser.post(url, {"state": state}).content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    shown = [
        m.group(1) for p in pages if (m := re.search(r'id="one-time-password"[^>]*>([^<]+)<', p))
    ]
    assert len(pages) == 2 and len(shown) == 1, pages
    assert any("可能是重复点击" in p for p in pages)
    assert get_user_model().objects.get(username="a_clerk").check_password(shown[0])
    assert AuditEvent.objects.filter(code="accounts.password.reset").count() == 1
