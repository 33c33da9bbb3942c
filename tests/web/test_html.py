"""The list's markup built in Python (core/web/html.py) escapes exactly as the template engine."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from fazhi.core.web import html


@given(st.text())
def test_esc_is_the_template_engines_escaping(value: str) -> None:
    assert html.esc(value) == str(conditional_escape(value))
    assert html.esc(value) == Template("{{ v }}").render(Context({"v": value}))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('<script>alert("x")</script>', "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"),
        ("O'Brien & 子", "O&#x27;Brien &amp; 子"),
        (mark_safe("<b>已办结</b>"), "<b>已办结</b>"),
        (12, "12"),
    ],
)
def test_esc_table(value: Any, shown: str) -> None:
    assert html.esc(value) == shown


def test_options_select_the_chosen_value_and_escape_labels() -> None:
    out = html.options([("A1", "东湖<街道>"), ("B1", "西城街道")], "B1")
    assert out == (
        '<option value="A1">东湖&lt;街道&gt;</option><option value="B1" selected>西城街道</option>'
    )


def test_rows_link_the_first_cell_mark_the_badge_and_leave_none_blank() -> None:
    out = html.record_rows(
        [("/l/x/1/", ["X-1", None, "2026-12-01", "<i>"], "逾期"), ("/l/x/2/", ["X-2", "a"], "")],
        badge_column=3,
    )
    assert out == (
        '<tr>\n<td class="nowrap"><a href="/l/x/1/">X-1</a></td><td class="nowrap"></td>'
        '<td class="nowrap">2026-12-01 <span class="badge overdue">逾期</span></td>'
        "<td>&lt;i&gt;</td></tr>"
        '<tr>\n<td class="nowrap"><a href="/l/x/2/">X-2</a></td><td>a</td></tr>'
    )
