"""Render a report `Document` as a .docx laid out after GB/T 9704-2012 (党政机关公文格式).

python-docx cannot express everything in the standard (e.g. the 28-characters-a-line text grid),
so the layout is approximated: A4, the standard margins, 三号仿宋 body at a fixed 28 pt line
pitch (22 lines a page), the standard fonts for title and headings, and "— 1 —" page numbers.
East-Asian font names must live in `w:rFonts/@w:eastAsia`; python-docx's `font.name` only
sets the Latin slots, hence the explicit XML below.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace

import docx
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Mm, Pt, RGBColor, Twips
from docx.styles.style import ParagraphStyle
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.parfmt import ParagraphFormat
from docx.text.run import Run
from lxml import etree

from fazhi.textclean import strip_controls

from . import chart as charts
from .document import Cell, Chart, Document, Heading, Paragraph, Table, chinese_date
from .render_html import PROVISIONAL_NOTE, is_numeric

FONT_TITLE = "方正小标宋简体"
FONT_FANGSONG = "仿宋_GB2312"
FONT_HEI = "黑体"
FONT_KAI = "楷体_GB2312"
FONT_SONG = "宋体"
FONT_LATIN = "Times New Roman"

SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_FOLIO = Pt(14)  # 四号
LINE_PITCH = Pt(28)
TITLE_LINE_PITCH = Pt(36)  # a 28 pt pitch crowds 二号 characters on a two-line title

PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(37)
MARGIN_BOTTOM = Mm(35)
MARGIN_LEFT = Mm(28)
MARGIN_RIGHT = Mm(26)
# The folio sits 7 mm below the text block; a 四号 line is about 5 mm tall.
FOOTER_DISTANCE = Mm(23)
TEXT_WIDTH = Length(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)

# level -> (East-Asian font, bold)
HEADING_FONTS: dict[int, tuple[str, bool]] = {
    1: (FONT_HEI, False),
    2: (FONT_KAI, False),
    3: (FONT_FANGSONG, True),
    4: (FONT_FANGSONG, False),
}

_FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def render_docx(doc: Document) -> bytes:
    out = docx.Document()
    _setup_page(out)
    _setup_styles(out)
    _register_fonts(out)
    _add_title(out, doc)
    for block in doc.blocks:
        if isinstance(block, Heading):
            _add_heading(out, block)
        elif isinstance(block, Paragraph):
            if not block.internal:  # notes for the unit, not for publication
                _add_body_paragraph(out, block.text)
        elif isinstance(block, Chart):
            _add_chart(out, block)
        else:
            _add_table(out, block)
    _add_signature(out, doc)
    _set_properties(out, doc)
    buffer = io.BytesIO()
    out.save(buffer)
    return _normalize_zip(buffer.getvalue())


# --- grid layout -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacedCell:
    """A cell at its grid coordinates (top-left corner), spans clamped to the grid."""

    row: int
    col: int
    rowspan: int
    colspan: int
    cell: Cell


@dataclass(frozen=True)
class Grid:
    cells: list[PlacedCell]
    n_rows: int
    n_cols: int


def layout_grid(rows: Sequence[Sequence[Cell]]) -> Grid:
    """Map HTML-style rows (cells covered by an earlier span are absent) to grid coordinates.

    As in HTML, a rowspan reaching past the last row is cut off at the last row. A colspan that
    would run into a cell already covered by a rowspan from above is an error.
    """
    occupied: set[tuple[int, int]] = set()
    placed: list[PlacedCell] = []
    n_rows = len(rows)
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            rowspan = max(1, min(cell.rowspan, n_rows - r))
            colspan = max(1, cell.colspan)
            covered = {(r + i, c + j) for i in range(rowspan) for j in range(colspan)}
            if covered & occupied:
                raise ValueError(f"cell {cell.text!r} at row {r}, column {c} overlaps a span")
            occupied |= covered
            placed.append(PlacedCell(r, c, rowspan, colspan, cell))
            c += colspan
    n_cols = max((p.col + p.colspan for p in placed), default=0)
    return Grid(placed, n_rows, n_cols)


def table_grid(table: Table) -> Grid:
    """Header and body laid out separately (spans never cross from <thead> into <tbody>)."""
    header = layout_grid(table.header)
    body = layout_grid(table.rows)
    shifted = [
        PlacedCell(p.row + header.n_rows, p.col, p.rowspan, p.colspan, p.cell) for p in body.cells
    ]
    return Grid(
        header.cells + shifted, header.n_rows + body.n_rows, max(header.n_cols, body.n_cols)
    )


# --- page and styles ---------------------------------------------------------------------------


def _setup_page(out: DocxDocument) -> None:
    section = out.sections[0]
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.footer_distance = FOOTER_DISTANCE
    _add_page_number(section.footer.paragraphs[0])


def _setup_styles(out: DocxDocument) -> None:
    defaults = out.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        default_rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if default_rpr is not None:
            _set_fonts(default_rpr, FONT_FANGSONG)
            lang = default_rpr.find(qn("w:lang"))
            if lang is not None:
                lang.set(qn("w:eastAsia"), "zh-CN")
        default_spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
        if default_spacing is not None:
            default_spacing.set(qn("w:after"), "0")

    normal = out.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _set_fonts(normal.element.get_or_add_rPr(), FONT_FANGSONG)
    normal.font.size = SIZE_BODY
    _fixed_line(normal.paragraph_format, LINE_PITCH)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    for level, (font, bold) in HEADING_FONTS.items():
        style = out.styles[f"Heading {level}"]
        assert isinstance(style, ParagraphStyle)
        _reset_heading_style(style, font, bold)


# name -> (alternative name, w:family). The *_GB2312 faces are missing from stock Windows, whose
# 仿宋/楷体 are the usual stand-ins; the family tells a substituting reader serif from sans.
_FONT_TABLE: dict[str, tuple[str, str]] = {
    FONT_TITLE: ("宋体", "roman"),
    FONT_FANGSONG: ("仿宋", "roman"),
    FONT_KAI: ("楷体", "roman"),
    FONT_HEI: ("SimHei", "swiss"),
    FONT_SONG: ("SimSun", "roman"),
}


def _register_fonts(out: DocxDocument) -> None:
    part = next(
        rel.target_part for rel in out.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    fonts = etree.fromstring(part.blob)
    for name, (alt_name, family) in _FONT_TABLE.items():
        font = etree.SubElement(fonts, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("altName", alt_name), ("charset", "86"), ("family", family)):
            etree.SubElement(font, qn(f"w:{tag}")).set(qn("w:val"), value)
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _reset_heading_style(style: ParagraphStyle, font: str, bold: bool) -> None:
    """Keep the built-in heading styles (they feed Word's navigation pane) but in 公文 dress."""
    rpr = style.element.get_or_add_rPr()
    for child in list(rpr):
        rpr.remove(child)
    _set_fonts(rpr, font)
    style.font.size = SIZE_BODY
    style.font.bold = bold
    style.font.italic = False
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.keep_with_next = True
    _fixed_line(fmt, LINE_PITCH)
    _indent_chars(fmt, first_line=2)


def _set_properties(out: DocxDocument, doc: Document) -> None:
    stamp = (
        dt.datetime(doc.date.year, doc.date.month, doc.date.day, tzinfo=dt.UTC)
        if doc.date
        else _FIXED_DATE
    )
    props = out.core_properties
    props.author = "fazhi"
    props.last_modified_by = "fazhi"
    props.comments = ""
    props.title = strip_controls(doc.title)  # a title is stored text too (a unit's name)
    props.created = stamp
    props.modified = stamp
    props.revision = 1


def _normalize_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps: zipfile stamps the wall clock."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return target_buffer.getvalue()


# --- blocks ------------------------------------------------------------------------------------


def _add_draft_mark(out: DocxDocument, doc: Document) -> None:
    """A draft says so above the title, in red, with its reasons (it must not pass as final)."""
    note = doc.draft_note
    if not note:
        return
    paragraph = out.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = _add_run(paragraph, note, FONT_HEI, SIZE_FOLIO, bold=True)
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def _add_title(out: DocxDocument, doc: Document) -> None:
    _add_draft_mark(out, doc)
    title = out.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fixed_line(title.paragraph_format, TITLE_LINE_PITCH)
    _add_run(title, doc.title, FONT_TITLE, SIZE_TITLE)
    if doc.subtitle:
        subtitle = out.add_paragraph()
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_run(subtitle, doc.subtitle, FONT_KAI, SIZE_BODY)
    out.add_paragraph()


def _add_heading(out: DocxDocument, heading: Heading) -> None:
    level = min(max(heading.level, 1), 4)
    font, bold = HEADING_FONTS[level]
    paragraph = out.add_paragraph(style=f"Heading {level}")
    _add_run(paragraph, heading.text, font, SIZE_BODY, bold=bold)


def _add_body_paragraph(out: DocxDocument, text: str) -> DocxParagraph:
    paragraph = out.add_paragraph()
    _indent_chars(paragraph.paragraph_format, first_line=2)
    _add_run(paragraph, text, FONT_FANGSONG, SIZE_BODY)
    return paragraph


def _add_signature(out: DocxDocument, doc: Document) -> None:
    if doc.issuer or doc.date:
        out.add_paragraph()
        out.add_paragraph()
    date_text = chinese_date(doc.date) if doc.date else ""
    # GB/T 9704 7.3.5.2: the date sits four characters from the right edge and the issuer is
    # centred over the date.
    if doc.issuer:
        offset = max(0.0, 4 + (_width_in_chars(date_text) - _width_in_chars(doc.issuer)) / 2)
        issuer = _add_right_aligned(out, doc.issuer, offset)
        # The 落款 and its date stay on one page (a date alone on the last page is no signature).
        issuer.paragraph_format.keep_with_next = bool(date_text)
    if date_text:
        _add_right_aligned(out, date_text, 4)
    if doc.provisional:
        _add_body_paragraph(out, PROVISIONAL_NOTE)


def _add_right_aligned(out: DocxDocument, text: str, right_chars: float) -> DocxParagraph:
    paragraph = out.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _indent_chars(paragraph.paragraph_format, right=right_chars)
    _add_run(paragraph, text, FONT_FANGSONG, SIZE_BODY)
    return paragraph


def _width_in_chars(text: str) -> float:
    """Width in full-width characters: ASCII (digits in a date) is half width."""
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)


# --- tables ------------------------------------------------------------------------------------


def table_font_size(n_cols: int) -> Length:
    if n_cols <= 4:
        return Pt(14)  # 四号
    if n_cols <= 7:
        return Pt(12)  # 小四
    if n_cols <= 10:
        return Pt(10.5)  # 五号
    return Pt(9)  # 小五


def column_widths(table: Table, grid: Grid) -> list[int]:
    """Column widths in twips, summing to the text width.

    Without explicit relative widths, a column's weight is the length of its longest unspanned
    text, clamped to 4..12 characters: short headings share the width evenly (a 15-column table
    gets equal columns) and long labels wrap instead of squeezing the figures.
    """
    if len(table.column_widths) == grid.n_cols and sum(table.column_widths) > 0:
        weights = [max(w, 0.0) for w in table.column_widths]
    else:
        weights = [4.0] * grid.n_cols
        for placed in grid.cells:
            if placed.colspan == 1:
                length = min(max(_width_in_chars(placed.cell.text), 4.0), 12.0)
                weights[placed.col] = max(weights[placed.col], length)
    total_weight = sum(weights)
    # Rounding the cumulative edges spreads the rounding error instead of piling it on one column.
    edges = [0.0, *itertools.accumulate(weights)]
    bounds = [round(TEXT_WIDTH.twips * edge / total_weight) for edge in edges]
    return [right - left for left, right in itertools.pairwise(bounds)]


def _add_chart(out: DocxDocument, chart: Chart) -> None:
    """The chart as a picture the width of the text, its title above as a table's caption;
    without a CJK font to draw it, its figures as a table (never a picture of empty boxes)."""
    picture = charts.png(chart)
    if picture is None:
        _add_table(out, replace(chart.as_table(links=False), caption=chart.title))
        return
    caption = out.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    _add_run(caption, chart.title, FONT_HEI, SIZE_BODY)
    holder = out.add_paragraph()
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    holder.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # a fixed pitch clips it
    holder.add_run().add_picture(io.BytesIO(picture), width=TEXT_WIDTH)
    if chart.note:
        note = out.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_run(note, chart.note, FONT_FANGSONG, Pt(12))


def _add_table(out: DocxDocument, table: Table) -> None:
    grid = table_grid(table)
    if grid.n_cols == 0:
        return
    if table.caption:
        caption = out.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.keep_with_next = True
        _add_run(caption, table.caption, FONT_HEI, SIZE_BODY)
    docx_table = out.add_table(rows=grid.n_rows, cols=grid.n_cols)
    docx_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = column_widths(table, grid)
    _set_table_properties(docx_table, widths, wide=grid.n_cols > 10)
    for row in docx_table.rows:
        for c, cell in enumerate(row.cells):
            cell.width = Twips(widths[c])
    # python-docx's table.cell() rebuilds the whole grid on every call (quadratic); take the
    # unmerged grid once. Merging keeps each top-left <w:tc>, so these objects stay valid.
    flat = docx_table._cells
    at = {(p.row, p.col): flat[p.row * grid.n_cols + p.col] for p in grid.cells}
    for placed in grid.cells:
        if placed.rowspan > 1 or placed.colspan > 1:
            last_row, last_col = placed.row + placed.rowspan - 1, placed.col + placed.colspan - 1
            at[(placed.row, placed.col)].merge(flat[last_row * grid.n_cols + last_col])
    size = table_font_size(grid.n_cols)
    _format_cell_paragraphs(docx_table, size)
    header_rows = len(table.header)
    for placed in grid.cells:
        _fill_cell(at[(placed.row, placed.col)], placed, size, header=placed.row < header_rows)
    for r, row in enumerate(docx_table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if r < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))


def _set_table_properties(docx_table: DocxTable, widths: list[int], wide: bool) -> None:
    tbl = docx_table._tbl
    tbl_pr = tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_pr.append(_borders())
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    margin = 40 if wide else 85  # twips; wide tables need every millimetre for the figures
    tbl_pr.append(_cell_margins(margin))
    _reorder_tbl_pr(tbl_pr)
    for grid_col, width in zip(tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = Twips(width)


# CT_TblPr's schema order; Word rejects out-of-order children.
_TBL_PR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
]


def _reorder_tbl_pr(tbl_pr: BaseOxmlElement) -> None:
    def position(element: BaseOxmlElement) -> int:
        local = element.tag.split("}")[-1]
        return _TBL_PR_ORDER.index(local) if local in _TBL_PR_ORDER else len(_TBL_PR_ORDER)

    children = sorted(tbl_pr, key=position)
    for child in children:
        tbl_pr.remove(child)
        tbl_pr.append(child)


def _borders() -> BaseOxmlElement:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), "4")
        border.set(qn("w:space"), "0")
        border.set(qn("w:color"), "000000")
        borders.append(border)
    return borders


def _cell_margins(side_twips: int) -> BaseOxmlElement:
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", 0), ("left", side_twips), ("bottom", 0), ("right", side_twips)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(value))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    return margins


def _format_cell_paragraphs(docx_table: DocxTable, size: Length) -> None:
    """Single spacing and no indent in cells, including empty ones (they inherit Normal)."""
    for p in docx_table._tbl.iter(qn("w:p")):
        paragraph = DocxParagraph(p, docx_table)
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p_pr = p.get_or_add_pPr()
        mark = OxmlElement("w:rPr")
        _set_size(mark, size)
        p_pr.append(mark)
    for tc in docx_table._tbl.iter(qn("w:tc")):
        tc.get_or_add_tcPr().vAlign_val = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _fill_cell(target: _Cell, placed: PlacedCell, size: Length, header: bool) -> None:
    cell = placed.cell
    paragraph = target.paragraphs[0]
    paragraph.alignment = _cell_alignment(cell, header)
    _add_run(paragraph, cell.text, FONT_FANGSONG, size, bold=header or cell.bold)
    if cell.note:
        _add_run(paragraph, f"（{cell.note}）", FONT_FANGSONG, Length(size - Pt(2)))


def _cell_alignment(cell: Cell, header: bool) -> WD_ALIGN_PARAGRAPH:
    explicit = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }
    if cell.align in explicit:
        return explicit[cell.align]
    if header or is_numeric(cell):
        return WD_ALIGN_PARAGRAPH.CENTER
    return WD_ALIGN_PARAGRAPH.LEFT


# --- footer ------------------------------------------------------------------------------------


def _add_page_number(paragraph: DocxParagraph) -> None:
    """GB/T 9704 7.5: 四号半角宋体 Arabic numerals with an em dash on each side."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _folio_run(paragraph, "— ")
    _folio_run(paragraph)._r.append(_field_char("begin"))
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    _folio_run(paragraph)._r.append(instruction)
    _folio_run(paragraph)._r.append(_field_char("separate"))
    _folio_run(paragraph, "1")
    _folio_run(paragraph)._r.append(_field_char("end"))
    _folio_run(paragraph, " —")


def _folio_run(paragraph: DocxParagraph, text: str = "") -> Run:
    run = paragraph.add_run(text)
    run.font.size = SIZE_FOLIO
    _set_fonts(run._r.get_or_add_rPr(), FONT_SONG, latin=FONT_SONG)
    return run


def _field_char(kind: str) -> BaseOxmlElement:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


# --- runs and low-level formatting -------------------------------------------------------------


def _add_run(
    paragraph: DocxParagraph, text: str, font: str, size: Length, bold: bool = False
) -> Run:
    # Stored text is cleaned on save; cleaning again here means no stored value can make the
    # document unwritable (XML cannot hold most control characters).
    run = paragraph.add_run(strip_controls(text))
    run.font.size = size
    if bold:
        run.font.bold = True
    _set_fonts(run._r.get_or_add_rPr(), font)
    return run


def _set_fonts(rpr: BaseOxmlElement, east_asia: str, latin: str = FONT_LATIN) -> None:
    """Explicit font names in every slot; theme attributes would take precedence, so drop them."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        fonts.attrib.pop(attr)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _set_size(rpr: BaseOxmlElement, size: Length) -> None:
    half_points = str(round(size.pt * 2))
    for tag in ("w:sz", "w:szCs"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), half_points)
        rpr.append(element)


def _fixed_line(fmt: ParagraphFormat, pitch: Length) -> None:
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = pitch


def _indent_chars(fmt: ParagraphFormat, first_line: float = 0, right: float = 0) -> None:
    """Indent in characters (w:firstLineChars / w:rightChars) with a 三号 twips fallback."""
    if first_line:
        fmt.first_line_indent = Pt(SIZE_BODY.pt * first_line)
    if right:
        fmt.right_indent = Pt(SIZE_BODY.pt * right)
    ind = fmt._element.get_or_add_pPr().find(qn("w:ind"))
    if ind is None:
        return
    if first_line:
        ind.set(qn("w:firstLineChars"), str(round(first_line * 100)))
    if right:
        ind.set(qn("w:rightChars"), str(round(right * 100)))
