"""Turn an uploaded file into raw rows, refusing anything oversized, malformed or hostile.

Everything that can go wrong with the file itself surfaces as SourceError with a Chinese
message; reader.py turns it into a file-level RowError.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import IO, BinaryIO

import python_calamine

from fazhi.core.imports.xlsguard import OLE_MAGIC, check_xls
from fazhi.core.imports.xlsxguard import MAX_CELL_CHARS, GuardError, cell_text_error, check_xlsx

__all__ = ["SUPPORTED_SUFFIXES", "SourceError", "iter_source_rows"]

MB = 1024 * 1024
# .ods is left out on purpose: its repeated-cell attributes make the same sparse-grid
# bomb that xlsxguard refuses for .xlsx, and no guard exists for it here. The name only
# picks CSV or workbook: a workbook's format is decided by its bytes (as calamine does).
SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
_ZIP_MAGIC = b"PK\x03\x04"

Cell = object
Source = bytes | BinaryIO | IO[bytes] | Path


class SourceError(Exception):
    """The file as a whole cannot be read; ``str(exc)`` is the Chinese message."""


def _mb(n: float) -> str:
    return f"{n / MB:.1f}".removesuffix(".0")


def _too_big(size: int | None, max_bytes: int) -> SourceError:
    shown = f"（{_mb(size)} MB）" if size is not None else ""
    return SourceError(f"文件过大{shown}，上限为 {_mb(max_bytes)} MB")


def _not_excel(suffix: str) -> SourceError:
    return SourceError(f"文件不是有效的 Excel 文件（{suffix}）")


def file_suffix(filename: str) -> str:
    return PurePath(filename.strip()).suffix.lower()


@contextlib.contextmanager
def _open_binary(data: Source, max_bytes: int) -> Iterator[tuple[IO[bytes], Path | None]]:
    """Yield a seekable binary stream positioned at 0, checking the size before any read."""
    if isinstance(data, bytes | bytearray | memoryview):
        if len(data) > max_bytes:
            raise _too_big(len(data), max_bytes)
        yield io.BytesIO(bytes(data)), None
        return
    if isinstance(data, Path):
        try:
            size = data.stat().st_size
            if size > max_bytes:
                raise _too_big(size, max_bytes)
            fp = data.open("rb")
        except OSError as exc:
            raise SourceError("无法读取上传的文件") from exc
        with fp:
            yield fp, data
        return
    try:
        seekable = data.seekable()
    except (AttributeError, OSError, ValueError):
        seekable = False
    if seekable:
        try:
            size = data.seek(0, io.SEEK_END)
            data.seek(0)
        except (OSError, ValueError) as exc:
            raise SourceError("无法读取上传的文件") from exc
        if size > max_bytes:
            raise _too_big(size, max_bytes)
        yield data, None
        return
    try:
        content = data.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        raise SourceError("无法读取上传的文件") from exc
    if len(content) > max_bytes:
        raise _too_big(None, max_bytes)
    yield io.BytesIO(content), None


def iter_source_rows(
    data: Source, filename: str, max_bytes: int
) -> Iterator[tuple[int, list[Cell]]]:
    """Yield (spreadsheet row number, cells) for every row of the first visible sheet."""
    suffix = file_suffix(filename)
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or filename.strip() or "未知"
        raise SourceError(f"不支持的文件类型「{shown}」，请上传 .xlsx 或 .csv 文件")
    with _open_binary(data, max_bytes) as (fp, _path):
        if suffix == ".csv":
            yield from _csv_rows(fp, max_bytes)
        else:
            yield from _workbook_rows(fp, suffix)


# --- CSV -----------------------------------------------------------------------------

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _decode(raw: bytes) -> str:
    if raw.startswith(_UTF16_BOMS):
        # Excel's "Unicode text" export.
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV")


def _csv_rows(fp: IO[bytes], max_bytes: int) -> Iterator[tuple[int, list[Cell]]]:
    try:
        raw = fp.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        raise SourceError("无法读取上传的文件") from exc
    if len(raw) > max_bytes:
        raise _too_big(None, max_bytes)
    text = _decode(raw)
    if "\x00" in text:
        raise SourceError("文件不是有效的 CSV 文本文件")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0
    try:
        for line, row in enumerate(reader, start=1):
            yield line, _capped(list(row))
    except csv.Error as exc:
        raise SourceError(f"CSV 文件格式错误（第{line + 1}行附近）") from exc


# --- Excel ---------------------------------------------------------------------------


def _capped(cells: list[Cell]) -> list[Cell]:
    """Refuse a row holding a text longer than Excel allows (the .xlsx guard does so earlier)."""
    for cell in cells:
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise SourceError(str(cell_text_error()))
    return cells


def _workbook_rows(fp: IO[bytes], suffix: str) -> Iterator[tuple[int, list[Cell]]]:
    try:
        fp.seek(0)
        data = fp.read()
    except (OSError, ValueError) as exc:
        raise SourceError("无法读取上传的文件") from exc
    try:
        if data.startswith(OLE_MAGIC):
            check_xls(data, suffix)
        elif data.startswith(_ZIP_MAGIC):
            check_xlsx(io.BytesIO(data), suffix)
        else:
            raise _not_excel(suffix)
    except GuardError as exc:
        raise SourceError(str(exc)) from exc
    try:
        # By content, like the guard: a zip that is not a valid .xlsx can only fail here,
        # since the guard refused the members that make calamine try ODS or XLSB.
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        with workbook:
            sheet = first_sheet(workbook)
            yield from _sheet_rows(sheet)
    except (SourceError, GeneratorExit, KeyboardInterrupt, SystemExit):
        raise
    except python_calamine.PasswordError as exc:
        raise SourceError("文件设有密码，请取消密码保护后重新上传") from exc
    except BaseException as exc:
        # calamine reports XML, zip and format errors with assorted exception types, and a
        # panic inside it as pyo3's PanicException, which is a BaseException.
        raise _not_excel(suffix) from exc


def first_sheet(workbook: python_calamine.CalamineWorkbook) -> python_calamine.CalamineSheet:
    for index, meta in enumerate(workbook.sheets_metadata):
        if (
            meta.typ == python_calamine.SheetTypeEnum.WorkSheet
            and meta.visible == python_calamine.SheetVisibleEnum.Visible
        ):
            return workbook.get_sheet_by_index(index)
    if not workbook.sheet_names:
        raise SourceError("文件中没有工作表")
    return workbook.get_sheet_by_index(0)


def _sheet_rows(sheet: python_calamine.CalamineSheet) -> Iterator[tuple[int, list[Cell]]]:
    start = sheet.start
    first_row = start[0] if start else 0
    rows = sheet.iter_rows()
    first = next(rows, None)
    if first is None:
        return
    # calamine pads the rows above the data with empty rows (so index == row) but, should a
    # version stop doing so, the first row yielded is the first row holding data.
    padded = first_row == 0 or all(cell in ("", None) for cell in first)
    line = 1 if padded else first_row + 1
    yield line, _capped(list(first))
    for number, row in enumerate(rows, start=line + 1):
        yield number, _capped(list(row))
