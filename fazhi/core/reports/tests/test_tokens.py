"""Live-figure tokens: a token written without its value, and one warning per distinct stale
figure however many times it is repeated."""

from __future__ import annotations

from django.db.models import Q

from fazhi.core.metrics import Figure
from fazhi.core.reports.tokens import distinct, resolve
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


def test_repeated_tokens_give_one_warning_with_their_count() -> None:
    text = "收到{{xf.received=2}}件。" * 500 + "另有{{xf.received=1}}件。"
    found = resolve(text, {"xf.received": figure(3)})
    assert len(found.stale) == 501  # every place is still marked in the text
    warned = distinct(found.stale)
    assert [(s.written, s.count) for s in warned] == [("2", 500), ("1", 1)]
    assert warned[0].message == (
        "“收到3件。”写于该数据为2时，当前为3，请核对这句话是否仍然成立（该数字共出现500处）"
    )
    assert "出现" not in warned[1].message
