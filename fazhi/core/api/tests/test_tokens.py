"""Tokens: stored hashed, shown once, usable only while valid, revoked by an admin, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from fazhi.core.api import tokens
from fazhi.core.api.models import ApiToken
from fazhi.core.audit.models import AuditEvent
from fazhi.core.records.tests.helpers import TODAY, at
from fazhi.core.tenancy.access import access_for, get_unit_for_user_or_404
from fazhi.core.tenancy.actions import add_unit, add_user
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission


def test_only_the_digest_is_stored(cast: Any, a_write: tokens.Issued) -> None:
    token = ApiToken.objects.get()
    assert a_write.secret.startswith(token.key + "_")
    assert token.digest == hashlib.sha256(a_write.secret.encode()).hexdigest()
    stored = json.dumps(list(ApiToken.objects.values()), default=str)
    assert a_write.secret not in stored
    assert a_write.secret.split("_", 2)[2] not in stored


def test_a_valid_token_acts_for_its_unit_and_below(cast: Any, district_read: Any) -> None:
    found = tokens.authenticate(district_read.secret)
    assert found is not None
    access = access_for(found.actor)
    assert access.unit_ids == {cast.district.pk, cast.street_a.pk, cast.street_b.pk}
    assert access.can(cast.street_a.pk, Permission.VIEW)
    assert not access.can(cast.street_a.pk, Permission.REGISTER)  # a read token


def test_a_write_token_registers_but_never_approves(cast: Any, a_write: Any) -> None:
    found = tokens.authenticate(a_write.secret)
    assert found is not None
    access = access_for(found.actor)
    assert access.unit_ids == {cast.street_a.pk}
    assert access.can(cast.street_a.pk, Permission.REGISTER)
    assert not access.can(cast.street_a.pk, Permission.APPROVE)
    with pytest.raises(Exception, match="未找到该单位"):
        get_unit_for_user_or_404(found.actor, "B1")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),  # wrong secret, right key
        lambda s: s.replace("fz_", "fy_"),
        lambda s: s + "x",
        lambda s: "",
        lambda s: s.split("_", 2)[2],  # the secret alone
        lambda s: s[:14],  # the key alone
    ],
)
def test_anything_but_the_exact_token_is_refused(a_write: Any, mangle: Any) -> None:
    assert tokens.authenticate(mangle(a_write.secret)) is None


def test_a_revoked_token_is_refused_and_its_account_disabled(cast: Any, a_write: Any) -> None:
    tokens.revoke_token(token=a_write.token, by=cast.admin)
    assert tokens.authenticate(a_write.secret) is None
    token = ApiToken.objects.get()
    assert token.revoked_by == cast.admin and token.revoked_at is not None
    assert not token.actor.is_active
    with pytest.raises(ValueError, match="已吊销"):
        tokens.revoke_token(token=token, by=cast.admin)
    event = AuditEvent.objects.get(code="api.token.revoked")
    assert (event.actor, event.unit_code, event.object_id) == ("admin", "A1", token.key)


def test_a_token_of_a_deactivated_unit_is_refused_until_it_is_active_again(
    cast: Any, a_write: Any
) -> None:
    assert tokens.authenticate(a_write.secret) is not None
    # As 停用 leaves it (the action also wants the unit's users moved first, beside the point)
    OrgUnit.objects.filter(pk=cast.street_a.pk).update(active=False)
    assert tokens.authenticate(a_write.secret) is None
    assert ApiToken.objects.select_related("unit").get().state == "单位已停用"  # as listed
    OrgUnit.objects.filter(pk=cast.street_a.pk).update(active=True)
    assert tokens.authenticate(a_write.secret) is not None


def test_an_expired_token_is_refused(cast: Any) -> None:
    issued = tokens.issue_token(
        unit=cast.street_a, name="临时", scope="read", by=None, expires_on=dt.date(2026, 11, 30)
    )
    with at(dt.date(2026, 11, 30), hour=23):
        assert tokens.authenticate(issued.secret) is not None  # valid through its last day
    with at(dt.date(2026, 12, 1), hour=0):
        assert tokens.authenticate(issued.secret) is None


def test_last_use_is_recorded_at_most_once_a_minute(a_write: Any) -> None:
    assert ApiToken.objects.get().last_used_at is None
    tokens.authenticate(a_write.secret)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    with time_machine.travel(first + dt.timedelta(seconds=30), tick=False):
        tokens.authenticate(a_write.secret)
    assert ApiToken.objects.get().last_used_at == first
    with time_machine.travel(first + dt.timedelta(minutes=2), tick=False):
        tokens.authenticate(a_write.secret)
    assert ApiToken.objects.get().last_used_at == first + dt.timedelta(minutes=2)


def test_the_token_account_cannot_sign_in(cast: Any, a_write: Any) -> None:
    actor = ApiToken.objects.get().actor
    assert not actor.has_usable_password()
    client = Client()
    for password in ("", "!", actor.password):
        page = client.post(reverse("login"), {"username": actor.username, "password": password})
        assert page.status_code == 200  # the form again, with its error
        assert "_auth_user_id" not in client.session
    assert actor.username == f"api:{a_write.token.key}"
    assert actor.get_full_name() == "接口令牌：东湖12345推送"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "  "}, "请填写令牌名称"),
        ({"name": "x" * 101}, "不能超过100个字"),
        ({"scope": "admin"}, "权限无效"),
        ({"expires_on": TODAY}, "有效期须晚于今天"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(cast: Any, kwargs: Any, message: str) -> None:
    args = {"unit": cast.street_a, "name": "平台", "scope": "read", "by": None, **kwargs}
    with pytest.raises(ValueError, match=message):
        tokens.issue_token(**args)
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(code__startswith="api.").exists()


def test_an_admin_issues_only_in_its_subtree(cast: Any) -> None:
    street_admin = add_user(
        username="a_admin", unit=cast.street_a, role="admin", password="x", by=None,
        check_password=False,
    )  # fmt: skip
    with pytest.raises(ValueError, match="未找到该单位"):
        tokens.issue_token(unit=cast.street_b, name="越权", scope="read", by=street_admin)
    with pytest.raises(ValueError, match="未找到该单位"):
        tokens.issue_token(unit=cast.district, name="越权", scope="read", by=street_admin)
    issued = tokens.issue_token(unit=cast.street_a, name="本街道", scope="read", by=street_admin)
    event = AuditEvent.objects.get(code="api.token.created")
    assert (event.actor, event.unit_code, event.object_id) == ("a_admin", "A1", issued.token.key)
    assert issued.secret not in json.dumps(event.data)
    assert list(tokens.managed_tokens(street_admin)) == [issued.token]
    assert list(tokens.managed_tokens(cast.a_clerk)) == []


def test_no_token_for_a_deactivated_unit(cast: Any) -> None:
    gone = add_unit(code="C9", name="撤并街道", kind="street", parent=cast.district, by=None)
    from fazhi.core.tenancy.actions import set_unit_active

    set_unit_active(unit=gone, active=False, by=None)
    with pytest.raises(ValueError, match="已停用"):
        tokens.issue_token(unit=gone, name="x", scope="read", by=None)


def test_the_command_adds_lists_and_revokes(cast: Any) -> None:
    out = io.StringIO()
    call_command(
        "token", "add", "--unit", "A1", "--name", "平台", "--scope", "write", "--json", stdout=out
    )
    added = json.loads(out.getvalue())
    assert added["unit"] == "A1" and added["scope"] == "write" and added["state"] == "有效"
    assert tokens.authenticate(added["token"]) is not None
    out = io.StringIO()
    call_command("token", "list", "--json", stdout=out)
    listed = json.loads(out.getvalue())
    assert [r["key"] for r in listed] == [added["key"]]
    assert "token" not in listed[0] and added["token"] not in out.getvalue()
    call_command("token", "revoke", added["key"], stdout=io.StringIO())
    assert tokens.authenticate(added["token"]) is None
    with pytest.raises(CommandError, match="已吊销"):
        call_command("token", "revoke", added["key"], stdout=io.StringIO())
    with pytest.raises(CommandError, match="未找到令牌"):
        call_command("token", "revoke", "fz_0000000000", stdout=io.StringIO())
    with pytest.raises(CommandError, match="未找到单位代码"):
        call_command("token", "add", "--unit", "ZZ", "--name", "x", stdout=io.StringIO())
    assert AuditEvent.objects.filter(code="api.token.revoked", actor="系统").count() == 1
