"""Checks on a matter's own fields, shared by the form, the actions, corrections and the import."""

from __future__ import annotations

from typing import Any

from fazhi.core.workflow import ActionError
from fazhi.ledgers.petitions.models import Category, Form, Source, Stage


def validate(fields: dict[str, Any]) -> None:
    choices = {
        "form": (Form, "请选择信访形式（来信、来访、网上信访、电话、其他）"),
        "source": (Source, "请选择来源"),
        "category": (Category, "请选择信访类型（建议意见、检举控告、申诉求决）"),
        "stage": (Stage, "事项类别无效"),
    }
    for name, (enum, message) in choices.items():
        value = fields.get(name, Stage.INITIAL if name == "stage" else None)
        if value not in enum.values:
            raise ActionError(message, field=name)
    if not str(fields.get("content") or "").strip():
        raise ActionError("请填写信访人的诉求内容", field="content")
    if (
        fields.get("stage", Stage.INITIAL) != Stage.INITIAL
        and not str(fields.get("original") or "").strip()
    ):
        raise ActionError("复查、复核事项请写明原办理单位及其答复（或复查意见）", field="original")


# What a step's texts may hold, in the form, the action and the import alike.
BODY_MAX_LENGTH = 200  # the body a matter is transferred, assigned or sent to
BASIS_MAX_LENGTH = 2000  # the legal basis of a 处理意见书

MAX_VISITORS = 100_000


def check_visit(visitors: int, representatives: int) -> None:
    """Art. 20: many people raising one matter in person choose at most 5 representatives."""
    if visitors < 1:
        raise ActionError("来访人数至少为1人", field="visitors")
    if visitors > MAX_VISITORS:
        raise ActionError(f"来访人数超出范围（最多{MAX_VISITORS}人）", field="visitors")
    if representatives < 1:
        raise ActionError("代表人数至少为1人", field="representatives")
    if representatives > 5:
        raise ActionError(
            "多人走访提出同一信访事项的，推选的代表不超过5人（条例第二十条）",
            field="representatives",
        )
    if representatives > visitors:
        raise ActionError("代表人数不能多于来访人数", field="representatives")
