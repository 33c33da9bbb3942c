"""The password rules and every message they and the change form give: Chinese, no English
word (the cause of the English ones: Django 5.2's minimum-length msgid is missing from its
zh-hans catalogue; validators.py words them itself)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import (
    get_default_password_validators,
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from conftest import PASSWORD
from fazhi.core.accounts.forms import PasswordChangeForm
from fazhi.core.accounts.tests.conftest import ENGLISH
from fazhi.core.tenancy.actions import add_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[4]


def person() -> Any:
    return get_user_model()(username="zhangwei", first_name="张伟")


# password -> the code of the rule it breaks and a word of the message
REFUSED = [
    ("Ab3$xyz", "password_too_short", "至少需要8个字符"),
    ("", "password_too_short", "至少需要8个字符"),
    ("20261125", "password_entirely_numeric", "不能全是数字"),
    ("39184726501", "password_entirely_numeric", "不能全是数字"),
    ("zhangwei1", "password_too_similar", "用户名或姓名"),
    ("Zhangwei", "password_too_similar", "用户名或姓名"),
    ("张伟张伟张伟张伟", "password_too_similar", "用户名或姓名"),
    ("river-zhangwei-gate-2026", "password_too_similar", "用户名或姓名"),
    ("东湖张伟-2026-台账", "password_too_similar", "用户名或姓名"),
    ("password", "password_too_common", "过于常见"),
    ("woaini1314", "password_too_common", "过于常见"),
    ("qq123456", "password_too_common", "过于常见"),
    ("1qaz2wsx", "password_too_common", "过于常见"),
    ("12345678", "password_too_common", "过于常见"),
]
ACCEPTED = [
    "东湖-台账-2026",
    "zhang-river-2026",
    "Qingshui-河畔-2026!",
    "k7m-river-gate",
    "cast-password-2026",
]


@pytest.mark.parametrize(("password", "code", "words"), REFUSED)
def test_each_rule_refuses_in_chinese(password: str, code: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_password(password, person())
    assert code in {e.code for e in caught.value.error_list}
    assert any(words in m for m in caught.value.messages), caught.value.messages
    for message in caught.value.messages:
        assert not ENGLISH.search(message), message


@pytest.mark.parametrize("password", ACCEPTED)
def test_good_passwords_pass(password: str) -> None:
    validate_password(password, person())


def test_every_validator_message_and_help_text_is_chinese() -> None:
    validators = get_default_password_validators()
    assert {type(v).__name__ for v in validators} == {
        "MinimumLengthValidator",
        "NumericPasswordValidator",
        "UserAttributeSimilarityValidator",
        "CommonPasswordValidator",
    }
    for v in validators:
        assert type(v).__module__ == "fazhi.core.accounts.validators", v
        for text in (v.get_error_message(), v.get_help_text()):
            assert text and not ENGLISH.search(text), text
    assert all(not ENGLISH.search(t) for t in password_validators_help_texts())


def test_the_minimum_length_is_the_setting(settings: Any) -> None:
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "fazhi.core.accounts.validators.MinimumLengthValidator",
            "OPTIONS": {"min_length": 12},
        }
    ]
    with pytest.raises(ValidationError, match="至少需要12个字符"):
        validate_password("东湖-台账-2026x", person())  # 11 characters
    validate_password("东湖-台账-2026xy", person())


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "8 30"),
        ({"FAZHI_PASSWORD_MIN_LENGTH": "12", "FAZHI_SESSION_IDLE_MINUTES": "15"}, "12 15"),
        ({"FAZHI_PASSWORD_MIN_LENGTH": "6"}, "FAZHI_PASSWORD_MIN_LENGTH must be at least 8"),
        ({"FAZHI_SESSION_IDLE_MINUTES": "0"}, "FAZHI_SESSION_IDLE_MINUTES must be at least 1"),
    ],
)
def test_settings_from_the_environment(env: dict[str, str], expected: str) -> None:
    code = (
        "from fazhi import settings as s;"
        "print(s.FAZHI_PASSWORD_MIN_LENGTH, s.FAZHI_SESSION_IDLE_MINUTES,"
        " s.AUTH_PASSWORD_VALIDATORS[0]['OPTIONS']['min_length'])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if "must be" in expected:
        assert done.returncode != 0 and expected in done.stderr
    else:
        length, idle = expected.split()
        assert done.stdout.split() == [length, idle, length], done.stderr


def change_form(user: Any, **data: str) -> PasswordChangeForm:
    form = PasswordChangeForm(user, data)
    form.is_valid()
    return form


FORM_CASES = [
    ({}, {"old_password": "请输入原密码", "new_password1": "请输入新密码"}),
    (
        {
            "old_password": "wrong",
            "new_password1": "东湖-台账-2026",
            "new_password2": "东湖-台账-2026",
        },
        {"old_password": "原密码不正确"},
    ),
    (
        {
            "old_password": PASSWORD,
            "new_password1": "东湖-台账-2026",
            "new_password2": "东湖-台账-2027",
        },
        {"new_password2": "两次输入的新密码不一致"},
    ),
    (
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
        {"new_password1": "不能与原密码相同"},
    ),
    (
        {"old_password": PASSWORD, "new_password1": "1234", "new_password2": "1234"},
        {"new_password1": "至少需要8个字符"},
    ),
]


@pytest.mark.parametrize(("data", "errors"), FORM_CASES)
def test_every_change_form_error_is_chinese(
    cast: Any, data: dict[str, str], errors: dict[str, str]
) -> None:
    form = change_form(cast.a_clerk, **data)
    assert not form.is_valid()
    for field, words in errors.items():
        assert any(words in m for m in form.errors[field]), form.errors
    for messages in form.errors.values():
        for message in messages:
            assert not ENGLISH.search(message), message
    for field in form:
        assert not ENGLISH.search(str(field.label) + str(field.help_text)), field.name


def test_a_short_all_digit_password_gets_both_reasons(cast: Any) -> None:
    form = change_form(
        cast.a_clerk, old_password=PASSWORD, new_password1="3918", new_password2="3918"
    )
    assert len(form.errors["new_password1"]) == 2


def test_add_user_applies_the_same_rules_in_chinese(cast: Any) -> None:
    with pytest.raises(ValueError, match="密码不符合要求") as caught:
        add_user(username="a_new", unit=cast.street_a, role="clerk", password="a_new1", by=None)
    message = str(caught.value)
    assert "至少需要8个字符" in message and "用户名或姓名" in message
    assert not ENGLISH.search(message.replace("a_new", "")), message
    assert not get_user_model().objects.filter(username="a_new").exists()


def test_the_user_command_refuses_in_chinese(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("1234567\n"))
    with pytest.raises(CommandError) as caught:
        call_command(
            "user",
            "add",
            "--username",
            "weak",
            "--unit",
            "A1",
            "--role",
            "clerk",
            stdout=io.StringIO(),
        )
    assert "至少需要8个字符" in str(caught.value) and "不能全是数字" in str(caught.value)
    assert not ENGLISH.search(str(caught.value)), caught.value


@pytest.mark.parametrize("blank", [" " * 8, " " * 12, "\t" * 9, "  ab  cd  "])
def test_blanks_do_not_count_towards_the_length(blank: str) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="空格不计"):
        validate_password(blank)
