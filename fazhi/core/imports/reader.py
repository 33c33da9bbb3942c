"""read_table: a whole file against an ImportSpec, all errors collected, never an exception."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO

from fazhi.core.imports.parsers import ImportValueError, cell_to_text
from fazhi.core.imports.sources import MB, SourceError, iter_source_rows
from fazhi.core.imports.spec import (
    Column,
    ImportSpec,
    ParsedRow,
    ParseResult,
    RowError,
    normalize_header,
)
from fazhi.textclean import too_long

__all__ = ["MAX_LISTED_ERRORS", "read_table"]

MAX_LISTED_ERRORS = 200
# A title row ("××镇政府信息公开申请台账") above the header is common; look a little further.
_HEADER_SEARCH_ROWS = 10

Cells = list[object]


def _is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


@dataclass
class _Errors:
    listed: list[RowError] = field(default_factory=list)
    total: int = 0

    def add(self, error: RowError) -> None:
        self.total += 1
        if len(self.listed) < MAX_LISTED_ERRORS:
            self.listed.append(error)

    def result(self) -> list[RowError]:
        if self.total > len(self.listed):
            return [
                *self.listed,
                RowError(None, None, f"……另有 {self.total - len(self.listed)} 处错误"),
            ]
        return list(self.listed)


def _locate_header(
    rows: Iterator[tuple[int, Cells]], spec: ImportSpec
) -> tuple[int, Cells, int] | None:
    """Return (line, cells, rows skipped above it) of the header row, or None for an empty file."""
    known = {normalize_header(c.header) for c in spec.columns}
    buffered: list[tuple[int, Cells]] = []
    for line, cells in rows:
        if all(_is_blank(c) for c in cells):
            continue
        if any(normalize_header(cell_to_text(c)) in known for c in cells):
            return line, cells, len(buffered)
        buffered.append((line, cells))
        if len(buffered) >= _HEADER_SEARCH_ROWS:
            break
    if not buffered:
        return None
    line, cells = buffered[0]
    return line, cells, 0


def _match_header(
    spec: ImportSpec, line: int, header: Cells, errors: _Errors, warnings: list[str]
) -> list[tuple[int, Column]]:
    by_norm = {normalize_header(c.header): c for c in spec.columns}
    mapping: list[tuple[int, Column]] = []
    found: set[str] = set()
    for index, cell in enumerate(header):
        text = cell_to_text(cell).strip()
        if not text:
            continue
        column = by_norm.get(normalize_header(text))
        if column is None:
            warnings.append(f"已忽略无法识别的列「{text}」")
        elif column.key in found:
            errors.add(RowError(line, column.header, "列重复出现"))
        else:
            found.add(column.key)
            mapping.append((index, column))
    for column in spec.columns:
        if column.required and column.key not in found:
            errors.add(RowError(None, column.header, f"缺少必填列「{column.header}」"))
    order = {c.key: i for i, c in enumerate(spec.columns)}
    return sorted(mapping, key=lambda pair: order[pair[1].key])


def read_table(
    data: bytes | BinaryIO | IO[bytes] | Path,
    filename: str,
    spec: ImportSpec,
    *,
    max_bytes: int = 10 * MB,
) -> ParseResult:
    """Read the first visible sheet of an .xlsx/.xls/.ods or a .csv against ``spec``.

    ``filename`` (the user's file name) decides the format. The result holds either every
    row or, if anything is wrong, no rows and every error found (the first
    MAX_LISTED_ERRORS of them, plus a count of the rest).
    """
    errors = _Errors()
    warnings: list[str] = []
    kept: list[ParsedRow] = []
    row_count = 0
    mapping: list[tuple[int, Column]] = []
    try:
        source = iter_source_rows(data, filename, max_bytes)
        located = _locate_header(source, spec)
        if located is None:
            errors.add(RowError(None, None, "文件中没有数据（未找到表头行）"))
            return ParseResult([], errors.result(), warnings)
        header_line, header, skipped = located
        if skipped:
            warnings.append(f"已跳过表头之前的 {skipped} 行（如标题行）")
        mapping = _match_header(spec, header_line, header, errors, warnings)
        present = tuple(col.key for _, col in mapping)
        if errors.total:
            return ParseResult([], errors.result(), warnings, 0, present)
        key_index = next((i for i, col in mapping if col.key == spec.key), None)
        first_seen: dict[object, int] = {}
        for line, cells in source:
            width = len(cells)
            if all(i >= width or _is_blank(cells[i]) for i, _ in mapping):
                continue
            row_count += 1
            if row_count > spec.max_rows:
                errors.add(
                    RowError(
                        None, None, f"数据行数超过上限（最多 {spec.max_rows} 行），请拆分后分批导入"
                    )
                )
                break
            values = _parse_row(line, cells, mapping, errors)
            if key_index is not None and spec.key is not None:
                _check_key(line, cells[key_index], values.get(spec.key), first_seen, spec, errors)
            if not errors.total:
                kept.append(ParsedRow(line, values))
    except SourceError as exc:
        errors.add(RowError(None, None, str(exc)))
    present = tuple(col.key for _, col in mapping)
    if not errors.total and row_count == 0:
        errors.add(RowError(None, None, "文件中没有数据行"))
    if errors.total:
        return ParseResult([], errors.result(), warnings, row_count, present)
    return ParseResult(kept, [], warnings, row_count, present)


def _parse_row(
    line: int, cells: Cells, mapping: list[tuple[int, Column]], errors: _Errors
) -> dict[str, object]:
    values: dict[str, object] = {}
    for index, column in mapping:
        cell = cells[index] if index < len(cells) else None
        if _is_blank(cell):
            if not column.allow_blank:
                errors.add(RowError(line, column.header, "不能为空"))
            values[column.key] = None
            continue
        try:
            value = column.parse(cell)
        except ImportValueError as exc:
            errors.add(RowError(line, column.header, str(exc)))
            continue
        limit = column.max_length
        if limit is not None and isinstance(value, str) and len(value) > limit:
            errors.add(RowError(line, column.header, too_long(limit, len(value))))
        values[column.key] = value
    return values


def _check_key(
    line: int,
    raw: object,
    value: object,
    first_seen: dict[object, int],
    spec: ImportSpec,
    errors: _Errors,
) -> None:
    if value is None:
        return
    earlier = first_seen.setdefault(value, line)
    if earlier != line:
        header = spec.column(spec.key or "").header
        errors.add(RowError(line, header, f"与第{earlier}行重复: {cell_to_text(raw).strip()}"))
