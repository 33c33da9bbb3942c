"""Password rules, each Django's own validator with fazhi's Chinese wording.

Why not Django's messages: its zh-hans catalogue lags behind its code. Django 5.2 changed the
minimum-length message to a new msgid that the catalogue does not have, so it came out in
English everywhere (the web, `fazhi user add`, `add_user`). Our wording is ours, whatever the
catalogue holds; the rules themselves stay Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation as django_rules
from django.core.exceptions import ValidationError


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    """Counts what is not blank: eight spaces are no password."""

    def validate(self, password: str, user: Any = None) -> None:
        if len("".join(password.split())) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self) -> str:
        return f"密码太短，至少需要{self.min_length}个字符（空格不计）。"

    def get_help_text(self) -> str:
        return f"至少{self.min_length}个字符。"


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "密码不能全是数字，请加入字母或符号。"

    def get_help_text(self) -> str:
        return "不能全是数字。"


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "该密码过于常见，容易被猜中，请换一个。"

    def get_help_text(self) -> str:
        return "不能是常见密码。"


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    """Compared with the login name and the real name (姓名 is `first_name`), among others.

    Django's measure is a ratio of shared characters, which a two-character Chinese name
    repeated, or a login name inside a long password, passes: a password that contains the
    login name (3 characters or more) or the real name (2 or more) is refused as well."""

    def validate(self, password: str, user: Any = None) -> None:
        super().validate(password, user)
        if user is None:
            return
        lowered = password.lower()
        for attribute, shortest in (("username", 3), ("first_name", 2)):
            value = str(getattr(user, attribute, "") or "").strip().lower()
            if len(value) >= shortest and value in lowered:
                raise ValidationError(self.get_error_message(), code="password_too_similar")

    def get_error_message(self) -> str:
        # Django fills %(verbose_name)s with the field's name; ours names them all at once.
        return "密码与用户名或姓名过于相似，容易被猜中，请换一个。"

    def get_help_text(self) -> str:
        return "不能与用户名、姓名相似。"
