"""Sign-in locks, the own password, an admin's reset. Each view parses, goes through a door,
calls one action, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fazhi.core.accounts import actions
from fazhi.core.accounts.forms import PasswordChangeForm
from fazhi.core.accounts.locks import (
    get_lock_for_admin_or_404,
    installation_wide,
    locks_visible_to,
)
from fazhi.core.tenancy.access import get_managed_user_or_404, managed_unit_ids
from fazhi.core.tenancy.names import display_name
from fazhi.core.web import signin


def _require_admin(request: HttpRequest) -> None:
    if not managed_unit_ids(request.user):
        raise Http404("未找到该页面")


@login_required
def locks(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    context = {"locks": locks_visible_to(request.user), "wide": installation_wide(request.user)}
    return render(request, "accounts/locks.html", context)


@login_required
@require_POST
def lock_lift(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    lock = get_lock_for_admin_or_404(
        request.user,
        kind=request.POST.get("kind", ""),
        username=request.POST.get("username", ""),
        address=request.POST.get("address", ""),
    )
    actions.lift_lock(lock=lock, by=request.user)
    if lock.username:
        done = f"已解除账号 {lock.username} 在地址 {lock.address} 的登录锁定。"
    else:
        done = f"已解除地址 {lock.address} 的登录暂停，该地址的全部账号可以再次登录。"
    messages.success(request, done)
    return redirect("accounts:locks")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user: Any = request.user  # signed in (login_required)
    profile = getattr(user, "profile", None)
    context: dict[str, object] = {
        "directory": not user.has_usable_password(),
        "must_change": bool(profile is not None and profile.must_change_password),
    }
    form = PasswordChangeForm(user, request.POST if request.method == "POST" else None)
    valid = request.method == "POST" and not context["directory"] and form.is_valid()
    if not context["directory"] and form.has_error("old_password", "password_incorrect"):
        locked = signin.wrong_password(request, user.get_username())
        if locked is not None:
            return locked
    if valid:
        try:
            actions.change_password(
                user=user, new_password=form.cleaned_data["new_password1"], by=user
            )
        except actions.AccountError as exc:
            form.add_error(None, str(exc))
        else:
            update_session_auth_hash(request, user)  # keep this session, end the others
            messages.success(request, "密码已修改。其他设备上的登录已退出。")
            return redirect("web:home")
    context["form"] = form
    return render(request, "accounts/password.html", context)


@login_required
def password_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    target = get_managed_user_or_404(request.user, user_id)
    context: dict[str, object] = {
        "target": target,
        "name": display_name(target),
        "directory": not target.has_usable_password(),
    }
    if request.method == "POST":
        try:
            password = actions.reset_password(
                user=target, by=request.user, seen_state=request.POST.get("state", "")
            )
        except actions.AccountError as exc:
            context["error"] = str(exc)
            target.refresh_from_db(fields=["password"])  # a fresh page for the password now
        else:
            return render(request, "accounts/reset_done.html", {**context, "password": password})
    context["state"] = actions.password_state(target)
    return render(request, "accounts/reset.html", context)
