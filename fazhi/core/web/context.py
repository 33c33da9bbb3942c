from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.names import display_name
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.registry import ledgers


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = access_for(user)
    return {
        "nav": _nav_urls(get_script_prefix(), get_urlconf()),
        "user_display_name": display_name(user),
        "nav_can_manage": access.can_anywhere(Permission.MANAGE),
        "nav_can_review": access.can_anywhere(Permission.REVIEW_REPORTS),
        "nav_can_audit": access.can_anywhere(Permission.AUDIT),
        "nav_can_submit": access.can_anywhere(Permission.EDIT_REPORT),
    }


# The header's links, the same on every page: reversed once per process (and URL prefix and
# configuration), not on every page (26 reverse() calls were a millisecond of each page).
NAV = (
    "web:home",
    "web:dashboard",
    "web:reports",
    "letters:index",
    "submissions:own",
    "submissions:inbox",
    "web:review",
    "web:calendar",
    "web:manage_users",
    "accounts:locks",
    "web:audit",
    "logout",
    "accounts:password",
)


@cache
def _nav_urls(prefix: str, urlconf: Any) -> dict[str, Any]:
    urls: dict[str, Any] = {name.replace(":", "_"): reverse(name) for name in NAV}
    urls["ledgers"] = [(ui.name, reverse("web:list", args=[ui.slug])) for ui in ledgers()]
    return urls
