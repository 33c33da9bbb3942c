"""The app's PostgreSQL role cannot rewrite the audit log, yet the app works as it
(issue 6, item 7): a real login role, granted by `fazhi grant_app_role`, connecting for real."""

from __future__ import annotations

import datetime as dt
import io
import os
import secrets
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from fazhi.core.audit.checks import app_database_role
from fazhi.core.audit.models import AuditEvent
from fazhi.core.reports.actions import save_texts
from fazhi.ledgers.disclosure import actions

ROOT = Path(__file__).resolve().parents[1]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="database roles exist on PostgreSQL only (SQLite: fazhi/core/audit/tests)",
)


@pytest.fixture
def app_role(django_db_blocker: Any) -> Iterator[str]:
    name = f"fazhi_app_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" LOGIN')
    yield name
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


def grant(role: str) -> str:
    out = io.StringIO()
    call_command("grant_app_role", role, stdout=out)
    return out.getvalue()


def connect_as(role: str) -> psycopg.Connection[Any]:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=role, autocommit=True
    )


@contextmanager
def app_connects_as(role: str) -> Iterator[None]:
    """Django's own connection, logged in as `role`, as the production app would be."""
    saved = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = role
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["USER"] = saved


def check_deploy(user: str) -> subprocess.CompletedProcess[str]:
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        FAZHI_PRODUCTION="1",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="fazhi.example.gov.cn",
        DATABASE_URL=f"postgres://{user}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    )
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "fazhi"), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_app_role_may_append_and_read_but_not_rewrite(cast: Any, app_role: str) -> None:
    AuditEvent.objects.create(code="test.kept")
    assert "仅可追加和读取" in grant(app_role)
    grant(app_role)  # again after a later migrate: the same grants
    with connection.cursor() as cursor:  # a table a later migration creates
        cursor.execute("CREATE TABLE fazhi_later (id integer)")
    with connect_as(app_role) as db:
        db.execute("INSERT INTO fazhi_later VALUES (1)")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE fazhi_later")
    with connect_as(app_role) as db:
        db.execute(
            "INSERT INTO audit_auditevent (at, code, actor, unit_code, object_type, object_id, data)"
            " VALUES (now(), 'test.appended', '', '', '', '', '{}')"
        )
        refused = [
            "UPDATE audit_auditevent SET code = 'forged'",
            "DELETE FROM audit_auditevent",
            "TRUNCATE audit_auditevent",
            "SET session_replication_role = replica",
            "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
            "DROP TRIGGER audit_no_update ON audit_auditevent",
            "DROP TABLE audit_auditevent",
        ]
        for statement in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                db.execute(statement)
        codes = db.execute(
            "SELECT code FROM audit_auditevent WHERE code LIKE %s ORDER BY id", ["test.%"]
        ).fetchall()
    assert [c for (c,) in codes] == ["test.kept", "test.appended"]


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_app_does_its_normal_writes_as_that_role(cast: Any, app_role: str) -> None:
    grant(app_role)
    today = timezone.localdate()
    with app_connects_as(app_role):
        client = Client()
        client.post(reverse("login"), {"username": "a_clerk", "password": "wrong"})
        assert (
            client.post(reverse("login"), {"username": "a_clerk", "password": PASSWORD}).status_code
            == 302
        )
        assert client.get(reverse("web:home")).status_code == 200
        app = actions.register(
            unit=cast.street_a,
            by=cast.a_clerk,
            received_on=today - dt.timedelta(days=2),
            applicant_category="natural_person",
            applicant_name="王某",
            content="x",
        )
        actions.reply(app=app, by=cast.a_clerk, on=today, outcome="granted")
        save_texts(
            unit=cast.street_a, kind="xxgk", year=2026, texts={"problems": "无"}, by=cast.a_clerk
        )
        client.post(reverse("logout"))
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone() == (app_role,)
        assert app_database_role() == []
    assert set(AuditEvent.objects.values_list("code", flat=True)) >= {
        "disclosure.application.registered",
        "disclosure.application.replied",
        "reports.xxgk.texts_saved",
    }


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_check_deploy_warns_about_a_superuser_and_is_clean_for_the_app_role(
    app_role: str,
) -> None:
    grant(app_role)
    as_superuser = check_deploy(connection.settings_dict["USER"])
    assert as_superuser.returncode != 0
    assert "fazhi.W101" in as_superuser.stderr + as_superuser.stdout
    as_app = check_deploy(app_role)
    assert as_app.returncode == 0, as_app.stdout + as_app.stderr
    assert "no issues" in as_app.stdout


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_check_deploy_warns_about_an_owner_or_an_extra_grant(app_role: str) -> None:
    with app_connects_as(app_role):
        assert app_database_role() == []  # no privileges at all: nothing to rewrite with
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT TRUNCATE ON audit_auditevent TO "{app_role}"')
    with app_connects_as(app_role):
        assert [(w.id, "TRUNCATE" in w.msg) for w in app_database_role()] == [("fazhi.W103", True)]
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE audit_auditevent OWNER TO "{app_role}"')
    try:
        with app_connects_as(app_role):
            assert [w.id for w in app_database_role()] == ["fazhi.W102"]
        with pytest.raises(CommandError, match="拥有审计日志表"):
            call_command("grant_app_role", app_role)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                f'ALTER TABLE audit_auditevent OWNER TO "{connection.settings_dict["USER"]}"'
            )


@postgres_only
@pytest.mark.django_db
def test_grant_app_role_refuses_a_superuser_the_owner_and_an_unknown_role() -> None:
    with pytest.raises(CommandError, match="执行本命令的角色"):
        call_command("grant_app_role", connection.settings_dict["USER"])
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE fazhi_test_super SUPERUSER")  # rolled back with the test
    with pytest.raises(CommandError, match="超级用户"):
        call_command("grant_app_role", "fazhi_test_super")
    with pytest.raises(CommandError, match="不存在"):
        call_command("grant_app_role", "fazhi_no_such_role")
    assert [w.id for w in app_database_role()] == ["fazhi.W101"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite counterpart")
@pytest.mark.django_db
def test_grant_app_role_explains_that_sqlite_has_no_roles() -> None:
    with pytest.raises(CommandError, match="仅适用于 PostgreSQL"):
        call_command("grant_app_role", "fazhi_app")
    assert app_database_role() == []
