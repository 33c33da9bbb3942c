from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from syrupy.assertion import SnapshotAssertion

from fazhi.core.reports.document import Cell, Document, Heading, Paragraph, Table
from fazhi.core.reports.render_docx import (
    TEXT_WIDTH,
    PlacedCell,
    column_widths,
    layout_grid,
    render_docx,
    table_grid,
)
from fazhi.core.reports.tests.sample import TITLE, sample_document, table_four, table_three

# --- helpers -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render_docx(sample_document())


@pytest.fixture(scope="module")
def opened(rendered: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(rendered))


def spans(placed: list[PlacedCell]) -> list[tuple[int, int, int, int, str]]:
    return sorted((p.row, p.col, p.rowspan, p.colspan, p.cell.text) for p in placed)


def docx_spans(table: DocxTable) -> list[tuple[int, int, int, int, str]]:
    """Rebuild (row, col, rowspan, colspan, text) from w:gridSpan / w:vMerge in the XML."""
    origins: dict[tuple[int, int], list[int | str]] = {}
    open_above: dict[int, tuple[int, int]] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            if tc.vMerge == "continue":
                origins[open_above[c]][2] = int(origins[open_above[c]][2]) + 1
            else:
                text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                origins[(r, c)] = [r, c, 1, span, text]
                open_above[c] = (r, c)
            c += span
    return sorted((int(a), int(b), int(x), int(y), str(t)) for a, b, x, y, t in origins.values())


def east_asia_font(element: object) -> str | None:
    fonts = element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")  # type: ignore[attr-defined]
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def document_text(document: DocxDocument) -> str:
    """Paragraphs and tables in body order; a merged cell's text appears once, at its origin."""
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(DocxParagraph(child, document).text)
        elif child.tag == qn("w:tbl"):
            for row, col, rowspan, colspan, text in docx_spans(DocxTable(child, document)):
                lines.append(f"  [{row},{col} {rowspan}x{colspan}] {text}")
    return "\n".join(lines)


def body_paragraphs(document: DocxDocument) -> list[DocxParagraph]:
    return [p for p in document.paragraphs if p.text]


# --- grid layout -------------------------------------------------------------------------------


def test_layout_grid_skips_cells_covered_by_rowspan() -> None:
    grid = layout_grid(
        [
            [Cell("a", rowspan=2), Cell("b"), Cell("c")],
            [Cell("d"), Cell("e")],
        ]
    )
    assert (grid.n_rows, grid.n_cols) == (2, 3)
    assert spans(grid.cells) == [
        (0, 0, 2, 1, "a"),
        (0, 1, 1, 1, "b"),
        (0, 2, 1, 1, "c"),
        (1, 1, 1, 1, "d"),
        (1, 2, 1, 1, "e"),
    ]


def test_layout_grid_of_table_three_header() -> None:
    grid = layout_grid(table_three().header)
    assert grid.n_cols == 9
    assert [(p.row, p.col, p.rowspan, p.colspan) for p in grid.cells] == [
        (0, 0, 3, 2),
        (0, 2, 1, 7),
        (1, 2, 2, 1),  # 自然人
        (1, 3, 1, 5),  # 法人或其他组织
        (1, 8, 2, 1),  # 总计
        (2, 3, 1, 1),
        (2, 4, 1, 1),
        (2, 5, 1, 1),
        (2, 6, 1, 1),
        (2, 7, 1, 1),
    ]


def test_layout_grid_nested_rowspans_in_body() -> None:
    grid = layout_grid(
        [
            [Cell("group", rowspan=3), Cell("sub", rowspan=2), Cell(1)],
            [Cell(2)],
            [Cell("other"), Cell(3)],
        ]
    )
    assert spans(grid.cells) == [
        (0, 0, 3, 1, "group"),
        (0, 1, 2, 1, "sub"),
        (0, 2, 1, 1, "1"),
        (1, 2, 1, 1, "2"),
        (2, 1, 1, 1, "other"),
        (2, 2, 1, 1, "3"),
    ]


def test_layout_grid_clamps_rowspan_past_the_end() -> None:
    grid = layout_grid([[Cell("a", rowspan=5), Cell("b")], [Cell("c")]])
    assert spans(grid.cells)[0] == (0, 0, 2, 1, "a")


def test_layout_grid_rejects_overlap() -> None:
    with pytest.raises(ValueError, match="overlaps"):
        layout_grid([[Cell("a"), Cell("b", rowspan=2)], [Cell("c", colspan=2)]])


def test_ragged_rows_widen_the_grid() -> None:
    grid = layout_grid([[Cell("a")], [Cell("b"), Cell("c"), Cell("d")]])
    assert grid.n_cols == 3


def test_table_grid_keeps_header_spans_out_of_body() -> None:
    table = Table(header=[[Cell("h", rowspan=3), Cell("x")]], rows=[[Cell("b"), Cell(1)]])
    grid = table_grid(table)
    assert spans(grid.cells) == [
        (0, 0, 1, 1, "h"),
        (0, 1, 1, 1, "x"),
        (1, 0, 1, 1, "b"),
        (1, 1, 1, 1, "1"),
    ]


def test_column_widths_fill_the_text_width() -> None:
    for table in (table_three(), table_four()):
        widths = column_widths(table, table_grid(table))
        assert sum(widths) == TEXT_WIDTH.twips
    equal = column_widths(table_four(), table_grid(table_four()))
    assert max(equal) - min(equal) <= 1
    weighted = column_widths(table_three(), table_grid(table_three()))
    assert weighted[1] > 3 * weighted[2]


# --- page, fonts and paragraphs ----------------------------------------------------------------


def test_page_is_a4_with_gbt9704_margins(opened: DocxDocument) -> None:
    section = opened.sections[0]
    measured = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(length.mm, 1) for length in measured if length is not None] == [
        210.0,
        297.0,
        37.0,
        35.0,
        28.0,
        26.0,
    ]


def test_normal_style_carries_cjk_and_latin_fonts(opened: DocxDocument) -> None:
    fonts = opened.styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts is not None
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:ascii")) == "Times New Roman"
    assert fonts.get(qn("w:asciiTheme")) is None
    normal = opened.styles["Normal"]
    assert normal.font.size is not None
    assert normal.font.size.pt == 16
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing.pt == 28


def test_title_font_and_alignment(opened: DocxDocument) -> None:
    title = opened.paragraphs[0]
    assert title.text == TITLE
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = title.runs[0]
    assert east_asia_font(run._r) == "方正小标宋简体"
    assert run.font.size is not None
    assert run.font.size.pt == 22
    assert opened.paragraphs[1].text == ""  # one blank line after the title


@pytest.mark.parametrize(
    ("text", "font", "bold", "style"),
    [
        ("一、总体情况", "黑体", None, "Heading 1"),
        ("（一）主动公开", "楷体_GB2312", None, "Heading 2"),
        ("1.申请受理", "仿宋_GB2312", True, "Heading 3"),
        ("（1）办理时限", "仿宋_GB2312", None, "Heading 4"),
    ],
)
def test_heading_fonts(
    opened: DocxDocument, text: str, font: str, bold: bool | None, style: str
) -> None:
    paragraph = next(p for p in opened.paragraphs if p.text == text)
    assert paragraph.style is not None
    assert paragraph.style.name == style
    run = paragraph.runs[0]
    assert east_asia_font(run._r) == font
    assert run.font.bold is bold
    assert run.font.size is not None
    assert run.font.size.pt == 16
    style_fonts = opened.styles[style].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert style_fonts.get(qn("w:eastAsia")) == font
    assert opened.styles[style].font.color.rgb is None
    assert opened.styles[style].paragraph_format.first_line_indent.pt == 32


def test_body_paragraph_indent_and_font(opened: DocxDocument) -> None:
    paragraph = next(p for p in opened.paragraphs if p.text.startswith("本报告由示例街道"))
    assert paragraph.paragraph_format.first_line_indent is not None
    assert paragraph.paragraph_format.first_line_indent.pt == 32
    ind = paragraph._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert east_asia_font(paragraph.runs[0]._r) == "仿宋_GB2312"
    assert (
        paragraph.runs[0]._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:ascii"))
        == "Times New Roman"
    )


def test_signature_and_provisional_note(opened: DocxDocument) -> None:
    paragraphs = opened.paragraphs
    texts = [p.text for p in paragraphs]
    issuer_at = texts.index("示例市示例区人民政府示例街道办事处")
    assert texts[issuer_at - 2 : issuer_at] == ["", ""]
    date = paragraphs[issuer_at + 1]
    assert date.text == "2027年1月20日"
    assert date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "400"
    assert paragraphs[issuer_at].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # The 落款 keeps with its date: a page break never leaves the date alone on the last page.
    assert paragraphs[issuer_at].paragraph_format.keep_with_next is True
    assert texts[-1].startswith("注：带“暂定”标记的数据所依据的节假日安排尚未发布")


def test_issuer_is_centred_over_a_longer_date() -> None:
    doc = Document(title="t", blocks=[], issuer="某某局", date=dt.date(2026, 12, 31))
    opened = docx.Document(io.BytesIO(render_docx(doc)))
    issuer = next(p for p in opened.paragraphs if p.text == "某某局")
    # "2026年12月31日" is 7 characters wide (digits are half width), the issuer 3:
    # 4 + (7 - 3) / 2 = 6
    assert issuer._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "600"
    assert not any(p.text.startswith("注：") for p in opened.paragraphs)


def test_footer_has_page_field(opened: DocxDocument) -> None:
    footer = opened.sections[0].footer.paragraphs[0]
    assert footer.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [t.text for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == [" PAGE "]
    assert footer.text == "— 1 —"
    assert east_asia_font(footer.runs[0]._r) == "宋体"
    assert footer.runs[0].font.size.pt == 14


def test_core_properties_are_fixed(opened: DocxDocument) -> None:
    props = opened.core_properties
    assert props.author == "fazhi"
    assert props.title == TITLE
    assert props.created == dt.datetime(2027, 1, 20, tzinfo=dt.UTC)
    assert props.modified == props.created


# --- tables ------------------------------------------------------------------------------------


def test_merged_cells_match_the_grid(opened: DocxDocument) -> None:
    sample_tables = sample_document().tables()
    assert len(opened.tables) == len(sample_tables)
    for docx_table, table in zip(opened.tables, sample_tables, strict=True):
        expected = [
            (r, c, rs, cs, text + (f"（{cell.note}）" if cell.note else ""))
            for r, c, rs, cs, text in spans(table_grid(table).cells)
            for cell in [_cell_at(table, r, c)]
        ]
        assert docx_spans(docx_table) == expected


def _cell_at(table: Table, row: int, col: int) -> Cell:
    return next(p.cell for p in table_grid(table).cells if (p.row, p.col) == (row, col))


def test_table_three_spans_in_docx(opened: DocxDocument) -> None:
    found = {(r, c): (rs, cs) for r, c, rs, cs, _ in docx_spans(opened.tables[1])}
    assert found[(0, 0)] == (3, 2)
    assert found[(0, 2)] == (1, 7)
    assert found[(1, 3)] == (1, 5)
    assert found[(5, 0)] == (7, 1)  # 三、本年度办理结果
    assert found[(3, 0)] == (1, 2)  # 一、本年新收…
    assert len(opened.tables[1].rows) == 3 + 10


def test_header_rows_repeat(opened: DocxDocument) -> None:
    for docx_table, table in zip(opened.tables, sample_document().tables(), strict=True):
        flags = [
            tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None
            for tr in docx_table._tbl.tr_lst
        ]
        assert flags == [True] * len(table.header) + [False] * len(table.rows)


def test_table_layout_and_cell_formatting(opened: DocxDocument) -> None:
    table3 = opened.tables[1]
    tbl_pr = table3._tbl.tblPr
    assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert tbl_pr.find(f"{qn('w:tblBorders')}/{qn('w:insideV')}").get(qn("w:val")) == "single"
    grid_total = sum(int(col.get(qn("w:w"))) for col in table3._tbl.tblGrid.gridCol_lst)
    assert grid_total == TEXT_WIDTH.twips
    header = table3.cell(0, 2).paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert header.runs[0].font.bold is True
    figure = table3.cell(3, 2).paragraphs[0]
    assert figure.text == "48"
    assert figure.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert figure.runs[0].font.size.pt == 10.5
    assert east_asia_font(figure.runs[0]._r) == "仿宋_GB2312"
    assert figure.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE
    label = table3.cell(3, 0).paragraphs[0]
    assert label.alignment == WD_ALIGN_PARAGRAPH.LEFT
    wide = opened.tables[2].cell(3, 0).paragraphs[0]
    assert wide.runs[0].font.size.pt == 9


def test_note_is_appended_in_small_text(opened: DocxDocument) -> None:
    cell = opened.tables[1].cell(12, 2)
    assert cell.text == "3（暂定）"
    value, note = cell.paragraphs[0].runs
    assert note.font.size.pt < value.font.size.pt


def test_caption_precedes_table(opened: DocxDocument) -> None:
    body = list(opened.element.body.iterchildren())
    tables = [i for i, child in enumerate(body) if child.tag == qn("w:tbl")]
    caption = DocxParagraph(body[tables[2] - 1], opened)
    assert caption.text == "行政复议、行政诉讼情况统计表"
    assert caption.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asia_font(caption.runs[0]._r) == "黑体"


# --- whole document ----------------------------------------------------------------------------


def test_text_in_order(opened: DocxDocument, snapshot: SnapshotAssertion) -> None:
    assert document_text(opened) == snapshot


def test_output_is_deterministic(rendered: bytes) -> None:
    assert render_docx(sample_document()) == rendered
    dates = {info.date_time for info in zipfile.ZipFile(io.BytesIO(rendered)).infolist()}
    assert dates == {(2000, 1, 1, 0, 0, 0)}


def test_minimal_document_renders() -> None:
    doc = Document(
        title="标题",
        subtitle="（2026年度）",
        blocks=[Heading("一、无", level=9), Paragraph(""), Table(header=[], rows=[])],
    )
    opened = docx.Document(io.BytesIO(render_docx(doc)))
    assert [p.text for p in opened.paragraphs][:4] == ["标题", "（2026年度）", "", "一、无"]
    assert east_asia_font(opened.paragraphs[1].runs[0]._r) == "楷体_GB2312"
    assert opened.paragraphs[3].style.name == "Heading 4"
    assert opened.tables == []
    assert opened.core_properties.created == dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
