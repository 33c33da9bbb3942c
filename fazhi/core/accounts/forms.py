from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from fazhi.core.accounts.actions import AccountError, check_new_password


class PasswordChangeForm(forms.Form):
    """Old password, new password, new again. Every message is ours, in Chinese; the rules are
    AUTH_PASSWORD_VALIDATORS (the same ones `add_user` applies)."""

    old_password = forms.CharField(
        label="原密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": "请输入原密码。"},
    )
    new_password1 = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请输入新密码。"},
    )
    new_password2 = forms.CharField(
        label="再次输入新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请再次输入新密码。"},
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Built per form, so that the help text follows the validators in force.
        rules = "；".join(
            str(t).rstrip("。") for t in password_validation.password_validators_help_texts()
        )
        self.fields["new_password1"].help_text = f"要求：{rules}。" if rules else ""
        self.fields["new_password2"].help_text = "请再输入一遍新密码，以免输错。"

    def clean_old_password(self) -> str:
        old: str = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise forms.ValidationError("原密码不正确，请重新输入。", code="password_incorrect")
        return old

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new1, new2 = data.get("new_password1"), data.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", "两次输入的新密码不一致。")
        elif new1 and new2:
            try:
                check_new_password(self.user, new1)
            except AccountError as exc:
                for message in exc.messages_list:
                    self.add_error("new_password1", message)
        return data
