"""Render a report `Document` as an HTML fragment for the web pages.

Everything that comes from the document is escaped; only the markup built here is trusted.
Styling is left to CSS classes (see README.md), so no inline styles are emitted and the
fragment works under a strict Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from . import chart as charts
from .document import Cell, Chart, Document, Heading, Inline, Paragraph, Table, chinese_date

PROVISIONAL_NOTE = "注：带“暂定”标记的数据所依据的节假日安排尚未发布，按周一至周五工作日暂算。"

# A link whose scheme is not on this list (e.g. "javascript:") is dropped, keeping the figure.
_SAFE_LINK_PREFIXES = ("/", "?", "#", "https://", "http://")


def render_html(doc: Document) -> SafeString:
    parts: list[str] = []
    if doc.draft_note:
        parts.append(format_html('<p class="report-draft">{}</p>\n', doc.draft_note))
    parts.append(format_html('<article class="report">\n<h1>{}</h1>\n', doc.title))
    if doc.subtitle:
        parts.append(format_html('<p class="subtitle">{}</p>\n', doc.subtitle))
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append(_heading(block))
        elif isinstance(block, Paragraph):
            parts.append(_paragraph(block))
        elif isinstance(block, Chart):
            parts.append(_chart(block))
        else:
            parts.append(_table(block))
    parts.append(_signature(doc))
    if doc.provisional:
        parts.append(format_html('<p class="report-note">{}</p>\n', PROVISIONAL_NOTE))
    parts.append("</article>\n")
    return mark_safe("".join(parts))  # every part above comes from format_html


def _heading(heading: Heading) -> str:
    tag = f"h{min(max(heading.level, 1), 4) + 1}"
    return format_html("<{}>{}</{}>\n", tag, heading.text, tag)


def _paragraph(paragraph: Paragraph) -> str:
    attrs = _attrs(
        [
            (
                "class",
                " ".join(
                    c
                    for c, on in (
                        ("placeholder", paragraph.placeholder),
                        ("internal", paragraph.internal),
                    )
                    if on
                ),
            ),
            ("data-key", paragraph.key),
            ("data-editable", "true" if paragraph.editable else ""),
        ]
    )
    if paragraph.inlines:
        body = mark_safe("".join(_inline(piece) for piece in paragraph.inlines))
        return format_html("<p{}>{}</p>\n", attrs, body)
    if paragraph.link and paragraph.link.startswith(_SAFE_LINK_PREFIXES):
        return format_html('<p{}><a href="{}">{}</a></p>\n', attrs, paragraph.link, paragraph.text)
    return format_html("<p{}>{}</p>\n", attrs, paragraph.text)


def _inline(piece: Inline) -> str:
    if piece.link and piece.link.startswith(_SAFE_LINK_PREFIXES):
        shown = format_html('<a class="figure" href="{}">{}</a>', piece.link, piece.text)
    else:
        shown = format_html("{}", piece.text)
    if piece.stale:
        shown = format_html('<mark class="stale" title="{}">{}</mark>', piece.note, shown)
    if piece.carried:
        return format_html('<mark class="carried" title="与上一年度报告文字相同">{}</mark>', shown)
    return shown


def _chart(chart: Chart) -> str:
    """The chart drawn as SVG (every bar a link to its records), and under it the same
    figures as a table: readable without the picture, and by a screen reader."""
    note = format_html('<p class="report-chart-note">{}</p>', chart.note) if chart.note else ""
    return format_html(
        '<figure class="report-chart" data-key="{}"><figcaption>{}</figcaption>{}{}{}</figure>\n',
        chart.key,
        chart.title,
        mark_safe(charts.svg(chart)),
        note,
        mark_safe(_table(chart.as_table())),
    )


def _table(table: Table) -> str:
    attrs = _attrs([("class", "report-table"), ("data-key", table.key)])
    parts: list[str] = [format_html("<table{}>\n", attrs)]
    if table.caption:
        parts.append(format_html("<caption>{}</caption>\n", table.caption))
    if table.header:
        parts.append("<thead>\n")
        parts.extend(_row(row, "th") for row in table.header)
        parts.append("</thead>\n")
    parts.append("<tbody>\n")
    parts.extend(_row(row, "td") for row in table.rows)
    parts.append("</tbody>\n</table>\n")
    return "".join(parts)


def _row(cells: list[Cell], tag: str) -> str:
    return "<tr>" + "".join(_cell(cell, tag) for cell in cells) + "</tr>\n"


def _cell(cell: Cell, tag: str) -> str:
    attrs = _attrs(
        [
            ("class", " ".join(_cell_classes(cell))),
            ("colspan", str(cell.colspan) if cell.colspan > 1 else ""),
            ("rowspan", str(cell.rowspan) if cell.rowspan > 1 else ""),
        ]
    )
    content = escape(cell.text)
    if cell.link and cell.link.startswith(_SAFE_LINK_PREFIXES):
        content = format_html('<a href="{}">{}</a>', cell.link, cell.text)
    if cell.note:
        content += format_html(' <span class="badge provisional">{}</span>', cell.note)
    return format_html("<{}{}>{}</{}>", tag, attrs, content, tag)


def _cell_classes(cell: Cell) -> list[str]:
    classes = []
    if is_numeric(cell):
        classes.append("num")
    if cell.align:
        classes.append(f"align-{cell.align}")
    if cell.bold:
        classes.append("bold")
    return classes


def is_numeric(cell: Cell) -> bool:
    return isinstance(cell.value, int | float) and not isinstance(cell.value, bool)


def _signature(doc: Document) -> str:
    if not doc.issuer and doc.date is None:
        return ""
    lines = []
    if doc.issuer:
        lines.append(format_html('<p class="issuer">{}</p>', doc.issuer))
    if doc.date is not None:
        lines.append(format_html('<p class="date">{}</p>', chinese_date(doc.date)))
    return '<div class="report-signature">' + "".join(lines) + "</div>\n"


def _attrs(pairs: Iterable[tuple[str, str]]) -> SafeString:
    """Attributes with an empty value are left out; names are ours, values are escaped."""
    rendered = "".join(format_html(' {}="{}"', name, value) for name, value in pairs if value)
    return mark_safe(rendered)  # built from format_html pieces
