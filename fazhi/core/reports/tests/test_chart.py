"""A report's bar chart: the same layout drawn as SVG on the page (links to the records,
escaped labels) and as a picture in the .docx; without a CJK font, a table of its figures."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from PIL import Image

from conftest import require_in_ci
from fazhi.core.reports import chart as charts
from fazhi.core.reports.document import Bar, Chart, Document, Paragraph
from fazhi.core.reports.render_docx import render_docx
from fazhi.core.reports.render_html import render_html

CHART = Chart(
    title="2026年各街道按时办结率",
    bars=[
        Bar("东湖街道", 96.5, "96.5%", "/l/hotline/?under=A1&figure=hotline.on_time_rate:2026"),
        Bar("西城街道", 48.0, "48%", "/l/hotline/?under=B1"),
        Bar("<b>南山</b>街道", None, "—", "javascript:alert(1)"),
    ],
    key="compare",
    note="按时办结率＝按时办结件数÷办结件数",
)


def test_bars_are_proportional_and_a_bar_of_nothing_is_a_sliver() -> None:
    out = charts.layout(CHART)
    bars = [s for s in out.shapes if isinstance(s, charts.Rect) and s.title]
    assert [b.title for b in bars] == [b.label for b in CHART.bars]
    assert bars[1].w == pytest.approx(bars[0].w * 48.0 / 96.5, rel=0.01)
    assert bars[2].w == 1.0 and bars[2].colour == charts.EMPTY_COLOUR
    assert out.height == charts.PAD + 3 * charts.ROW + charts.PAD


def test_svg_escapes_labels_and_links_only_to_our_own_pages() -> None:
    html = render_html(Document("报告", [CHART]))
    assert "<svg" in html and "<script" not in html and "style=" not in html
    assert "&lt;b&gt;南山&lt;/b&gt;街道" in html and "<b>南山" not in html
    assert 'href="/l/hotline/?under=A1&amp;figure=hotline.on_time_rate:2026"' in html
    assert "javascript:" not in html
    # the same figures as a table under it
    assert html.count("96.5%") >= 2 and "按时办结率＝" in html


def test_the_docx_carries_the_chart_as_a_picture_the_width_of_the_text() -> None:
    if charts._font_path() is None:
        require_in_ci("no CJK font installed (apt-get install fonts-noto-cjk)")
    data = render_docx(Document("报告", [Paragraph("正文。"), CHART]))
    assert data == render_docx(Document("报告", [Paragraph("正文。"), CHART]))  # deterministic
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        pictures = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(pictures) == 1
        image = Image.open(io.BytesIO(z.read(pictures[0])))
    assert image.size == (charts.WIDTH * 2, charts.layout(CHART).height * 2)
    # the bars are drawn: the bar colour is in the picture
    assert (0x2F, 0x6D, 0xB5) in {c for _, c in image.convert("RGB").getcolors(1 << 20) or []}
    text = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert CHART.title in text and CHART.note in text


def test_without_a_cjk_font_the_docx_shows_the_figures_as_a_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(charts, "FONT_CANDIDATES", ())
    monkeypatch.setenv("FAZHI_CHART_FONT", "/nonexistent.ttf")
    charts._font_path.cache_clear()
    try:
        assert charts.png(CHART) is None
        out = docx.Document(io.BytesIO(render_docx(Document("报告", [CHART]))))
        assert len(out.tables) == 1
        cells = [[c.text for c in row.cells] for row in out.tables[0].rows]
        assert cells[1] == ["东湖街道", "96.5%"] and cells[3][1] == "—"
    finally:
        charts._font_path.cache_clear()
