"""The workbook guard computes what calamine will allocate, for every format it reads.

Each hostile file here is a few KB and, before the guard knew it, made calamine ask for
gigabytes (or abort the process), or read a sheet the guard never looked at.
"""

from __future__ import annotations

import io
import random
import warnings
import zipfile

import pytest
import python_calamine
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.core.imports import Column, ImportSpec, ParseResult, read_table
from fazhi.core.imports.tests import builders as b
from fazhi.core.imports.xlsxguard import (
    MAX_CELL_CHARS,
    area_error,
    cell_text_error,
    sheet_cost,
)

SPEC = ImportSpec("测试", (Column("申请编号", "number"),), key="number")
AREA = str(area_error())
TEXT = str(cell_text_error())
HEADER = b.inline("A1", "申请编号")


def only_message(result: ParseResult) -> str:
    assert result.rows == [], result.rows
    assert len(result.errors) == 1, result.errors
    return str(result.errors[0])


def calamine_cost(data: bytes) -> int:
    """What calamine's iter_rows really produces for the first sheet."""
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as wb:
        sheet = wb.get_sheet_by_index(0)
        return sum(len(row) for row in sheet.iter_rows())


# Cells placed by position, the way calamine does (rows without r, cells without r).
PLACEMENT = [
    (
        "no references",
        "<sheetData><row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row></sheetData>",
    ),
    (
        "row r, cells by position",
        '<sheetData><row r="3"><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row></sheetData>',
    ),
    (
        "cell r moves the column only",
        '<sheetData><row r="2"><c r="C5"><v>1</v></c><c><v>2</v></c></row></sheetData>',
    ),
    (
        "empty cells advance the column",
        "<sheetData><row><c/><c/><c></c><c><v>1</v></c></row></sheetData>",
    ),
    (
        "self-closed rows advance the row",
        '<sheetData><row/><row r="4"/><row><c><v>1</v></c></row></sheetData>',
    ),
    (
        "lower-case references",
        '<sheetData><row><c r="a1"><v>1</v></c><c r="c3"><v>2</v></c></row></sheetData>',
    ),
    (
        "formatted empty cell far away",
        '<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="Z9" s="1"/></row></sheetData>',
    ),
    (
        "out-of-order rows",
        '<sheetData><row r="5"><c r="A5"><v>1</v></c></row><row r="2"><c r="B2"><v>2</v></c></row></sheetData>',
    ),
    (
        "prefixed elements",
        f'<x:sheetData xmlns:x="{b.MAIN}"><x:row><x:c><x:v>1</x:v></x:c><x:c r="D1"><x:v>2</x:v></x:c></x:row></x:sheetData>',
    ),
    (
        "dimension is ignored",
        '<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="B1"><v>1</v></c></row></sheetData>',
    ),
    (
        "empty string result counts",
        '<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="F1" t="str"><v></v></c></row></sheetData>',
    ),
]


@pytest.mark.parametrize(("case", "data"), PLACEMENT, ids=[c for c, _ in PLACEMENT])
def test_guard_cost_matches_calamine(case: str, data: str) -> None:
    assert sheet_cost(b.sheet(data)) == calamine_cost(b.xlsx(data)), case


_CELL = st.tuples(
    st.booleans(),  # explicit reference
    st.integers(0, 6),  # column
    st.integers(0, 6),  # row offset of the reference
    st.sampled_from(["<v>1</v>", "", "<is><t>x</t></is>", None]),  # None: self-closed
)
_ROW = st.tuples(st.sampled_from([None, 0, 1, 3]), st.booleans(), st.lists(_CELL, max_size=4))


def _render(rows: list[tuple[int | None, bool, list[tuple[bool, int, int, str | None]]]]) -> str:
    out, line = [], 1
    for jump, closed, cells in rows:
        line = line + (jump or 0)
        attr = f' r="{line}"' if jump is not None else ""
        if closed and not cells:
            out.append(f"<row{attr}/>")
        else:
            body = []
            for labelled, col, offset, content in cells:
                ref = f' r="{chr(65 + col)}{line + offset}"' if labelled else ""
                kind = ' t="inlineStr"' if content and "<is>" in content else ""
                body.append(
                    f"<c{ref}{kind}/>" if content is None else f"<c{ref}{kind}>{content}</c>"
                )
            out.append(f"<row{attr}>{''.join(body)}</row>")
        line += 1
    return "<sheetData>" + "".join(out) + "</sheetData>"


@settings(max_examples=150, deadline=None)
@given(st.lists(_ROW, max_size=6))
def test_guard_cost_never_below_calamine(rows: list) -> None:  # type: ignore[type-arg]
    data = _render(rows)
    assert sheet_cost(b.sheet(data)) >= calamine_cost(b.xlsx(data)), data


def _sparse_row() -> str:
    # The probe's file: one row at 1048576, 16 383 empty cells without r, then a value.
    return (
        f'<sheetData><row r="1">{HEADER}</row><row r="1048576">'
        + "<c/>" * 16383
        + "<c><v>1</v></c></row></sheetData>"
    )


HOSTILE_XLSX = [
    ("positional row at the last row", b.xlsx(_sparse_row())),
    (
        "lower-case far reference",
        b.xlsx(f'<sheetData><row r="1">{HEADER}<c r="xfd1048576"><v>1</v></c></row></sheetData>'),
    ),
    (
        "row beyond Excel's limit",
        b.xlsx(
            f'<sheetData><row r="1">{HEADER}</row><row r="4000000000"><c><v>1</v></c></row></sheetData>'
        ),
    ),
    (
        "column beyond Excel's limit",
        b.xlsx(f'<sheetData><row r="1">{HEADER}<c r="AAAAAAA1"><v>1</v></c></row></sheetData>'),
    ),
    (
        "sheet outside xl/worksheets",
        b.xlsx(
            f'<sheetData><row r="1">{HEADER}<c r="XFD1048576"><v>1</v></c></row></sheetData>',
            sheet_path="../elsewhere/data.xml",
        ),
    ),
    (
        "padded rows times width",
        b.xlsx(
            '<sheetData><row r="1048576"><c r="A1048576"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        ),
    ),
]


@pytest.mark.parametrize(("case", "data"), HOSTILE_XLSX, ids=[c for c, _ in HOSTILE_XLSX])
def test_hostile_xlsx_extent_refused(case: str, data: bytes) -> None:
    assert only_message(read_table(data, "台账.xlsx", SPEC)) == AREA, case


@pytest.mark.parametrize("hostile_first", [True, False])
def test_every_duplicate_zip_entry_is_scanned(hostile_first: bool) -> None:
    small = b.sheet(f'<sheetData><row r="1">{HEADER}</row></sheetData>')
    big = b.sheet(f'<sheetData><row r="1">{HEADER}<c r="XFD1048576"><v>1</v></c></row></sheetData>')
    first, second = (big, small) if hostile_first else (small, big)
    buffer = io.BytesIO(b.xlsx("", raw_sheet=first))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the duplicate name is the point
        with zipfile.ZipFile(buffer, "a") as zf:
            zf.writestr("xl/worksheets/sheet1.xml", second)
    assert only_message(read_table(buffer.getvalue(), "台账.xlsx", SPEC)) == AREA


def test_a_cell_with_two_references_is_refused() -> None:
    # calamine takes the last r, a regex the first: A1 here, XFD1048576 there.
    cell = '<c r="A1" r="XFD1048576"><v>1</v></c>'
    data = b.xlsx(f'<sheetData><row r="1">{HEADER}</row><row r="2">{cell}</row></sheetData>')
    assert only_message(read_table(data, "台账.xlsx", SPEC)) == "文件已损坏，无法读取"


def _ods() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", "<manifest/>")
        zf.writestr("content.xml", "<office:document-content/>")
        zf.writestr("xl/workbook.xml", "<broken")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_ods(), "文件是 OpenDocument 表格（.ods），请用 Excel 或 WPS 另存为 .xlsx 后上传"),
        (
            b.xlsx("<sheetData/>", extra={"xl/workbook.bin": b"\x00"}),
            "文件是 Excel 二进制工作簿（.xlsb），请另存为 .xlsx 后上传",
        ),
        (
            b.xlsx("", raw_sheet=b.sheet("<sheetData/>").decode().encode("utf-16")),
            "文件已损坏，无法读取",
        ),
        (b"%PDF-1.4 not a workbook", "文件不是有效的 Excel 文件（.xlsx）"),
    ],
)
def test_other_formats_refused_by_content(data: bytes, message: str) -> None:
    assert only_message(read_table(data, "台账.xlsx", SPEC)) == message


def _chinese(n: int) -> str:
    rng = random.Random(n)
    return "".join(rng.choice("申请公开政府信息街道办事处") for _ in range(n))


@pytest.mark.parametrize(
    ("case", "data"),
    [
        (
            "shared string",
            b.xlsx(
                f'<sheetData><row r="1">{HEADER}</row><row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData>',
                strings=[_chinese(MAX_CELL_CHARS + 1)],
            ),
        ),
        (
            "shared string in rich runs",
            b.xlsx(
                f'<sheetData><row r="1">{HEADER}</row><row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData>',
                strings=f'<sst xmlns="{b.MAIN}"><si>{("<r><t>" + _chinese(20_000) + "</t></r>") * 2}</si></sst>'.encode(),
            ),
        ),
        (
            "inline string",
            b.xlsx(
                f'<sheetData><row r="1">{HEADER}</row><row r="2">{b.inline("A2", "x" * (MAX_CELL_CHARS + 1))}</row></sheetData>'
            ),
        ),
        (
            "number text",
            b.xlsx(
                f'<sheetData><row r="1">{HEADER}</row><row r="2"><c r="A2"><v>{"9" * 100_000}</v></c></row></sheetData>'
            ),
        ),
        (
            "giant cell",
            b.xlsx(
                f'<sheetData><row r="1">{HEADER}</row><row r="2">{b.inline("A2", _chinese(2_000_000))}</row></sheetData>'
            ),
        ),
    ],
)
def test_cell_text_beyond_excel_limit_refused(case: str, data: bytes) -> None:
    assert only_message(read_table(data, "台账.xlsx", SPEC)) == TEXT, case


def test_cell_text_at_excel_limit_reads() -> None:
    longest = "&amp;" + _chinese(MAX_CELL_CHARS - 1)
    data = b.xlsx(
        f'<sheetData><row r="1">{HEADER}</row><row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData>',
        strings=[longest],
    )
    result = read_table(data, "台账.xlsx", SPEC)
    assert result.ok, result.errors
    assert len(result.rows[0].values["number"]) == MAX_CELL_CHARS


# --- .xls -----------------------------------------------------------------------------


def test_legit_xls_reads_whatever_its_name() -> None:
    data = b.xls([[b.label(0, 0, "申请编号"), b.label(1, 0, "YSQ-1"), b.blank(60000, 200)]])
    for name in ("台账.xls", "台账.xlsx"):
        result = read_table(data, name, SPEC)
        assert result.ok, result.errors
        assert [r.values for r in result.rows] == [{"number": "YSQ-1"}]


def _hidden_sheet() -> bytes:
    hidden = b.bof(0x10) + b.label(0, 0, "x") + b.number(65535, 255, 1) + b.record(0x000A)
    stream = b.biff([[b.label(0, 0, "申请编号")]], hidden=hidden)
    at = stream.index(hidden)
    # Point the only BOUNDSHEET at the sheet hidden inside a padding record.
    marker = b.record(0x0085)[:2]
    pos = stream.index(marker)
    patched = stream[: pos + 4] + at.to_bytes(4, "little") + stream[pos + 8 :]
    return b.compound(patched)


HOSTILE_XLS = [
    (
        "dimensions claim 4 billion rows",
        b.xls([[b.dimensions(0, 0xFFFFFFFF, 0, 0xFFFF), b.label(0, 0, "申请编号")]]),
    ),
    ("corner cells", b.xls([[b.label(0, 0, "申请编号"), b.number(65535, 255, 1)]])),
    ("column beyond 256", b.xls([[b.label(0, 0, "申请编号"), b.number(200, 0xFFFF, 1)]])),
    (
        "second sheet",
        b.xls([[b.label(0, 0, "申请编号")], [b.label(0, 0, "x"), b.number(65535, 255, 1)]]),
    ),
    ("sheet hidden from a sequential reader", _hidden_sheet()),
    # A STRING with no FORMULA before it lands at A1 (found by the fuzzer).
    ("formula string without a formula", b.xls([[b.string("x"), b.number(65535, 256, 1)]])),
]


@pytest.mark.parametrize(("case", "data"), HOSTILE_XLS, ids=[c for c, _ in HOSTILE_XLS])
@pytest.mark.parametrize("name", ["台账.xls", "台账.xlsx"])
def test_hostile_xls_refused(case: str, data: bytes, name: str) -> None:
    assert only_message(read_table(data, name, SPEC)) == AREA, case


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b.xls([[b.label(0, 0, "a")]], globals_extra=b.record(0x002F, bytes(6))),
            "文件设有密码，请取消密码保护后重新上传",
        ),
        (
            b.compound(bytes(5000), name="WordDocument"),
            "文件是 Word 文档，不是有效的 Excel 文件（.xls）",
        ),
        (b.xls([[b.label(0, 0, "a")]])[:1536], "文件不是有效的 Excel 文件（.xls）"),
        # A FORMULA cut before its token length makes calamine panic (pyo3's PanicException
        # is a BaseException, not an Exception).
        (b.xls([[b.record(0x0006, b.formula(1, 1)[4:24])]]), "文件不是有效的 Excel 文件（.xls）"),
    ],
)
def test_odd_compound_files(data: bytes, message: str) -> None:
    assert only_message(read_table(data, "台账.xls", SPEC)) == message
