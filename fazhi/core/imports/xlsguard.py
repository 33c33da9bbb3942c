"""Pre-flight checks on an .xls (OLE compound file holding a BIFF5/BIFF8 workbook).

calamine reads an .xls by content, whatever the file is called, and trusts it: a 5 KB file
whose DIMENSIONS record claims 4 billion rows makes it reserve petabytes, and two cells at
A1 and a far corner make a dense grid (columns go up to 65 535 in a cell record, not 256).
Here the compound file is walked with every sector and chain checked against the file, the
Workbook stream is taken out, and every sheet calamine would read (each BOUNDSHEET offset) is
scanned for its DIMENSIONS and its cells, as calamine counts them (measured: BLANK and
MULBLANK are skipped, every other cell record counts, rows above the data are padded).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from fazhi.core.imports.xlsxguard import MAX_CELL_AREA, GuardError, area_error

__all__ = ["check_xls"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_STREAM = 2
_ROOT = 5
_MINI_CUTOFF = 4096
_MINI_SECTOR = 64

_BOF, _EOF, _DIMENSIONS, _BOUNDSHEET, _FILEPASS = 0x0809, 0x000A, 0x0200, 0x0085, 0x002F
_MULRK = 0x00BD
_STRING = 0x0207
_FORMULAS = {0x0006, 0x0206, 0x0406}
# NUMBER, RK, LABELSST, LABEL, RSTRING, BOOLERR, FORMULA (BIFF5/8, BIFF3, BIFF4).
_CELLS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x00D6, 0x0205, 0x0006, 0x0206, 0x0406}
_BOF_IDS = {0x0809, 0x0409, 0x0209, 0x0009}


class _Corrupt(Exception):
    """The compound file or the BIFF stream does not hold together."""


def _corrupt() -> _Corrupt:
    return _Corrupt()


class _Compound:
    """The parts of a compound file calamine uses, every offset checked against the file."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(OLE_MAGIC):
            raise _corrupt()
        (shift,) = struct.unpack_from("<H", data, 30)
        if shift not in (9, 12):
            raise _corrupt()
        self.data = data
        self.size = 1 << shift
        self.count = max(0, -(-(len(data) - self.size) // self.size))
        n_fat, first_dir = struct.unpack_from("<II", data, 44)
        self.first_mini_fat, n_mini_fat, first_difat, n_difat = struct.unpack_from(
            "<IIII", data, 60
        )
        if n_fat > self.count or n_difat > self.count or n_mini_fat > self.count:
            raise _corrupt()
        fat_sectors = list(struct.unpack_from("<109I", data, 76))
        sector, seen = first_difat, set()
        for _ in range(n_difat):
            if sector in (_END_OF_CHAIN, _FREE):
                break
            if sector in seen:
                raise _corrupt()
            seen.add(sector)
            entries = struct.unpack(f"<{self.size // 4}I", self._sector(sector))
            fat_sectors.extend(entries[:-1])
            sector = entries[-1]
        fat_sectors = [s for s in fat_sectors if s not in (_FREE, _END_OF_CHAIN)][:n_fat]
        self.fat = b"".join(self._sector(s) for s in fat_sectors)
        self.directory = self._chain_bytes(first_dir, self.fat, self.size, self._sector)

    def _sector(self, number: int) -> bytes:
        if number >= self.count:
            raise _corrupt()
        start = (number + 1) * self.size
        return self.data[start : start + self.size]

    @staticmethod
    def _chain_bytes(start: int, fat: bytes, size: int, read: object) -> bytes:
        entries = len(fat) // 4
        out: list[bytes] = []
        seen: set[int] = set()
        sector = start
        while sector != _END_OF_CHAIN:
            if sector >= entries or sector in seen:
                raise _corrupt()
            seen.add(sector)
            out.append(read(sector))  # type: ignore[operator]
            (sector,) = struct.unpack_from("<I", fat, sector * 4)
        return b"".join(out)

    def entries(self) -> list[tuple[str, int, int, int]]:
        out = []
        for at in range(0, len(self.directory) - 127, 128):
            raw = self.directory[at : at + 128]
            (name_len,) = struct.unpack_from("<H", raw, 64)
            kind = raw[66]
            start, size = struct.unpack_from("<II", raw, 116)
            name = raw[: max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
            out.append((name, kind, start, size))
        return out

    def streams(self, names: set[str]) -> list[bytes]:
        entries = self.entries()
        if not entries or entries[0][1] != _ROOT:
            raise _corrupt()
        _, _, root_start, root_size = entries[0]
        mini: bytes | None = None
        found = []
        for name, kind, start, size in entries:
            if kind != _STREAM or name.lower() not in names:
                continue
            if size < _MINI_CUTOFF:
                if mini is None:
                    mini = self._chain_bytes(root_start, self.fat, self.size, self._sector)
                    mini = mini[:root_size]
                mini_fat = self._chain_bytes(self.first_mini_fat, self.fat, self.size, self._sector)
                stream = self._chain_bytes(
                    start, mini_fat, _MINI_SECTOR, _mini_reader(mini) if mini else _none
                )
            else:
                stream = self._chain_bytes(start, self.fat, self.size, self._sector)
            if len(stream) < size:
                raise _corrupt()
            found.append(stream[:size])
        return found


def _none(_: int) -> bytes:
    raise _corrupt()


def _mini_reader(mini: bytes) -> object:
    def read(number: int) -> bytes:
        start = number * _MINI_SECTOR
        if start + _MINI_SECTOR > len(mini):
            raise _corrupt()
        return mini[start : start + _MINI_SECTOR]

    return read


def _records(stream: bytes, at: int) -> Iterator[tuple[int, bytes]]:
    """Records of one substream from its BOF to the EOF that closes it."""
    depth = 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        body = stream[at + 4 : at + 4 + length]
        at += 4 + length
        yield kind, body
        if kind in _BOF_IDS:
            depth += 1
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                return


def _check_sheet(records: Iterator[tuple[int, bytes]]) -> None:
    max_row, min_col, max_col = -1, 1 << 30, -1
    formula = (0, 0)
    for kind, body in records:
        if kind == _DIMENSIONS:
            if len(body) >= 14:
                row_min, row_max, col_min, col_max = struct.unpack_from("<IIHH", body)
            elif len(body) >= 8:
                row_min, row_max, col_min, col_max = struct.unpack_from("<HHHH", body)
            else:
                continue
            # calamine reserves (rows x columns) cells from this record before reading any.
            if row_min > row_max or col_min > col_max:
                raise _corrupt()
            if (row_max - row_min) * (col_max - col_min) > MAX_CELL_AREA:
                raise area_error()
        elif kind == _STRING:
            # A formula's string result: calamine puts it at the sheet's last FORMULA, or
            # at A1 when there is none.
            max_row, min_col = max(max_row, formula[0]), min(min_col, formula[1])
            max_col = max(max_col, formula[1])
        elif (kind in _CELLS or kind == _MULRK) and len(body) >= 4:
            row, first = struct.unpack_from("<HH", body)
            last = first
            if kind == _MULRK and len(body) >= 6:
                (tail,) = struct.unpack_from("<H", body, len(body) - 2)
                last = max(tail, first + (len(body) - 6) // 6 - 1)
            elif kind in _FORMULAS:
                formula = (row, first)
            max_row = max(max_row, row)
            min_col = min(min_col, first)
            max_col = max(max_col, last)
    if max_row >= 0 and (max_row + 1) * (max_col - min_col + 1) > MAX_CELL_AREA:
        raise area_error()


def check_xls(data: bytes, suffix: str = ".xls") -> None:
    """Raise GuardError unless ``data`` is a compound file with a bounded BIFF workbook."""
    try:
        _check(data, suffix)
    except (_Corrupt, struct.error, ValueError, MemoryError, OverflowError) as exc:
        raise GuardError(f"文件不是有效的 Excel 文件（{suffix}）") from exc


def _check(data: bytes, suffix: str) -> None:
    compound = _Compound(data)
    names = {e[0].lower() for e in compound.entries() if e[1] == _STREAM}
    if "encryptioninfo" in names:
        raise GuardError("文件设有密码，请取消密码保护后重新上传")
    streams = compound.streams({"workbook", "book"})
    if not streams:
        if "worddocument" in names:
            raise GuardError(f"文件是 Word 文档，不是有效的 Excel 文件（{suffix}）")
        raise _corrupt()
    for stream in streams:
        if len(stream) < 4 or struct.unpack_from("<H", stream)[0] not in _BOF_IDS:
            raise _corrupt()
        for kind, body in _records(stream, 0):
            if kind == _FILEPASS:
                raise GuardError("文件设有密码，请取消密码保护后重新上传")
            if kind == _BOUNDSHEET and len(body) >= 4:
                (offset,) = struct.unpack_from("<I", body)
                if offset + 4 > len(stream):
                    raise _corrupt()
                _check_sheet(_records(stream, offset))
