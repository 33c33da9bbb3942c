"""How a person is named on screen, in documents and exports: the real name, else the login."""

from __future__ import annotations

from typing import Any


def display_name(user: Any) -> str:
    """姓名 when one is recorded (Django's `first_name`), the login name otherwise; "" for none."""
    if user is None or getattr(user, "pk", None) is None:
        return ""
    return str(user.get_full_name() or user.get_username())
