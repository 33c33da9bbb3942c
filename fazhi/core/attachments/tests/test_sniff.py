"""The type comes from the content: an allowlist, checked inside zips and OLE2 files."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable

import pytest

from fazhi.core.attachments.sniff import ACCEPTED, Refused, human_size, inspect
from fazhi.core.attachments.tests import samples as s

LIMIT = 10 * 1024 * 1024


def kind_of(data: bytes) -> tuple[str, str]:
    found = inspect(io.BytesIO(data), limit=LIMIT)
    return found.type.content_type, found.type.label


def refusal(data: bytes) -> str:
    with pytest.raises(Refused) as caught:
        inspect(io.BytesIO(data), limit=LIMIT)
    return str(caught.value)


ACCEPTS: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("pdf", lambda: s.PDF, "application/pdf", "PDF 文档"),
    ("jpeg", lambda: s.JPEG, "image/jpeg", "JPEG 图片"),
    ("png", lambda: s.PNG, "image/png", "PNG 图片"),
    (
        "docx",
        s.docx_file,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word 文档",
    ),
    (
        "xlsx",
        s.xlsx_file,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel 表格",
    ),
    ("doc", s.doc_file, "application/msword", "Word 文档（97-2003）"),
    ("xls", s.xls_file, "application/vnd.ms-excel", "Excel 表格（97-2003）"),
    ("ofd", s.ofd_file, "application/ofd", "OFD 版式文件"),
    ("utf-8 text", lambda: s.TEXT, "text/plain; charset=utf-8", "文本文件"),
    ("utf-8 text, BOM", lambda: b"\xef\xbb\xbf" + s.TEXT, "text/plain; charset=utf-8", "文本文件"),
    (
        "gb18030 text",
        lambda: s.TEXT.decode().encode("gb18030"),
        "text/plain; charset=gb18030",
        "文本文件",
    ),
    (
        "text starting with <<",
        lambda: "<<条例>>第三十条\n".encode(),
        "text/plain; charset=utf-8",
        "文本文件",
    ),
]


@pytest.mark.parametrize(
    ("case", "make", "content_type", "label"), ACCEPTS, ids=[a[0] for a in ACCEPTS]
)
def test_accepted_types(
    case: str, make: Callable[[], bytes], content_type: str, label: str
) -> None:
    assert kind_of(make()) == (content_type, label)


REFUSES: list[tuple[str, Callable[[], bytes], str]] = [
    ("exe", lambda: s.EXE, "不支持该文件类型"),
    ("elf", lambda: s.ELF, "不支持该文件类型"),
    ("gif", lambda: s.GIF, "不支持该文件类型"),
    ("7z", lambda: s.SEVEN_ZIP, "不支持该文件类型"),
    ("rar", lambda: s.RAR, "不支持该文件类型"),
    ("html", lambda: s.HTML, "网页、SVG 或 XML"),
    ("html after a BOM and blanks", lambda: b"\xef\xbb\xbf \n<html><body>x</body></html>", "网页"),
    ("svg", lambda: s.SVG, "网页、SVG 或 XML"),
    ("xml", lambda: s.XML, "网页、SVG 或 XML"),
    ("utf-16 text", lambda: "补正说明".encode("utf-16"), "不支持该文件类型"),
    ("text with NUL", lambda: s.TEXT + b"\x00", "不支持该文件类型"),
    ("text with binary controls", lambda: s.TEXT + b"\x01\x02\x03", "不支持该文件类型"),
    ("neither utf-8 nor gb18030", lambda: b"abc\xff\xfe\x80def", "不支持该文件类型"),
    ("plain zip", lambda: s.zipped({"a.txt": b"x"}), "不支持上传压缩包"),
    ("docm", s.docm_file, "含有宏"),
    ("xlsm", s.xlsm_file, "含有宏"),
    ("docx carrying vbaProject.bin", s.docx_with_vba_only, "含有宏"),
    ("pptx", s.pptx_file, "该类型的 Office 文件"),
    ("docx without its main part", s.docx_without_main_part, "该类型的 Office 文件"),
    ("content types with a DTD", s.docx_with_doctype, "不支持该文件类型"),
    ("OFD.xml that is not OFD", lambda: s.zipped({"OFD.xml": b"<html/>"}), "不支持该文件类型"),
    ("truncated zip", lambda: s.docx_file()[:300], "文件已损坏"),
    ("ole2 without a document", lambda: s.ole2({"SummaryInformation": b"x"}), "不支持该文件类型"),
    ("doc with macros", lambda: s.ole2({"WordDocument": b"x"}, ("Macros",)), "含有宏"),
    ("xls with macros", lambda: s.ole2({"Workbook": b"x"}, ("_VBA_PROJECT_CUR",)), "含有宏"),
    (
        "password-protected docx",
        lambda: s.ole2({"EncryptionInfo": b"x", "EncryptedPackage": b"x"}),
        "设有密码",
    ),
    ("truncated ole2", lambda: s.doc_file()[:700], "文件已损坏"),
]


@pytest.mark.parametrize(("case", "make", "message"), REFUSES, ids=[r[0] for r in REFUSES])
def test_refused_types(case: str, make: Callable[[], bytes], message: str) -> None:
    assert message in refusal(make())


def test_refusal_names_what_is_accepted() -> None:
    message = refusal(s.EXE)
    assert ACCEPTED in message
    for name in ("PDF", ".docx", ".xls", "OFD", "JPEG", "PNG", "纯文本"):
        assert name in ACCEPTED


def test_zip_with_too_many_members_is_refused() -> None:
    many = s.zipped({f"f{i}": b"" for i in range(10_001)}, zipfile.ZIP_STORED)
    assert "解压后过大" in refusal(many)


def test_zip_bomb_member_is_refused() -> None:
    bomb = s.zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (5 << 20)})
    assert "解压后过大" in refusal(bomb)


def test_hash_and_size_are_those_of_the_content() -> None:
    data = s.docx_file()
    found = inspect(io.BytesIO(data), limit=LIMIT)
    assert found.sha256 == hashlib.sha256(data).hexdigest()
    assert found.size == len(data)


def test_size_limit_is_inclusive() -> None:
    data = b"x" * 1000
    assert inspect(io.BytesIO(data), limit=1000).size == 1000
    with pytest.raises(Refused, match="附件上限为 1000 字节"):
        inspect(io.BytesIO(data + b"x"), limit=1000)


def test_empty_file_is_refused() -> None:
    assert "文件为空" in refusal(b"")


def test_stream_is_left_at_its_start() -> None:
    fp = io.BytesIO(s.PDF)
    fp.seek(5)
    inspect(fp, limit=LIMIT)
    assert fp.tell() == 0


@pytest.mark.parametrize(
    ("n", "shown"),
    [
        (0, "0 字节"),
        (1023, "1023 字节"),
        (1024, "1 KB"),
        (1536, "1.5 KB"),
        (20 << 20, "20 MB"),
        (200 << 30, "200 GB"),
    ],
)
def test_human_size(n: int, shown: str) -> None:
    assert human_size(n) == shown
