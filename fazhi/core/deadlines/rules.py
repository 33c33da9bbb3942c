"""Deadline rules as data: an amount, a unit and the legal basis that sets them.

Ledgers register their rules here at import time; `fazhi deadline --rule CODE` and the clocks
look them up by code. A rule never knows about records: the Clock applies it to dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PeriodUnit(StrEnum):
    WORKDAY = "workday"
    DAY = "day"
    MONTH = "month"

    @property
    def label(self) -> str:
        return {"workday": "个工作日", "day": "日", "month": "个月"}[self.value]


@dataclass(frozen=True)
class DeadlineRule:
    code: str  # dotted, e.g. "xxgk.reply"
    name: str  # Chinese, e.g. "答复申请人"
    amount: int
    unit: PeriodUnit
    basis: str  # legal basis with article, e.g. "《政府信息公开条例》第三十三条第二款"
    start_event: str = "收到申请之日"

    @property
    def period_text(self) -> str:
        return f"{self.amount}{self.unit.label}"


_RULES: dict[str, DeadlineRule] = {}


def register(*rules: DeadlineRule) -> None:
    for rule in rules:
        existing = _RULES.get(rule.code)
        if existing is not None and existing != rule:
            raise ValueError(f"deadline rule {rule.code} registered twice with different terms")
        _RULES[rule.code] = rule


def get_rule(code: str) -> DeadlineRule:
    try:
        return _RULES[code]
    except KeyError:
        known = "、".join(sorted(_RULES)) or "（无）"
        raise KeyError(f"未知的期限规则「{code}」。可用规则：{known}") from None


def all_rules() -> list[DeadlineRule]:
    return [_RULES[code] for code in sorted(_RULES)]
