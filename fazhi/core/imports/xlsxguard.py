"""Pre-flight checks on an .xlsx before calamine inflates it.

Two kinds of hostile workbook are cheap to make: a zip bomb (a tiny file inflating to
gigabytes) and a sparse sheet (a 5 KB file with one cell at A1 and one at XFD1048576,
which calamine expands into a dense grid of billions of cells). Both are refused here.
"""

from __future__ import annotations

import re
import zipfile
from typing import IO

__all__ = ["MAX_CELL_AREA", "MAX_RATIO", "MAX_UNCOMPRESSED", "GuardError", "check_xlsx"]

MB = 1024 * 1024
MAX_UNCOMPRESSED = 200 * MB
MAX_RATIO = 100
MAX_ZIP_MEMBERS = 10_000
# A dense grid this large costs calamine about 300 MB; 200 000 rows x 50 columns fits.
MAX_CELL_AREA = 10_000_000

_CHUNK = 4 * MB
# <c ...> or <row ...> with an optional namespace prefix (the .NET SDK writes <x:c>).
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|row)\s([^>]*?)(/?)>")
_REF = re.compile(rb'\br="([A-Z]{0,3})(\d{1,7})"')
_EMPTY_CLOSE = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?c>")
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


class GuardError(Exception):
    """The workbook is refused; ``str(exc)`` is the Chinese message."""


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


class _Extent:
    def __init__(self) -> None:
        self.row = 0
        self.min_row = self.max_row = self.min_col = self.max_col = 0

    def add(self, row: int, col: int) -> None:
        if not self.max_row:
            self.min_row = self.max_row = row
        self.min_row, self.max_row = min(self.min_row, row), max(self.max_row, row)
        if col:
            if not self.max_col:
                self.min_col = self.max_col = col
            self.min_col, self.max_col = min(self.min_col, col), max(self.max_col, col)

    @property
    def area(self) -> int:
        if not self.max_row:
            return 0
        cols = self.max_col - self.min_col + 1 if self.max_col else 1
        return (self.max_row - self.min_row + 1) * cols

    def scan(self, text: bytes) -> int:
        """Account for the tags in ``text``; return how many bytes were fully consumed."""
        consumed = 0
        for m in _TAG.finditer(text):
            tag, attrs, self_closing = m.groups()
            ref = _REF.search(attrs)
            if tag == b"row":
                self.row = int(ref[2]) if ref else self.row + 1
                consumed = m.end()
                continue
            if ref and ref[1]:
                self.row = int(ref[2])
            if self_closing:
                consumed = m.end()
                continue
            if len(text) - m.end() < 16:
                return m.start()  # need the bytes after the tag to know if the cell is empty
            consumed = m.end()
            if _EMPTY_CLOSE.match(text, m.end()):
                continue
            self.add(self.row, _column_number(ref[1]) if ref and ref[1] else 0)
        return consumed


def _sheet_area(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    extent = _Extent()
    pending = b""
    with zf.open(info) as member:
        while chunk := member.read(_CHUNK):
            text = pending + chunk
            consumed = extent.scan(text)
            # Keep an unfinished tag for the next chunk; a tag is never longer than a chunk.
            keep_from = max(consumed, text.rfind(b"<"), len(text) - _CHUNK)
            pending = text[keep_from:] if keep_from >= consumed else b""
            if extent.area > MAX_CELL_AREA:
                break
        if pending:
            extent.scan(pending + b" " * 16)
    return extent.area


def check_xlsx(fp: IO[bytes], suffix: str) -> None:
    """Raise GuardError unless ``fp`` is a plausible, bounded Excel zip package."""
    not_excel = GuardError(f"文件不是有效的 Excel 文件（{suffix}）")
    try:
        zf = zipfile.ZipFile(fp)
    except Exception as exc:  # zipfile raises assorted types on hostile input
        raise not_excel from exc
    bomb = GuardError("文件解压后过大，疑似损坏或恶意文件")
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
            raise bomb
        for info in infos:
            if info.file_size > MB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise bomb
        names = [i.filename for i in infos]
        if any(n.startswith("word/") for n in names):
            raise GuardError(f"文件是 Word 文档，不是有效的 Excel 文件（{suffix}）")
        if not any(n.startswith("xl/") for n in names):
            raise not_excel
        if any(i.flag_bits & 0x1 for i in infos):
            raise GuardError("文件设有密码，请取消密码保护后重新上传")
        # Inflating through zipfile is bounded by the declared size and checks the CRC, so
        # a member that lies about its size fails here instead of inside calamine.
        try:
            for info in infos:
                if _WORKSHEET.fullmatch(info.filename):
                    if _sheet_area(zf, info) > MAX_CELL_AREA:
                        raise GuardError(
                            "工作表的数据范围过大（行数×列数超过 1000 万），"
                            "请删除多余的行和列后重新上传"
                        )
                else:
                    with zf.open(info) as member:
                        while member.read(_CHUNK):
                            pass
        except GuardError:
            raise
        except Exception as exc:
            raise GuardError("文件已损坏，无法读取") from exc
