"""Fuzz the import readers: .xlsx and .xls through read_table, and CSV.

Inputs are valid workbooks built from a small grammar of sheet XML and BIFF records, then
given odd attributes, odd members and flipped bytes. read_table must always return a
ParseResult (never raise), quickly, without the process dying on an allocation.
"""

from __future__ import annotations

import io
import warnings
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from fazhi.core.imports import Column, ImportSpec, ParseResult, parse_date, read_table
from fazhi.core.imports.tests import builders as b
from tests.fuzz.profiles import FUZZ, MUTATION, mutate, within

SPEC = ImportSpec(
    "测试",
    (Column("申请编号", "number"), Column("收到日期", "received_on", parse_date, allow_blank=True)),
    key="number",
)

_REF = st.one_of(
    st.builds(
        lambda c, r: f"{c}{r}", st.sampled_from(["A", "B", "C", "a", "Z", "AA"]), st.integers(1, 40)
    ),
    st.sampled_from(
        ["", "A0", "XFD1048576", "XFE1", "AAAA1", "$A$1", "A99999999", "A1B", "1", "A", "a01"]
    ),
)
_CONTENT = st.one_of(
    st.sampled_from(
        [
            "<v>1</v>", "<v></v>", "<v/>", "<v>abc</v>", "<v>0</v>", "<v>99</v>", "<v>1e308</v>",
            "<v>-1</v>", "<is><t>申请编号</t></is>", "<is/>", "<is><r><t>YSQ</t></r><r><t>-1</t></r></is>",
            "<f>1+1</f><v>2</v>", "<f/>", "", " ", "<v>2026-03-01</v>", "<v>46084</v>",
            "<is><t>2026年3月1日</t></is>", "<extLst/>", "<v>&amp;&#20013;&#x4E2D;</v>",
        ]
    ),
    st.text(alphabet="<>&;/\"'= abc申请1", max_size=12).map(lambda t: f"<v>{t}</v>"),
)  # fmt: skip
_TYPE = st.sampled_from(
    ["", ' t="s"', ' t="str"', ' t="inlineStr"', ' t="n"', ' t="b"', ' t="e"', ' t="d"', ' t="x"']
)


@st.composite
def _cell(draw: st.DrawFn) -> str:
    attrs = ""
    if draw(st.booleans()):
        quote = draw(st.sampled_from(['"', "'"]))
        attrs += f" r={quote}{draw(_REF)}{quote}"
    attrs += draw(_TYPE) + draw(st.sampled_from(["", ' s="1"', ' s="999"', " x:r='B2'", ' R="C3"']))
    if draw(st.integers(0, 4)) == 0:
        return f"<c{attrs}/>"
    return f"<c{attrs}>{draw(_CONTENT)}</c>"


@st.composite
def _sheet(draw: st.DrawFn) -> str:
    rows = []
    if draw(st.booleans()):
        rows.append(
            '<row r="1">' + b.inline("A1", "申请编号") + b.inline("B1", "收到日期") + "</row>"
        )
    for _ in range(draw(st.integers(0, 6))):
        r = draw(
            st.one_of(
                st.just(""),
                st.integers(0, 60).map(lambda n: f' r="{n}"'),
                st.sampled_from([' r="abc"', ' r="1048577"', ' r="4294967296"']),
            )
        )
        cells = "".join(draw(st.lists(_cell(), max_size=5)))
        rows.append(f"<row{r}/>" if not cells and draw(st.booleans()) else f"<row{r}>{cells}</row>")
    body = "<sheetData>" + "".join(rows) + "</sheetData>"
    if draw(st.booleans()):
        body = (
            draw(
                st.sampled_from(
                    ['<dimension ref="A1:XFD1048576"/>', '<dimension ref="A1"/>', "<sheetViews/>"]
                )
            )
            + body
        )
    return body


_ODD_MEMBERS = st.dictionaries(
    st.sampled_from(
        [
            "content.xml", "mimetype", "META-INF/manifest.xml", "xl/workbook.bin", "word/document.xml",
            "xl/worksheets/sheet2.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/", "../evil.xml",
            "xl/_rels/workbook.xml.rels", "xl/media/image1.png",
        ]
    ),
    st.sampled_from([b"", b"<x/>", b"<sst><si><t>a</t></si></sst>", b"\x89PNG\r\n\x1a\n" + bytes(64), b"<c r='A1'><v>1</v></c>" * 20]),
    max_size=2,
)  # fmt: skip


def _with_members(data: bytes, members: dict[str, bytes]) -> bytes:
    if not members:
        return data
    buffer = io.BytesIO(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point
        with zipfile.ZipFile(buffer, "a") as zf:
            for name, content in members.items():
                zf.writestr(name, content)
    return buffer.getvalue()


def _read(data: bytes, name: str) -> None:
    with within():
        result = read_table(data, name, SPEC)
    assert isinstance(result, ParseResult)
    assert not (result.rows and result.errors)
    for error in result.errors:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error)), error


@FUZZ
@given(
    sheet=_sheet(),
    strings=st.one_of(
        st.none(),
        st.lists(st.sampled_from(["", "申请编号", "YSQ-1", "2026-03-01", "&amp;"]), max_size=3),
    ),
    members=_ODD_MEMBERS,
    mutation=MUTATION,
    name=st.sampled_from(["台账.xlsx", "台账.xlsm", "台账.xls"]),
)
def test_fuzz_xlsx(
    sheet: str,
    strings: list[str] | None,
    members: dict[str, bytes],
    mutation: tuple[int, int],
    name: str,
) -> None:
    data = _with_members(b.xlsx(sheet, strings=strings), members)
    seed, flips = mutation
    _read(mutate(data, seed, flips) if flips > 3 else data, name)


@st.composite
def _records(draw: st.DrawFn) -> list[bytes]:
    row = st.one_of(st.integers(0, 40), st.sampled_from([65535, 1000]))
    col = st.one_of(st.integers(0, 10), st.sampled_from([255, 256, 0xFFFF]))
    record = st.one_of(
        st.builds(
            b.label, row, col, st.sampled_from(["申请编号", "YSQ-1", "", "收到日期", "2026-03-01"])
        ),
        st.builds(b.number, row, col, st.floats(allow_nan=True)),
        st.builds(b.blank, row, col),
        st.builds(
            b.formula, row, col, st.binary(max_size=8), st.one_of(st.none(), st.integers(0, 50))
        ),
        st.builds(b.string, st.sampled_from(["", "YSQ-2", "申请编号"])),
        st.builds(lambda r: b.record(0x0006, r[4 : 4 + 20]), st.builds(b.formula, row, col)),
        st.builds(
            b.dimensions,
            st.integers(0, 70000),
            st.integers(0, 70000),
            st.integers(0, 300),
            st.integers(0, 300),
        ),
        st.builds(
            b.record,
            st.sampled_from(
                [
                    0x00BD,
                    0x00BE,
                    0x0205,
                    0x0006,
                    0x00FD,
                    0x027E,
                    0x00D6,
                    0x0207,
                    0x003C,
                    0x0809,
                    0x000A,
                ]
            ),
            st.binary(max_size=40),
        ),
    )
    return draw(st.lists(record, max_size=8))


@FUZZ
@given(
    sheets=st.lists(_records(), min_size=1, max_size=3),
    header=st.booleans(),
    mutation=MUTATION,
    name=st.sampled_from(["台账.xls", "台账.xlsx"]),
)
def test_fuzz_xls(
    sheets: list[list[bytes]], header: bool, mutation: tuple[int, int], name: str
) -> None:
    if header:
        sheets[0] = [b.label(0, 0, "申请编号"), b.label(0, 1, "收到日期"), *sheets[0]]
    data = b.xls(sheets)
    seed, flips = mutation
    _read(mutate(data, seed, flips) if flips > 3 else data, name)


_CSV_TEXT = st.lists(
    st.one_of(
        st.sampled_from(["申请编号", "收到日期", ",", '"', '""', "\n", "\r\n", "\t", "YSQ-1", "2026-03-01", "=1+1", "\x00", "\ufeff"]),
        st.text(max_size=8),
    ),
    max_size=40,
).map("".join)  # fmt: skip


@FUZZ
@given(
    text=_CSV_TEXT,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    mutation=MUTATION,
)
def test_fuzz_csv(text: str, encoding: str, mutation: tuple[int, int]) -> None:
    data = ("申请编号,收到日期\n" + text).encode(encoding, "replace")
    seed, flips = mutation
    _read(mutate(data, seed, flips) if flips > 3 else data, "台账.csv")
