"""A platform's export as a stream of string frames, memory bounded by the batch size.

CSV (UTF-8 with or without BOM, or GB18030 transcoded in chunks to a temporary UTF-8 file) is
read by polars' streaming CSV reader; .xlsx passes core's workbook guard first, then is read by
calamine when its sheet is within FAZHI_HOTLINE_XLSX_WHOLE_CELLS (calamine holds the whole sheet,
about 50 bytes a cell), else streams through openpyxl's read-only reader (twenty times slower).
"""

from __future__ import annotations

import codecs
import datetime as dt
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings

from fazhi.core.imports.sources import SourceError, file_suffix, first_sheet
from fazhi.core.imports.xlsxguard import MAX_CELL_CHARS, MAX_ROWS, GuardError, check_xlsx

CHUNK = 4 * 1024 * 1024


class StreamError(Exception):
    """The file as a whole cannot be read; the message is Chinese."""


@dataclass
class Source:
    headers: list[str]
    frames: Iterator[pl.DataFrame]  # every column a String, named by position "c0", "c1", …
    total: int  # data rows, estimated for CSV (a quoted line break counts twice)


@contextmanager
def open_source(path: Path, filename: str, *, batch_rows: int, max_bytes: int) -> Iterator[Source]:
    suffix = file_suffix(filename)
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise StreamError(f"不支持的文件类型「{suffix or filename}」，请上传 .xlsx 或 .csv 文件")
    size = path.stat().st_size
    if size > max_bytes:
        raise StreamError(
            f"文件过大（{size / 1024 / 1024:.1f} MB），上限为 {max_bytes // 1024 // 1024} MB"
        )
    if size == 0:
        raise StreamError("文件为空")
    if suffix == ".csv":
        with _utf8(path) as text_path:
            yield _csv(text_path, batch_rows)
    else:
        yield _xlsx(path, suffix, batch_rows)


@contextmanager
def _utf8(path: Path) -> Iterator[Path]:
    """The file itself when it is UTF-8 (checked in chunks), else its GB18030 text as UTF-8."""
    with path.open("rb") as fp:
        head = fp.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise StreamError("不支持 UTF-16 编码的文件，请另存为 UTF-8 或 GB18030 编码的 CSV")
        fp.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := fp.read(CHUNK):
                if b"\x00" in chunk:
                    raise StreamError("文件不是有效的 CSV 文本文件")
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            yield path
            return
        except UnicodeDecodeError:
            pass
        fp.seek(0)
        gb = codecs.getincrementaldecoder("gb18030")()
        with tempfile.NamedTemporaryFile("wb", suffix=".csv") as out:
            try:
                while chunk := fp.read(CHUNK):
                    out.write(gb.decode(chunk).encode("utf-8"))
                out.write(gb.decode(b"", final=True).encode("utf-8"))
            except UnicodeDecodeError:
                raise StreamError(
                    "无法识别文件编码，请另存为 UTF-8 或 GB18030 编码的 CSV"
                ) from None
            out.flush()
            yield Path(out.name)


def _count_lines(path: Path) -> int:
    n = 0
    with path.open("rb") as fp:
        while chunk := fp.read(CHUNK):
            n += chunk.count(b"\n")
    return n


def _csv(path: Path, batch_rows: int) -> Source:
    with path.open("rb") as fp:
        first = fp.readline(1024 * 1024).decode("utf-8", "replace")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    try:
        header_row = (
            pl.scan_csv(path, has_header=False, infer_schema=False, separator=delimiter, n_rows=1)
            .collect()
            .row(0)
        )
    except (pl.exceptions.PolarsError, IndexError) as exc:
        raise StreamError("CSV 文件格式错误，无法读取表头") from exc
    names = [f"c{i}" for i in range(len(header_row))]
    lazy = pl.scan_csv(
        path,
        has_header=False,
        skip_rows=1,
        infer_schema=False,
        separator=delimiter,
        new_columns=names,
        truncate_ragged_lines=True,
    )

    def frames() -> Iterator[pl.DataFrame]:
        try:
            yield from lazy.collect_batches(chunk_size=batch_rows)
        except pl.exceptions.NoDataError:
            return  # the header row alone: no rows, as an .xlsx without any (the import says so)
        except pl.exceptions.PolarsError as exc:
            raise StreamError("CSV 文件格式错误（引号不配对或列数不一致）") from exc

    total = max(0, _count_lines(path) - 1)
    return Source([str(h or "") for h in header_row], frames(), total)


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    text = value if type(value) is str else _typed_text(value)  # most cells are text
    if len(text) > MAX_CELL_CHARS:
        raise StreamError("文件中有单元格的文字超过 Excel 的上限（32767 个字符），请缩短后重新上传")
    return text


def _typed_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx(path: Path, suffix: str, batch_rows: int) -> Source:
    try:
        with path.open("rb") as fp:
            # A sheet calamine may hold whole is read by it (twenty times openpyxl's speed);
            # a larger one streams through openpyxl, so its size bounds time, not memory: the
            # whole-sheet cell budget does not apply to it, Excel's own row limit and the
            # zip-bomb ratio do, and the inflated size has its own setting.
            area = check_xlsx(
                fp,
                suffix,
                max_uncompressed=settings.FAZHI_HOTLINE_MAX_XLSX_INFLATED,
                max_area=MAX_ROWS * 64,
            )
    except GuardError as exc:
        raise StreamError(str(exc)) from exc
    if area <= settings.FAZHI_HOTLINE_XLSX_WHOLE_CELLS:
        rows, total, close = _calamine(path, suffix)
    else:
        rows, total, close = _openpyxl(path, suffix)
    try:
        header = next(rows, None)
    except Exception as exc:
        close()
        raise StreamError(f"文件不是有效的 Excel 文件（{suffix}）") from exc
    if header is None:
        close()
        raise StreamError("文件中没有数据")
    width = len(header)
    names = [f"c{i}" for i in range(width)]

    def frame(batch: list[tuple[Any, ...]]) -> pl.DataFrame:
        # Rows to columns in C (zip), each column's cells through _cell with map: a Python loop
        # per cell here was a third of reading a 200k-row sheet.
        short = (None,) * width
        columns = list(zip(*(r if len(r) >= width else r + short for r in batch), strict=False))
        return pl.DataFrame(
            {name: list(map(_cell, columns[i])) for i, name in enumerate(names)},
            schema=dict.fromkeys(names, pl.String),
        )

    def frames() -> Iterator[pl.DataFrame]:
        try:
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(tuple(row))
                if len(batch) == batch_rows:
                    yield frame(batch)
                    batch = []
            if batch:
                yield frame(batch)
        except StreamError:
            raise
        except Exception as exc:  # both readers raise assorted types on a malformed sheet
            raise StreamError(f"文件不是有效的 Excel 文件（{suffix}）") from exc
        finally:
            close()

    return Source([_cell(h) or "" for h in header], frames(), total)


Rows = tuple[Iterator[Any], int, Any]  # the rows (header first), data rows, close()


def _openpyxl(path: Path, suffix: str) -> Rows:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise StreamError(f"文件不是有效的 Excel 文件（{suffix}）") from exc
    ws = next((s for s in wb.worksheets if s.sheet_state == "visible"), wb.worksheets[0])
    return ws.iter_rows(values_only=True), max(0, (ws.max_row or 1) - 1), wb.close


def _calamine(path: Path, suffix: str) -> Rows:
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        sheet = first_sheet(wb)
    except SourceError as exc:
        raise StreamError(str(exc)) from exc
    except python_calamine.PasswordError as exc:
        raise StreamError("文件设有密码，请取消密码保护后重新上传") from exc
    except BaseException as exc:  # calamine's errors, and a panic (pyo3's BaseException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise StreamError(f"文件不是有效的 Excel 文件（{suffix}）") from exc
    # As openpyxl gives them: rows and columns from A1 (calamine pads the rows above the data,
    # not the columns to its left), an empty cell as None, a date as a datetime at midnight.
    left = (None,) * (sheet.start[1] if sheet.start else 0)
    rows = (left + tuple(map(_as_openpyxl, row)) for row in sheet.iter_rows())
    return rows, sheet.end[0] if sheet.end else 0, wb.close


def _as_openpyxl(value: Any) -> Any:
    if type(value) is str:
        return value or None
    if value == "":
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value
