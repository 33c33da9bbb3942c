"""单位与用户: the admin's pages for units, accounts and roles (issue 8, item 3).

Everything goes through the door for administration: an admin sees and changes only the units
it manages (its unit and everything below: `managed_unit_ids`) and the accounts whose 所属单位 is
one of them (`managed_users`); anything else answers 404 like a missing page. Every change is an
action of `fazhi.core.tenancy.actions`, which writes its audit event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.core.directory.models import directory_account_of, directory_grants_of
from fazhi.core.tenancy import actions
from fazhi.core.tenancy.access import (
    get_managed_user_or_404,
    managed_memberships,
    managed_unit_ids,
    managed_units,
    managed_users,
)
from fazhi.core.tenancy.models import OrgUnit, UnitKind
from fazhi.core.tenancy.names import display_name
from fazhi.core.tenancy.roles import PERMISSION_LABELS, ROLE_CHOICES, ROLES, Permission
from fazhi.core.web.forms import FazhiForm
from fazhi.core.web.registry import ledgers
from fazhi.core.web.views import query_param

PAGE_SIZE = 50


def _managed_units(request: HttpRequest) -> list[OrgUnit]:
    ids = managed_unit_ids(request.user)
    if not ids:
        raise Http404("未找到该页面")
    return list(managed_units(request.user).select_related("parent").order_by("path"))


def _unit_or_404(units: list[OrgUnit], code: str) -> OrgUnit:
    for unit in units:
        if unit.code == code:
            return unit
    raise Http404("未找到该单位")


def _label(unit: OrgUnit, top_depth: int) -> str:
    depth = unit.path.count("/") - 2 - top_depth
    return (
        "　" * max(depth, 0) + f"{unit.name}（{unit.code}）" + ("" if unit.active else "〔已停用〕")
    )


def _unit_choices(units: list[OrgUnit], *, active_only: bool = True) -> list[tuple[str, str]]:
    top = min((u.path.count("/") - 2 for u in units), default=0)
    return [(u.code, _label(u, top)) for u in units if u.active or not active_only]


def _picked(units: list[OrgUnit], code: str) -> OrgUnit:
    for unit in units:
        if unit.code == code:
            return unit
    raise ValueError("未找到该单位")


class UnitChoiceForm(FazhiForm):
    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        for name, field in self.fields.items():
            if isinstance(field, forms.ChoiceField) and name in ("parent", "unit"):
                field.choices = [("", "——请选择——"), *_unit_choices(units)]


class UnitAddForm(UnitChoiceForm):
    parent = forms.ChoiceField(label="上级单位")
    code = forms.CharField(
        label="单位代码",
        max_length=64,
        help_text="字母、数字、- 或 _，如统一社会信用代码或行政区划代码；建立后不能修改",
    )
    name = forms.CharField(label="单位名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=UnitKind.choices)


class UnitRenameForm(FazhiForm):
    name = forms.CharField(label="单位名称", max_length=100)


class UnitMoveForm(UnitChoiceForm):
    parent = forms.ChoiceField(label="新的上级单位")


class UserAddForm(UnitChoiceForm):
    username = forms.CharField(
        label="登录名",
        max_length=150,
        help_text="字母、数字或 _ . @ + -，如 zhangsan；建立后不能修改",
    )
    name = forms.CharField(label="姓名", max_length=150)
    unit = forms.ChoiceField(label="所属单位")
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)


class UserRenameForm(FazhiForm):
    name = forms.CharField(label="姓名", max_length=150)


class UserMoveForm(UnitChoiceForm):
    unit = forms.ChoiceField(label="新的所属单位")


class GrantForm(UnitChoiceForm):
    unit = forms.ChoiceField(label="单位")
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)


def _errors(form: forms.Form) -> str:
    return "；".join(
        f"{form.fields[k].label if k in form.fields else ''}：{' '.join(map(str, v))}".lstrip("：")
        for k, v in form.errors.items()
    )


def _attempt(request: HttpRequest, do: Callable[[], object], done: str) -> bool:
    """Run one action; its refusal becomes the page's Chinese message."""
    try:
        do()
    except ValueError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, done)
    return True


def _run(request: HttpRequest, form: forms.Form, do: Any) -> HttpResponse | None:
    """Validate a posted form and run its action; a refusal becomes a Chinese message."""
    if not form.is_valid():
        messages.error(request, _errors(form))
        return None
    try:
        result: HttpResponse | None = do(form.cleaned_data)
    except ValueError as exc:
        messages.error(request, str(exc))
        return None
    return result


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    units = _managed_units(request)
    add_form = UnitAddForm(units=units, prefix="add")
    if request.method == "POST":
        add_form = UnitAddForm(request.POST, units=units, prefix="add")

        def add(data: dict[str, Any]) -> HttpResponse:
            unit = actions.add_unit(
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                parent=_picked(units, data["parent"]),
                by=request.user,
            )
            messages.success(request, f"已添加单位：{unit.name}（{unit.code}）")
            return redirect("web:manage_unit", code=unit.code)

        done = _run(request, add_form, add)
        if done:
            return done
    counts = dict(
        managed_units(request.user)
        .annotate(n=Count("people", filter=Q(people__user__is_active=True)))
        .values_list("id", "n")
    )
    top = min((u.path.count("/") - 2 for u in units), default=0)
    rows = [
        {"unit": u, "depth": u.path.count("/") - 2 - top, "people": counts.get(u.pk, 0)}
        for u in units
    ]
    return render(request, "web/manage/units.html", {"rows": rows, "add_form": add_form})


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    units = _managed_units(request)
    unit = _unit_or_404(units, code)
    rename_form = UnitRenameForm(prefix="rename", initial={"name": unit.name})
    move_form = UnitMoveForm(
        units=[u for u in units if not u.path.startswith(unit.path)],
        prefix="move",
        initial={"parent": unit.parent.code if unit.parent else ""},
    )
    if request.method == "POST":
        which = request.POST.get("form")
        done: HttpResponse | None = None
        back = redirect("web:manage_unit", code=unit.code)
        if which == "rename":
            rename_form = UnitRenameForm(request.POST, prefix="rename")

            def rename(data: dict[str, Any]) -> HttpResponse:
                actions.rename_unit(unit=unit, name=data["name"], by=request.user)
                messages.success(request, f"单位名称已改为「{data['name']}」")
                return back

            done = _run(request, rename_form, rename)
        elif which == "move":
            move_form = UnitMoveForm(request.POST, units=move_form.units, prefix="move")

            def move(data: dict[str, Any]) -> HttpResponse:
                parent = _picked(move_form.units, data["parent"])
                actions.move_unit(unit=unit, parent=parent, by=request.user)
                messages.success(request, f"已移到「{parent.name}」之下")
                return back

            done = _run(request, move_form, move)
        elif which in ("deactivate", "activate"):
            on = which == "activate"
            if _attempt(
                request,
                lambda: actions.set_unit_active(unit=unit, active=on, by=request.user),
                "已启用该单位" if on else "已停用该单位",
            ):
                return back
        else:
            messages.error(request, "无法识别的操作，请重试")
        if done:
            return done
    people = (
        managed_users(request.user).filter(profile__unit=unit).order_by("-is_active", "username")
    )
    members = managed_memberships(request.user).filter(unit=unit).order_by("role", "user__username")
    return render(
        request,
        "web/manage/unit.html",
        {
            "unit": unit,
            "rename_form": rename_form,
            "move_form": move_form,
            "people": people,
            "members": members,
            "children": [u for u in units if u.parent_id == unit.pk],
            "can_move": unit.parent_id in {u.pk for u in units},
        },
    )


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    units = _managed_units(request)
    add_form = UserAddForm(units=units, prefix="add")
    if request.method == "POST":
        add_form = UserAddForm(request.POST, units=units, prefix="add")

        def add(data: dict[str, Any]) -> HttpResponse:
            user, password = actions.create_account(
                username=data["username"],
                name=data["name"],
                unit=_picked(units, data["unit"]),
                role=data["role"],
                by=request.user,
            )
            # Shown once, on this response only (pages are never cached: no-store).
            return render(
                request,
                "accounts/reset_done.html",
                {
                    "target": user,
                    "name": display_name(user),
                    "password": password,
                    "heading": "已添加用户",
                },
            )

        done = _run(request, add_form, add)
        if done:
            return done
    qs = managed_users(request.user).order_by("-is_active", "profile__unit__path", "username")
    q = query_param(request, "q").strip()[:100]
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(first_name__icontains=q))
    unit_code = query_param(request, "unit")
    if unit_code:
        qs = qs.filter(profile__unit__code=unit_code)
    state = query_param(request, "state")
    if state in ("active", "inactive"):
        qs = qs.filter(is_active=state == "active")
    page = Paginator(qs.prefetch_related("memberships__unit"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "web/manage/users.html",
        {
            "page": page,
            "add_form": add_form,
            "q": q,
            "unit_code": unit_code,
            "state": state,
            "unit_choices": _unit_choices(units, active_only=False),
            "query": urlencode(params),
            "total": page.paginator.count,
        },
    )


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    units = _managed_units(request)
    account = get_managed_user_or_404(request.user, pk)
    rename_form = UserRenameForm(prefix="rename", initial={"name": account.first_name})
    move_form = UserMoveForm(
        units=units, prefix="move", initial={"unit": account.profile.unit.code}
    )
    grant_form = GrantForm(units=units, prefix="grant")
    if request.method == "POST":
        which = request.POST.get("form")
        done: HttpResponse | None = None
        back = redirect("web:manage_user", pk=account.pk)
        if which == "rename":
            rename_form = UserRenameForm(request.POST, prefix="rename")

            def rename(data: dict[str, Any]) -> HttpResponse:
                actions.rename_account(user=account, name=data["name"], by=request.user)
                messages.success(request, f"姓名已改为「{data['name']}」")
                return back

            done = _run(request, rename_form, rename)
        elif which == "move":
            move_form = UserMoveForm(request.POST, units=units, prefix="move")

            def move(data: dict[str, Any]) -> HttpResponse:
                unit = _picked(units, data["unit"])
                actions.move_account(user=account, unit=unit, by=request.user)
                messages.success(request, f"所属单位已改为「{unit.name}」")
                return back

            done = _run(request, move_form, move)
        elif which == "grant":
            grant_form = GrantForm(request.POST, units=units, prefix="grant")

            def grant(data: dict[str, Any]) -> HttpResponse:
                unit = _picked(units, data["unit"])
                actions.grant_role(user=account, unit=unit, role=data["role"], by=request.user)
                messages.success(request, f"已授予：{unit.name} {ROLES[data['role']].name}")
                return back

            done = _run(request, grant_form, grant)
        elif which == "revoke":
            membership = (
                managed_memberships(request.user)
                .filter(user=account, pk=_int(request.POST.get("id")))
                .first()
            )
            if membership is None:
                messages.error(request, "该角色已被撤销或不存在")
            elif membership.pk in directory_grants_of(account):
                messages.error(request, "该角色由单位目录（LDAP）的用户组授予，请在目录中调整")
            elif _attempt(
                request,
                lambda: actions.revoke_role(membership=membership, by=request.user),
                f"已撤销：{membership.unit.name} {ROLES[membership.role].name}",
            ):
                return back
        elif which in ("deactivate", "activate"):
            on = which == "activate"
            if _attempt(
                request,
                lambda: actions.set_account_active(user=account, active=on, by=request.user),
                "已启用该账号" if on else "已停用该账号",
            ):
                return back
        else:
            messages.error(request, "无法识别的操作，请重试")
        if done:
            return done
    memberships = account.memberships.select_related("unit").order_by("unit__path", "role")
    managed = {u.pk for u in units}
    # Roles the directory grants come back at the next directory sign-in: adjust them there.
    from_directory = directory_grants_of(account)
    return render(
        request,
        "web/manage/user.html",
        {
            "account": account,
            "rename_form": rename_form,
            "move_form": move_form,
            "grant_form": grant_form,
            "memberships": [
                (m, m.unit_id in managed and m.pk not in from_directory, ROLES[m.role])
                for m in memberships
            ],
            "from_directory": from_directory,
            "directory_account": directory_account_of(account),
            "is_self": account.pk == request.user.pk,
        },
    )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    """What each role may do, generated from the roles and the ledgers' moves in code."""
    _managed_units(request)
    roles = list(ROLES.values())
    permissions = [
        (p, PERMISSION_LABELS[p], [p in r.permissions for r in roles]) for p in Permission
    ]
    moves = [
        (
            ui.ledger.name,
            [
                (
                    m.label,
                    PERMISSION_LABELS[m.permission],
                    [m.permission in r.permissions for r in roles],
                )
                for m in ui.ledger.moves
            ],
        )
        for ui in ledgers()
    ]
    return render(
        request,
        "web/manage/roles.html",
        {"roles": roles, "permissions": permissions, "moves": moves},
    )
