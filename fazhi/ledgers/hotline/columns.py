"""fazhi's own fields of a work order file, with their Chinese headers (a file whose headers are
these labels needs no mapping)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str  # text | multiline | datetime | choice | unit | int | bool
    required: bool = False
    max_length: int = 0
    help: str = ""


FIELDS: tuple[Field, ...] = (
    Field("number", "工单编号", "text", True, 64),
    Field("called_at", "来电时间", "datetime", True, help="如 2026-03-01 09:30"),
    Field("phone", "来电号码", "text", False, 32),
    Field("requester", "诉求人", "text", False, 100),
    Field("address", "地址", "text", False, 200),
    Field("category", "诉求类型", "choice", True, help="咨询、求助、投诉、举报、建议、表扬"),
    Field("urgency", "紧急程度", "choice", False, help="紧急、一般（空白为一般）"),
    Field("content", "诉求内容", "multiline", True, 5000),
    Field("dispatched_at", "派单时间", "datetime"),
    Field("handler", "承办单位", "unit", True, 100, help="本单位或下级单位的名称或代码"),
    Field("time_limit", "办理时限", "datetime", help="空白时按时限设置计算"),
    Field("feedback_at", "反馈时间", "datetime"),
    Field("closed_at", "办结时间", "datetime"),
    Field("result", "办理结果", "multiline", False, 5000),
    Field("visit_result", "回访结果", "choice", help="满意、基本满意、不满意、未回访"),
    Field("returns", "退单次数", "int"),
    Field("redispatches", "重派次数", "int"),
    Field("supervised", "督办", "bool", help="是/否"),
)
BY_KEY = {f.key: f for f in FIELDS}
REQUIRED = tuple(f.key for f in FIELDS if f.required)


def normalise_header(text: str) -> str:
    """As core.imports matches headers: NFKC, no whitespace, no */（选填）/（必填） marks."""
    text = "".join(unicodedata.normalize("NFKC", str(text)).split()).lstrip("\ufeff")
    text = text.strip("*")
    for mark in ("(选填)", "(必填)"):
        text = text.removesuffix(mark)
    return text


def own_mapping() -> dict[str, str]:
    return {f.key: f.label for f in FIELDS}
