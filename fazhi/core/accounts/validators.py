"""Password rules, each Django's own validator with fazhi's Chinese wording.

Why not Django's messages: its zh-hans catalogue lags behind its code. Django 5.2 changed the
minimum-length message to a new msgid that the catalogue does not have, so it came out in
English everywhere (the web, `fazhi user add`, `add_user`). Our wording is ours, whatever the
catalogue holds; the rules themselves stay Django's.
"""

from __future__ import annotations

from django.contrib.auth import password_validation as django_rules


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短，至少需要{self.min_length}个字符。"

    def get_help_text(self) -> str:
        return f"至少{self.min_length}个字符。"


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "密码不能全是数字，请加入字母或符号。"

    def get_help_text(self) -> str:
        return "不能全是数字。"


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "该密码过于常见（如 123456、password、woaini1314），容易被猜中，请换一个。"

    def get_help_text(self) -> str:
        return "不能是常见密码。"


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    """Compared with the login name and the real name (姓名 is `first_name`), among others."""

    def get_error_message(self) -> str:
        # Django fills %(verbose_name)s with the field's name; ours names them all at once.
        return "密码与用户名或姓名过于相似，容易被猜中，请换一个。"

    def get_help_text(self) -> str:
        return "不能与用户名、姓名相似。"
