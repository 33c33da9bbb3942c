"""Markup the big pages build in Python rather than in a template loop.

A district supervisor's list has a <select> of 241 units and 50 rows of nine cells; rendered
by the template engine node by node they cost more than all of the page's queries (about 40 ms
of a 50 ms page, measured by `bench/hotline_list_bench.py`). Values are escaped exactly as the
template engine escapes them (`&<>"'`; a value with `__html__`, such as a SafeString, is taken
as it is), but with the standard library's `html.escape` on plain strings: Django's
`format_html` costs some 20 µs a call, and a page makes hundreds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

BADGE_CLASS = {"逾期": "overdue", "临期": "soon", "已作废": "info"}
NOWRAP = ' class="nowrap"'


_SPECIAL = re.compile("[&<>\"']")


def esc(value: Any) -> str:
    """A value as the template's `{{ value }}` shows it (None as "None", like the template)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    text = str(value)
    # Most cells (dates, numbers, names) hold nothing to escape: one scan instead of five.
    return escape(text, quote=True) if _SPECIAL.search(text) else text


def options(choices: Iterable[tuple[Any, Any]], chosen: str) -> SafeString:
    """<option>s of (value, label), the one whose value is `chosen` selected."""
    return mark_safe(
        "".join(
            f'<option value="{esc(v)}"{" selected" if str(v) == chosen else ""}>{esc(label)}</option>'
            for v, label in choices
        )
    )


def badge(text: str) -> SafeString:
    """The 逾期 / 临期 mark beside a due date ("" when there is none)."""
    if not text:
        return mark_safe("")
    return mark_safe(f'<span class="badge {BADGE_CLASS.get(text, "soon")}">{esc(text)}</span>')


def record_rows(rows: Iterable[tuple[str, Sequence[Any], str]], badge_column: int) -> SafeString:
    """<tr>s of a record list: (detail url, cells, badge) per record. The first cell links to
    the record, every cell but the last keeps to one line, an empty cell (None) shows nothing,
    and the badge follows the cell numbered `badge_column` (from 1)."""
    out: list[str] = []
    for url, cells, mark in rows:
        last = len(cells) - 1
        tds = []
        for i, cell in enumerate(cells):
            if i == 0:
                shown = f'<a href="{esc(url)}">{esc(cell)}</a>'
            else:
                shown = "" if cell is None else esc(cell)
            if mark and i + 1 == badge_column:
                shown += " " + badge(mark)
            tds.append(f"<td{NOWRAP if i < last else ''}>{shown}</td>")
        out.append("<tr>\n" + "".join(tds) + "</tr>")
    return mark_safe("".join(out))  # every value went through esc()


def figure_rows(rows: Iterable[tuple[str, Sequence[tuple[str, str, str]]]]) -> SafeString:
    """<tr>s of figures side by side (the dashboard's 240 streets): a label, then per figure
    (url of its records, the figure as shown, its definition as the cell's title)."""
    return mark_safe(
        "".join(
            f"<tr><td>{esc(label)}</td>"
            + "".join(
                f'<td class="num"><a href="{esc(url)}" title="{esc(title)}">{esc(shown)}</a></td>'
                for url, shown, title in cells
            )
            + "</tr>"
            for label, cells in rows
        )
    )  # every value went through esc()
