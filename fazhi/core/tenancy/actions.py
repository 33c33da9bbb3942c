"""Adding units, users and memberships (used by commands, the demo seed and admins)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core.audit.models import record_event
from fazhi.core.tenancy.models import Membership, OrgUnit, UnitKind, UserProfile
from fazhi.core.tenancy.roles import get_role


def add_unit(*, code: str, name: str, kind: str, parent: OrgUnit | None, by: Any) -> OrgUnit:
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise ValueError("单位代码和名称不能为空")
    if kind not in UnitKind.values:
        raise ValueError(f"单位类型无效：{kind}")
    if OrgUnit.objects.filter(code=code).exists():
        raise ValueError(f"单位代码「{code}」已存在")
    with transaction.atomic():
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
