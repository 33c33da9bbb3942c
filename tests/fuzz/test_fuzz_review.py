"""Fuzz the report reader for each format: only UnreadableReport, never a crash, hang or OOM.

The readers run in-process here (Budget.isolate=False, small budgets) so the fuzzer reaches
the parsers quickly; the child process that bounds them in production is tested in
fazhi/review/tests/test_hostile_reports.py. A MemoryError behind a refusal is a failure too:
the budgets must refuse before the libraries allocate without bound.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from fazhi.review.api import review_text
from fazhi.review.reading import DEFAULT_BUDGET, ReadResult, UnreadableReport, read_bytes
from fazhi.review.tests import craft
from fazhi.review.tests.synthetic import FAZHI_CLEAN, XXGK_CLEAN
from tests.fuzz.profiles import FUZZ, MUTATION, mutate, within

KB = 1024
BUDGET = replace(
    DEFAULT_BUDGET,
    isolate=False,
    max_chars=200_000,
    max_page_content=256 * KB,
    max_pdf_content=1024 * KB,
    max_document_bytes=2 * 1024 * KB,
)


def _read(name: str, data: bytes) -> None:
    refused: UnreadableReport | None = None
    with within():
        try:
            result = read_bytes(name, data, BUDGET)
        except UnreadableReport as exc:
            refused = exc
    if refused is not None:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused)), refused
        cause = refused.__cause__
        while cause is not None:
            assert not isinstance(cause, MemoryError), "allocation not bounded by the budget"
            cause = cause.__cause__
        return
    with within():
        assert isinstance(result, ReadResult)
        assert len(result.text) <= BUDGET.max_chars
        if len(result.text) < 5000:
            review_text(result.text, name, published_hint=result.published_hint)


_PIECES = st.sampled_from(
    ["一、", "（一）", "1.", "其中", "共", "件", "%", "|", "\n", "2023年", "街道", "\r", "\t", "\x00", "\ufeff", "\u200b"]
)  # fmt: skip
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=10)), max_size=40).map("".join)


@FUZZ
@given(
    text=st.one_of(_TEXT, st.sampled_from([FAZHI_CLEAN, XXGK_CLEAN])),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    mutation=MUTATION,
)
def test_fuzz_txt(text: str, encoding: str, mutation: tuple[int, int]) -> None:
    seed, flips = mutation
    _read("report.txt", mutate(text.encode(encoding, "replace"), seed, flips))


_TAGS = ["p", "div", "table", "tr", "td", "th", "script", "style", "nav", "br", "span", "ul", "li", "iframe", "form", "h1", "tbody", "font"]  # fmt: skip
_CLASSES = ["", "breadcrumb", "print", "content", "top-bar", "share", "info", "xgxx"]


@st.composite
def _html(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 5))
        if kind == 0 and depth < 6:
            tag = draw(st.sampled_from(_TAGS))
            cls = draw(st.sampled_from(_CLASSES))
            attrs = f' class="{cls}"' if cls else ""
            attrs += draw(
                st.sampled_from(["", ' id="nav"', " colspan=x", ' style="a>b"', " onload='x'"])
            )
            closing = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}"]))
            parts.append(f"<{tag}{attrs}>{draw(_html(depth + 1))}{closing}")
        elif kind == 1:
            parts.append(
                draw(
                    st.sampled_from(
                        [
                            "&nbsp;",
                            "&#20013;",
                            "&#x0;",
                            "&bogus;",
                            "<!-- c -->",
                            "<![CDATA[x]]>",
                            "<?xml ?>",
                            "</",
                            "<",
                            ">",
                            "发布时间：2024-02-22",
                        ]
                    )
                )
            )
        else:
            parts.append(draw(_TEXT))
    return "".join(parts)


@FUZZ
@given(body=_html(), mutation=MUTATION)
def test_fuzz_html(body: str, mutation: tuple[int, int]) -> None:
    seed, flips = mutation
    page = f"<!DOCTYPE html><html><head><title>报告</title></head><body>{body}</body></html>"
    _read("report.html", mutate(page.encode("utf-8"), seed, flips))


_BASE_DOCX = craft.docx_with_table(
    [["项目", "数量", "备注"], ["行政复议", "3", ""], ["合计", "3", "无"]]
)
_SOURCE = zipfile.ZipFile(io.BytesIO(_BASE_DOCX))
_DOCUMENT = _SOURCE.read("word/document.xml").decode()
_PROPS = [
    "<w:vMerge/>", '<w:vMerge w:val="restart"/>', '<w:vMerge w:val="x"/>', '<w:gridSpan w:val="x"/>',
    '<w:gridSpan w:val="0"/>', '<w:gridSpan w:val="-1"/>', '<w:gridSpan w:val="99999"/>', '<w:hMerge/>',
    "<w:tcW/>", '<w:tcW w:w="abc" w:type="dxa"/>',
]  # fmt: skip
_INSERTS = ["<w:tbl>", "</w:tbl>", "<w:tr>", "</w:tr>", "<w:tc>", "</w:tc>", "<w:p/>", '<w:t xml:space="preserve"> </w:t>', "<w:br/>", "<w:tab/>", "&#0;", "<x:unknown xmlns:x='u'/>", "<w:sdt><w:sdtContent><w:p><w:r><w:t>内容</w:t></w:r></w:p></w:sdtContent></w:sdt>"]  # fmt: skip


@st.composite
def _docx(draw: st.DrawFn) -> bytes:
    xml = _DOCUMENT
    cells = xml.split("<w:tcPr>")
    for index in draw(st.lists(st.integers(1, len(cells) - 1), max_size=4)):
        cells[index] = draw(st.sampled_from(_PROPS)) + cells[index]
    xml = "<w:tcPr>".join(cells)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(xml)))
        at = xml.rfind(">", 0, at) + 1
        xml = xml[:at] + draw(st.sampled_from(_INSERTS)) + xml[at:]
    out = io.BytesIO()
    members = {i.filename: _SOURCE.read(i) for i in _SOURCE.infolist()}
    members["word/document.xml"] = xml.encode()
    for name in draw(st.lists(st.sampled_from(list(members)), max_size=2)):
        members[name] = draw(st.sampled_from([b"", b"<x/>", b"garbage"]))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return out.getvalue()


@FUZZ
@given(data=_docx(), mutation=MUTATION)
def test_fuzz_docx(data: bytes, mutation: tuple[int, int]) -> None:
    seed, flips = mutation
    _read("report.docx", mutate(data, seed, flips) if flips > 4 else data)


_PDF_VALUES = st.sampled_from(
    [
        b"1 0 R", b"2 0 R", b"3 0 R", b"99 0 R", b"0", b"-1", b"1e9", b"()", b"(abc)", b"<>", b"<4142>",
        b"[]", b"[1 0 R]", b"[2 0 R 2 0 R]", b"null", b"true", b"/Name", b"<< >>", b"[0 0 595 842]",
    ]
)  # fmt: skip
_PDF_KEYS = st.sampled_from([b"/Type", b"/Pages", b"/Kids", b"/Count", b"/Parent", b"/Contents", b"/MediaBox", b"/Resources", b"/Font", b"/Filter", b"/Length", b"/Root"])  # fmt: skip
_OPS = st.sampled_from([b"BT", b"ET", b"/F1 12 Tf", b"(\xe6\xb3\x95) Tj", b"[(a) -10 (b)] TJ", b"1 0 0 1 72 700 Tm", b"T*", b"q", b"Q", b"0 0 Td", b"(x) '", b"<FEFF6CD5> Tj", b"9999999 TL", b"/F9 0 Tf"])  # fmt: skip


@st.composite
def _pdf(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        content = b"\n".join(draw(st.lists(_OPS, max_size=30)))
        return craft.pdf_pages(content, draw(st.integers(1, 3)), shared=draw(st.booleans()))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for _ in range(draw(st.integers(1, 5))):
        pairs = draw(st.lists(st.tuples(_PDF_KEYS, _PDF_VALUES), max_size=5))
        body = b"<< " + b" ".join(k + b" " + v for k, v in pairs) + b" >>"
        if draw(st.integers(0, 4)) == 0:
            body = craft.stream(
                b"\n".join(draw(st.lists(_OPS, max_size=10))), compress=draw(st.booleans())
            )
        objects.append(body)
    return craft.pdf(objects)


@FUZZ
@given(data=_pdf(), mutation=MUTATION)
def test_fuzz_pdf(data: bytes, mutation: tuple[int, int]) -> None:
    seed, flips = mutation
    _read("report.pdf", mutate(data, seed, flips) if flips > 3 else data)
