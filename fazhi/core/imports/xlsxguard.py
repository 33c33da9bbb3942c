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
# A non-empty cell with an explicit reference, optional namespace prefix (the .NET SDK
# writes <x:c>). <c r="XFD9" s="1"/> and <c r="XFD9" s="1"></c> are formatted empty cells:
# calamine skips those, so they do not count.
_CELL_REF = re.compile(
    rb'<(?:[\w.-]+:)?c\s[^>/]*?\br="([A-Z]{1,3})(\d{1,7})"[^>/]*>(?!</(?:[\w.-]+:)?c>)'
)
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


class GuardError(Exception):
    """The workbook is refused; ``str(exc)`` is the Chinese message."""


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _sheet_area(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Rows x columns of the box holding every referenced non-empty cell."""
    columns: set[bytes] = set()
    min_row, max_row = 1 << 30, 0
    pending = b""
    with zf.open(info) as member:
        while True:
            chunk = member.read(_CHUNK)
            text = pending + chunk
            cut = text.rfind(b"<") if chunk else len(text)
            if chunk and text.startswith(b"</", cut):
                cut = text.rfind(b"<", 0, cut)
            # A tag split across chunks is carried over whole to the next round.
            cut = len(text) if cut <= 0 or len(text) - cut > 4096 else cut
            refs = _CELL_REF.findall(text, 0, cut)
            pending = text[cut:]
            if refs:
                columns.update(col for col, _ in refs)
                rows = [int(row) for _, row in refs]
                min_row, max_row = min(min_row, min(rows)), max(max_row, max(rows))
            if not chunk:
                break
    if not columns:
        return 0
    numbers = [_column_number(c) for c in columns]
    return (max_row - min_row + 1) * (max(numbers) - min(numbers) + 1)


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
