"""Adding units, users and memberships (used by commands, the demo seed and admins)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fazhi.core.audit.models import record_event
from fazhi.core.tenancy.access import managed_unit_ids, managed_users
from fazhi.core.tenancy.models import Membership, OrgUnit, UnitKind, UserProfile
from fazhi.core.tenancy.roles import get_role
from fazhi.textclean import strip_controls

UNIT_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def add_unit(*, code: str, name: str, kind: str, parent: OrgUnit | None, by: Any) -> OrgUnit:
    code, name = code.strip(), strip_controls(name).strip()
    if not code or not name:
        raise ValueError("单位代码和名称不能为空")
    if not UNIT_CODE_RE.fullmatch(code):
        raise ValueError("单位代码须为1至64个字母、数字、- 或 _（建立后不能修改）")
    if len(name) > 100:
        raise ValueError("单位名称不能超过100个字")
    if kind not in UnitKind.values:
        raise ValueError(f"单位类型无效：{kind}")
    if by is not None and not getattr(by, "is_superuser", False):
        if parent is None:
            raise ValueError("请选择上级单位")
        _check_managed(by, parent)
    if parent is not None and not _active(parent):
        raise ValueError(f"「{parent.name}」已停用，不能添加下级单位")
    if OrgUnit.objects.filter(code__iexact=code).exists():
        raise ValueError(f"单位代码「{code}」已存在")
    try:
        with transaction.atomic():
            unit = _create_unit(code, name, kind, parent, by)
    except IntegrityError:  # the same code added at the same moment (a double click)
        raise ValueError(f"单位代码「{code}」已存在") from None
    return unit


def _create_unit(code: str, name: str, kind: str, parent: OrgUnit | None, by: Any) -> OrgUnit:
    unit = OrgUnit.objects.create(code=code, name=name, kind=kind, parent=parent)
    record_event(
        "tenancy.unit.added",
        by=by,
        unit_code=code,
        object_type="unit",
        object_id=code,
        data={"name": name, "kind": kind, "parent": parent.code if parent else None},
    )
    return unit


def add_user(
    *,
    username: str,
    unit: OrgUnit,
    role: str,
    password: str,
    by: Any,
    name: str = "",
    check_password: bool = True,
) -> Any:
    try:
        get_role(role)
    except KeyError as exc:
        raise ValueError(str(exc.args[0])) from exc
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model(username=username, first_name=name[:150])
            if check_password:
                try:
                    validate_password(password, user)
                except ValidationError as exc:
                    raise ValueError("密码不符合要求：" + "；".join(exc.messages)) from exc
            user.set_password(password)
            user.save()
            UserProfile.objects.create(user=user, unit=unit)
        else:
            UserProfile.objects.get_or_create(user=user, defaults={"unit": unit})
        if Membership.objects.filter(user=user, unit=unit, role=role).exists():
            raise ValueError(f"用户 {username} 已是 {unit.name} 的{get_role(role).name}")
        Membership.objects.create(user=user, unit=unit, role=role)
        record_event(
            "tenancy.membership.added",
            by=by,
            unit_code=unit.code,
            object_type="user",
            object_id=username,
            data={"role": role},
        )
    return user


# --- Administration (the web's 单位与用户 pages; every change is audited) -------------------------

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@+-]{2,150}$")


def _check_managed(admin: Any, unit: OrgUnit) -> None:
    """An admin acts only inside its own subtree; elsewhere the unit answers as missing."""
    if admin is not None and unit.pk not in managed_unit_ids(admin):
        raise ValueError("未找到该单位")


def _active(unit: OrgUnit) -> bool:
    """Read from the database: the caller's object may predate a deactivation."""
    return OrgUnit.objects.filter(pk=unit.pk, active=True).exists()


def _locked_unit(unit: OrgUnit) -> OrgUnit:
    return OrgUnit.objects.select_for_update().get(pk=unit.pk)


def rename_unit(*, unit: OrgUnit, name: str, by: Any) -> OrgUnit:
    name = strip_controls(name).strip()
    if not name:
        raise ValueError("单位名称不能为空")
    if len(name) > 100:
        raise ValueError("单位名称不能超过100个字")
    _check_managed(by, unit)
    with transaction.atomic():
        unit = _locked_unit(unit)
        old = unit.name
        if old == name:
            return unit
        unit.name = name
        unit.save(update_fields=["name"])
        record_event(
            "tenancy.unit.renamed",
            by=by,
            unit_code=unit.code,
            object_type="unit",
            object_id=unit.code,
            data={"from": old, "to": name},
        )
    return unit


def move_unit(*, unit: OrgUnit, parent: OrgUnit, by: Any) -> OrgUnit:
    """Put a unit (and everything below it) under another parent. Codes and records stay."""
    _check_managed(by, unit)
    _check_managed(by, parent)
    with transaction.atomic():
        unit, parent = _locked_unit(unit), _locked_unit(parent)
        if unit.parent_id is None:
            raise ValueError("最上级单位不能移动")
        if by is not None and not managed_unit_ids(by) >= {unit.parent_id}:
            raise ValueError("不能移动您所管理的最上级单位")
        if parent.path.startswith(unit.path):
            raise ValueError(f"不能把「{unit.name}」移到它自己或它的下级单位之下")
        if not parent.active:
            raise ValueError(f"「{parent.name}」已停用，不能作为上级单位")
        if unit.parent_id == parent.pk:
            return unit
        old_parent = unit.parent
        old_path = unit.path
        new_path = f"{parent.path}{unit.pk}/"
        below = list(
            OrgUnit.objects.select_for_update()
            .filter(path__startswith=old_path)
            .exclude(pk=unit.pk)
            .order_by("path")
        )
        if len(new_path) + max((len(u.path) - len(old_path) for u in below), default=0) > 255:
            raise ValueError("单位层级过深，不能移动")
        OrgUnit.objects.filter(pk=unit.pk).update(parent=parent, path=new_path)
        for u in below:
            u.path = new_path + u.path[len(old_path) :]
        OrgUnit.objects.bulk_update(below, ["path"])
        record_event(
            "tenancy.unit.moved",
            by=by,
            unit_code=unit.code,
            object_type="unit",
            object_id=unit.code,
            data={"from": old_parent.code if old_parent else None, "to": parent.code},
        )
        unit.refresh_from_db()
    return unit


def set_unit_active(*, unit: OrgUnit, active: bool, by: Any) -> OrgUnit:
    """Deactivate (停用) or re-enable a unit. Its records, users' history and code stay."""
    _check_managed(by, unit)
    with transaction.atomic():
        unit = _locked_unit(unit)
        if unit.active == active:
            return unit
        if not active:
            if by is not None and unit.pk in {
                m.unit_id for m in Membership.objects.filter(user_id=by.pk, role="admin")
            }:
                raise ValueError("不能停用您担任管理员的单位")
            live_children = OrgUnit.objects.filter(parent=unit, active=True).count()
            if live_children:
                raise ValueError(
                    f"「{unit.name}」下还有{live_children}个启用的下级单位，请先停用或移走"
                )
            live_users = UserProfile.objects.filter(unit=unit, user__is_active=True).count()
            if live_users:
                raise ValueError(f"「{unit.name}」还有{live_users}名启用的用户，请先停用或调出")
        elif unit.parent is not None and not unit.parent.active:
            raise ValueError(f"上级单位「{unit.parent.name}」已停用，请先启用上级单位")
        unit.active = active
        unit.save(update_fields=["active"])
        record_event(
            "tenancy.unit.activated" if active else "tenancy.unit.deactivated",
            by=by,
            unit_code=unit.code,
            object_type="unit",
            object_id=unit.code,
        )
    return unit


def create_account(
    *, username: str, name: str, unit: OrgUnit, role: str, by: Any
) -> tuple[Any, str]:
    """A new account with its first role and a one-time password it must change at sign-in."""
    username, name = username.strip(), strip_controls(name).strip()
    if not USERNAME_RE.fullmatch(username):
        raise ValueError("登录名须为2至150个字母、数字或 _ . @ + - 字符")
    if not name:
        raise ValueError("请填写姓名")
    if len(name) > 150:
        raise ValueError("姓名不能超过150个字")
    _check_managed(by, unit)
    if not _active(unit):
        raise ValueError(f"「{unit.name}」已停用，不能添加用户")
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise ValueError(f"登录名「{username}」已被使用")
    from fazhi.core.accounts.actions import one_time_password

    with transaction.atomic():
        user = add_user(
            username=username,
            unit=unit,
            role=role,
            password="",
            name=name,
            by=by,
            check_password=False,
        )
        password = one_time_password(user)
        user.set_password(password)
        user.save(update_fields=["password"])
        UserProfile.objects.filter(user=user).update(must_change_password=True)
        record_event(
            "tenancy.user.created",
            by=by,
            unit_code=unit.code,
            object_type="user",
            object_id=username,
            data={"name": name, "role": role},
        )
    return user, password


def _account_unit(user: Any) -> OrgUnit | None:
    profile = UserProfile.objects.filter(user=user).select_related("unit").first()
    return profile.unit if profile else None


def _check_account(admin: Any, user: Any) -> OrgUnit | None:
    """The account must be behind the admin's door (`managed_users`): its 所属单位 and every
    role it holds inside the admin's subtree."""
    unit = _account_unit(user)
    if admin is not None and not managed_users(admin).filter(pk=user.pk).exists():
        raise ValueError("未找到该用户")
    return unit


def rename_account(*, user: Any, name: str, by: Any) -> Any:
    name = strip_controls(name).strip()
    if not name:
        raise ValueError("请填写姓名")
    if len(name) > 150:
        raise ValueError("姓名不能超过150个字")
    unit = _check_account(by, user)
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        old = user.first_name
        if old == name:
            return user
        user.first_name = name
        user.save(update_fields=["first_name"])
        record_event(
            "tenancy.user.renamed",
            by=by,
            unit_code=unit.code if unit else "",
            object_type="user",
            object_id=user.get_username(),
            data={"from": old, "to": name},
        )
    return user


def move_account(*, user: Any, unit: OrgUnit, by: Any) -> Any:
    """Change the account's 所属单位 (which admins manage it). Its roles are not touched."""
    old = _check_account(by, user)
    _check_managed(by, unit)
    if not _active(unit):
        raise ValueError(f"「{unit.name}」已停用")
    with transaction.atomic():
        profile = UserProfile.objects.select_for_update().get(user=user)
        if profile.unit_id == unit.pk:
            return user
        profile.unit = unit
        profile.save(update_fields=["unit"])
        record_event(
            "tenancy.user.moved",
            by=by,
            unit_code=unit.code,
            object_type="user",
            object_id=user.get_username(),
            data={"from": old.code if old else None, "to": unit.code},
        )
    return user


def grant_role(*, user: Any, unit: OrgUnit, role: str, by: Any) -> Membership:
    _check_account(by, user)
    _check_managed(by, unit)
    if not _active(unit):
        raise ValueError(f"「{unit.name}」已停用，不能授予角色")
    if not user.is_active:
        raise ValueError("该用户已停用，请先启用")
    with transaction.atomic():
        add_user(
            username=user.get_username(),
            unit=unit,
            role=role,
            password="",
            by=by,
            check_password=False,
        )
    return Membership.objects.get(user=user, unit=unit, role=role)


def revoke_role(*, membership: Membership, by: Any) -> None:
    _check_account(by, membership.user)
    _check_managed(by, membership.unit)
    if by is not None and membership.user_id == by.pk and get_role(membership.role).code == "admin":
        raise ValueError("不能撤销自己的管理员角色")
    with transaction.atomic():
        deleted, _ = Membership.objects.filter(pk=membership.pk).delete()
        if not deleted:
            raise ValueError("该角色已被撤销")
        record_event(
            "tenancy.membership.removed",
            by=by,
            unit_code=membership.unit.code,
            object_type="user",
            object_id=membership.user.get_username(),
            data={"role": membership.role},
        )


def set_account_active(*, user: Any, active: bool, by: Any) -> Any:
    """停用 (never delete: the audit and the records name the person) or re-enable an account.
    A deactivated account cannot sign in and its open sessions end."""
    unit = _check_account(by, user)
    if by is not None and user.pk == by.pk:
        raise ValueError("不能停用自己的账号")
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if user.is_active == active:
            return user
        if active and unit is not None and not unit.active:
            raise ValueError(f"所属单位「{unit.name}」已停用，请先调到启用的单位")
        user.is_active = active
        user.save(update_fields=["is_active"])
        record_event(
            "tenancy.user.activated" if active else "tenancy.user.deactivated",
            by=by,
            unit_code=unit.code if unit else "",
            object_type="user",
            object_id=user.get_username(),
        )
    # A deactivated account's sessions end by themselves: Django's backend no longer returns
    # an inactive user for them.
    return user
