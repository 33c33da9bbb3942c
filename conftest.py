"""The test cast (STYLE habit 10): a district supervisor, 街道 A's clerk, reviewer and leader,
and 街道 B's clerk — the outsider who must get a 404 on everything of A."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.backends.signals import connection_created

from fazhi.core.calendar.service import clear_cache

PASSWORD = "cast-password-2026"


@dataclass
class Cast:
    district: Any
    street_a: Any
    street_b: Any
    admin: Any
    supervisor: Any
    a_clerk: Any
    a_reviewer: Any
    a_leader: Any
    b_clerk: Any


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    # PBKDF2 at production strength costs ~0.5 s a user; tests create many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Moves write their letters (.docx attachments) to MEDIA_ROOT; never into the work tree.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Any:
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def cast(db: Any) -> Cast:
    from fazhi.core.tenancy.actions import add_unit, add_user

    district = add_unit(code="D1", name="示例区", kind="district", parent=None, by=None)
    a = add_unit(code="A1", name="东湖街道", kind="street", parent=district, by=None)
    b = add_unit(code="B1", name="西城街道", kind="street", parent=district, by=None)

    def user(name: str, unit: Any, role: str) -> Any:
        return add_user(
            username=name, unit=unit, role=role, password=PASSWORD, by=None, check_password=False
        )

    return Cast(
        district=district,
        street_a=a,
        street_b=b,
        admin=user("admin", district, "admin"),
        supervisor=user("jiandu", district, "supervisor"),
        a_clerk=user("a_clerk", a, "clerk"),
        a_reviewer=user("a_reviewer", a, "reviewer"),
        a_leader=user("a_leader", a, "leader"),
        b_clerk=user("b_clerk", b, "clerk"),
    )


@pytest.fixture
def today() -> dt.date:
    """Tests that depend on 'today' travel to a fixed date with time-machine."""
    return dt.date(2026, 11, 25)


@pytest.fixture
def historical_entry(settings: Any) -> None:
    """Suites that replay months of work in one go enter each step long after its date; the
    rule that such a step needs a 补录原因 has its own tests (fazhi/core/records/tests)."""
    settings.FAZHI_BACKDATE_DAYS = None


def require_in_ci(reason: str) -> None:
    """Skip locally when a system dependency is missing; under CI=true it is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _calendar_seed_survives(request: pytest.FixtureRequest) -> Any:
    """Transactional tests flush the database; without serialized_rollback the calendar seeded
    by a data migration would be gone for every later test in the process. Fail loudly instead."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
        pytest.fail(
            "transactional tests must use serialized_rollback=True (they flush the seeded calendar)"
        )


# SQLite refuses to delete audit events unless fazhi_test_flush_in_progress() is true (audit
# migration 0003). Only this harness defines it, and only while pytest tears a test down, which
# is where pytest-django flushes a transactional test's database.
_tearing_down = False


def _define_test_flush_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "fazhi_test_flush_in_progress", 0, lambda: _tearing_down
        )


connection_created.connect(_define_test_flush_function, weak=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    global _tearing_down
    _tearing_down = True
    try:
        return (yield)
    finally:
        _tearing_down = False
