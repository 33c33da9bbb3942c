"""Error bodies of the API: always `{"errors": [{"loc": [...], "msg": "中文"}]}`.

`loc` is where the problem is, as pydantic and django-ninja name it: `["body", "received_on"]`,
`["query", "limit"]`, `["path", "number"]`, `["header", "Authorization"]`. Pydantic's English
messages are replaced by Chinese ones by error type; a type without a translation reads
「格式不正确」 rather than leaking English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ninja import Schema


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str


class ErrorBody(Schema):
    errors: list[ErrorItem]


class ApiError(Exception):
    """A refusal with its HTTP status, answered as an error body."""

    def __init__(self, status: int, msg: str, loc: Sequence[str | int] = ()) -> None:
        super().__init__(msg)
        self.status = status
        self.items = [{"loc": list(loc), "msg": msg}]


def body(items: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    return {"errors": [{"loc": list(i["loc"]), "msg": i["msg"]} for i in items]}


DATE = "不是有效日期（应为 YYYY-MM-DD）"
DATETIME = "不是有效时间（应为 ISO 8601，如 2026-03-01T09:30:00+08:00）"
INTEGER = "应为整数"
_SIMPLE = {
    "missing": "必填",
    "json_invalid": "请求体不是有效的 JSON",
    "json_type": "请求体不是有效的 JSON",
    "string_type": "应为文本",
    "string_unicode": "应为文本",
    "string_pattern_mismatch": "格式不正确",
    "int_parsing": INTEGER,
    "int_type": INTEGER,
    "int_from_float": INTEGER,
    "int_parsing_size": "数值过大",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_type": DATE,
    "date_parsing": DATE,
    "date_from_datetime_parsing": DATE,
    "date_from_datetime_inexact": DATE,
    "datetime_type": DATETIME,
    "datetime_parsing": DATETIME,
    "datetime_from_date_parsing": DATETIME,
    "timezone_aware": "须带时区（如 +08:00）",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "list_type": "应为数组",
    "extra_forbidden": "不认识的字段",
    "none_required": "应为空",
}


def message(error: Mapping[str, Any]) -> str:
    """A pydantic error (its `type` and `ctx`) in Chinese."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind in _SIMPLE:
        return _SIMPLE[kind]
    if kind == "string_too_long":
        return f"不能超过{ctx.get('max_length')}个字符"
    if kind == "string_too_short":
        return "不能为空" if ctx.get("min_length") == 1 else f"至少{ctx.get('min_length')}个字符"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {
            "greater_than_equal": ("ge", "不能小于"),
            "greater_than": ("gt", "应大于"),
            "less_than_equal": ("le", "不能大于"),
            "less_than": ("lt", "应小于"),
        }
        key, text = words[kind]
        return f"{text}{ctx.get(key)}"
    if kind in ("enum", "literal_error"):
        return f"应为以下之一：{ctx.get('expected', '')}".replace(" or ", "、")
    if kind == "value_error" and isinstance(ctx.get("error"), str | Exception):
        return str(ctx["error"])  # our own validators raise Chinese ValueErrors
    return "格式不正确"


def from_validation(errors: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    return body({"loc": [*e.get("loc", ())], "msg": message(e)} for e in errors)
