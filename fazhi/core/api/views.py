"""接口令牌: the admin's page for API tokens (issue, list, revoke), beside 单位 and 用户.

Through the door for administration like the other manage pages: an admin sees and revokes the
tokens of the units it manages; anything else answers 404. A new token is shown once, on the
response to the form that issued it (pages are never cached: no-store)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fazhi.core.api import tokens
from fazhi.core.api.models import Scope
from fazhi.core.web.forms import date_field
from fazhi.core.web.manage_views import UnitChoiceForm, _attempt, _managed_units, _picked, _run


class TokenAddForm(UnitChoiceForm):
    name = forms.CharField(
        label="名称", max_length=100, help_text="对接的平台或用途，如「区12345平台推送」"
    )
    unit = forms.ChoiceField(label="所属单位", help_text="令牌可访问该单位及其下级单位的记录")
    scope = forms.ChoiceField(label="权限", choices=Scope.choices)
    expires_on = date_field(
        "有效期至", required=False, help_text="留空为长期有效；格式：2027-12-31"
    )


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    units = _managed_units(request)
    add_form = TokenAddForm(units=units, prefix="add")
    if request.method == "POST":
        add_form = TokenAddForm(request.POST, units=units, prefix="add")

        def add(data: dict[str, Any]) -> HttpResponse:
            issued = tokens.issue_token(
                unit=_picked(units, data["unit"]),
                name=data["name"],
                scope=data["scope"],
                expires_on=data["expires_on"],
                by=request.user,
            )
            return render(request, "api/token_issued.html", {"issued": issued})

        done = _run(request, add_form, add)
        if done:
            return done
    rows = tokens.managed_tokens(request.user).order_by("revoked_at", "-created_at", "-id")
    return render(request, "api/tokens.html", {"tokens": rows, "add_form": add_form})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _managed_units(request)
    token = tokens.get_managed_token_or_404(request.user, pk)
    _attempt(
        request,
        lambda: tokens.revoke_token(token=token, by=request.user),
        f"已吊销令牌「{token.name}」（{token.key}），使用它的请求将被拒绝",
    )
    return redirect("tokens:list")
