"""Live-figure tokens: a token written without its value."""

from __future__ import annotations

from django.db.models import Q

from fazhi.core.metrics import Figure
from fazhi.core.reports.tokens import resolve
from fazhi.core.tenancy.models import OrgUnit


def figure(value: int) -> Figure:
    return Figure("xf.received", value, "收到的信访事项", OrgUnit, Q())


def test_a_token_written_without_a_value_shows_the_current_one_and_says_so() -> None:
    for written in ("", "  "):
        found = resolve(
            "全年受理信访{{xf.received=" + written + "}}件。", {"xf.received": figure(3)}
        )
        assert found.text == "全年受理信访3件。"
        [stale] = found.stale
        assert stale.message == (
            "“全年受理信访3件。”中的数字未写明写入时的数值（当前为3），请核对这句话是否仍然成立"
        )
        assert "写于该数据为时" not in stale.message
        [marked] = [piece for piece in found.inlines if piece.stale]
        assert marked.text == "3" and marked.note == "写入时未写明数值，当前为3"


def test_a_token_with_its_value_warns_as_before() -> None:
    [stale] = resolve("共{{xf.received=2}}件。", {"xf.received": figure(3)}).stale
    assert stale.message == "“共3件。”写于该数据为2时，当前为3，请核对这句话是否仍然成立"
