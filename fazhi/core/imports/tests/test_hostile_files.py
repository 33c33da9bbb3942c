"""Malformed, oversized and malicious uploads: each gets one Chinese message, never a traceback."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.core.imports import Column, ImportSpec, ParseResult, read_table, write_xlsx
from fazhi.core.imports.xlsxguard import area_error

MB = 1024 * 1024
SPEC = ImportSpec("测试", (Column("申请编号", "number"),), key="number")
NOT_XLSX = "文件不是有效的 Excel 文件（.xlsx）"
BOMB = "文件解压后过大，疑似损坏或恶意文件"


def only_message(result: ParseResult) -> str:
    assert result.rows == []
    assert len(result.errors) == 1, result.errors
    assert result.errors[0].line is None
    return str(result.errors[0])


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buffer.getvalue()


def write_zeros_member(path: Path, size: int) -> None:
    """Stream ``size`` zero bytes into one deflated member without holding them in memory."""
    chunk = bytes(MB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(size // MB):
                member.write(chunk)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "台账.xlsx", NOT_XLSX),
        (bytes(range(256)) * 4, "台账.xlsx", NOT_XLSX),
        (b"", "台账.xlsx", NOT_XLSX),
        (b"PK\x03\x04 truncated", "台账.xlsx", NOT_XLSX),
        (b"garbage", "台账.xls", "文件不是有效的 Excel 文件（.xls）"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "台账.xls",
            "文件不是有效的 Excel 文件（.xls）",
        ),
        (b"garbage", "台账.ods", "不支持的文件类型「.ods」，请上传 .xlsx 或 .csv 文件"),
        (
            zip_bytes({"word/document.xml": b"<w/>"}),
            "台账.xlsx",
            "文件是 Word 文档，不是有效的 Excel 文件（.xlsx）",
        ),
        (zip_bytes({"hello.txt": b"hi"}), "台账.xlsx", NOT_XLSX),
        (zip_bytes({"xl/workbook.xml": b"<not really/>"}), "台账.xlsx", NOT_XLSX),
        (b"x", "台账.doc", "不支持的文件类型「.doc」，请上传 .xlsx 或 .csv 文件"),
        (b"x", "台账", "不支持的文件类型「台账」，请上传 .xlsx 或 .csv 文件"),
        (b"a,b\x00c\n", "台账.csv", "文件不是有效的 CSV 文本文件"),
        (
            b"\xff\xd8\xff\xe0 jpeg",
            "台账.csv",
            "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV",
        ),
    ],
)
def test_bad_files_get_one_chinese_message(data: bytes, filename: str, message: str) -> None:
    assert only_message(read_table(data, filename, SPEC)) == message


def test_corrupted_member_crc(tmp_path: Path) -> None:
    good = bytearray(write_xlsx(["申请编号"], [["A"]]))
    index = good.find(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml") + 5
    good[index] ^= 0xFF
    assert only_message(read_table(bytes(good), "a.xlsx", SPEC)) in {
        "文件已损坏，无法读取",
        NOT_XLSX,
    }


def test_zip_bomb_by_total_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    write_zeros_member(path, 300 * MB)
    assert path.stat().st_size < 2 * MB
    assert only_message(read_table(path, "bomb.xlsx", SPEC)) == BOMB
    with path.open("rb") as fp:
        assert only_message(read_table(fp, "bomb.xlsx", SPEC)) == BOMB


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    path = tmp_path / "ratio.xlsx"
    write_zeros_member(path, 20 * MB)
    assert only_message(read_table(path.read_bytes(), "ratio.xlsx", SPEC)) == BOMB


class ExplodingReader(io.RawIOBase):
    """Seekable and 52.4 MB long, but reading it is a test failure."""

    size = int(52.4 * MB)

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self.size if whence == io.SEEK_END else offset

    def readinto(self, buffer: object) -> int:
        raise AssertionError("read before the size check")


@pytest.mark.parametrize("filename", ["big.xlsx", "big.csv"])
def test_oversized_file_rejected_before_reading(tmp_path: Path, filename: str) -> None:
    path = tmp_path / filename
    with path.open("wb") as fp:
        fp.truncate(int(52.4 * MB))  # sparse: no 52 MB written to disk
    expected = "文件过大（52.4 MB），上限为 10 MB"
    assert only_message(read_table(path, filename, SPEC)) == expected
    assert only_message(read_table(ExplodingReader(), filename, SPEC)) == expected  # type: ignore[arg-type]


def test_oversized_bytes_and_custom_limit() -> None:
    data = "申请编号\n".encode() + b"A\n" * (MB // 2)
    assert only_message(read_table(data, "a.csv", SPEC, max_bytes=MB // 2)) == (
        "文件过大（1 MB），上限为 0.5 MB"
    )


def test_missing_path() -> None:
    assert (
        only_message(read_table(Path("/nonexistent/a.xlsx"), "a.xlsx", SPEC))
        == "无法读取上传的文件"
    )


def test_encrypted_zip_member() -> None:
    data = bytearray(zip_bytes({"xl/workbook.xml": b"<x/>"}))
    # Set the "encrypted" flag bit in both local and central headers.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature) + offset
        data[at] |= 0x01
    assert only_message(read_table(bytes(data), "a.xlsx", SPEC)) == (
        "文件设有密码，请取消密码保护后重新上传"
    )


SUFFIXES = st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a.xlsm"])


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=4096), filename=SUFFIXES)
def test_random_bytes_never_raise(data: bytes, filename: str) -> None:
    result = read_table(data, filename, SPEC)
    assert isinstance(result, ParseResult)
    assert not result.ok or filename == "a.csv"


@settings(max_examples=75, deadline=None)
@given(
    members=st.dictionaries(
        st.sampled_from(
            ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "_rels/.rels"]
        ),
        st.binary(max_size=512),
        min_size=1,
    ),
    flip=st.integers(min_value=0, max_value=10_000),
)
def test_random_zips_never_raise(members: dict[str, bytes], flip: int) -> None:
    data = bytearray(zip_bytes(members))
    data[flip % len(data)] ^= 0x5A
    assert isinstance(read_table(bytes(data), "a.xlsx", SPEC), ParseResult)


@settings(max_examples=50, deadline=None)
@given(flip=st.integers(min_value=0, max_value=100_000), value=st.integers(0, 255))
def test_corrupted_real_workbook_never_raises(flip: int, value: int) -> None:
    data = bytearray(write_xlsx(["申请编号"], [[f"YSQ-{n}"] for n in range(20)]))
    data[flip % len(data)] = value
    assert isinstance(read_table(bytes(data), "a.xlsx", SPEC), ParseResult)


def test_sparse_sheet_is_refused_before_calamine_expands_it() -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "申请编号"
    ws["XFD1048576"] = "x"
    buffer = io.BytesIO()
    wb.save(buffer)
    assert len(buffer.getvalue()) < 20_000
    assert only_message(read_table(buffer.getvalue(), "a.xlsx", SPEC)) == str(area_error())


def test_formatted_empty_cells_do_not_count_as_extent() -> None:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "申请编号"
    ws["A2"] = "YSQ-1"
    ws["XFD1048576"].font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    result = read_table(buffer.getvalue(), "a.xlsx", SPEC)
    assert result.ok, result.errors
