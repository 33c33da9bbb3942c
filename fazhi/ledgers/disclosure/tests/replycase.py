"""What a test's reply must say for its outcome (reasons for every withholding one, the
withheld part of a partial one), so tests about other things can reply with any outcome."""

from __future__ import annotations

from fazhi.ledgers.disclosure import replies
from fazhi.ledgers.disclosure.models import Outcome


def content(outcome: str) -> dict[str, str]:
    found: dict[str, str] = {}
    if outcome in replies.NEEDS_REASONS:
        found["reasons"] = "测试用的答复理由"
        if not replies.default_basis(outcome):
            found["basis"] = "测试用的法律依据"
    if outcome == Outcome.OTHER_3:
        found["reasons"] = "申请人撤回申请"
    if outcome == Outcome.PARTIAL:
        found["withheld"] = "涉及个人隐私的部分"
    return found
