from __future__ import annotations

from typing import Any

from django.http import HttpRequest

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
        "nav_ledgers": ledgers(),
        "user_display_name": display_name(user),
        "nav_can_manage": access.can_anywhere(Permission.MANAGE),
        "nav_can_review": access.can_anywhere(Permission.REVIEW_REPORTS),
        "nav_can_audit": access.can_anywhere(Permission.AUDIT),
        "nav_can_submit": access.can_anywhere(Permission.EDIT_REPORT),
    }
