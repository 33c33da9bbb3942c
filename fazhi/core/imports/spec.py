"""What a ledger declares about its import file, and what reading one produces."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from fazhi.core.imports.parsers import parse_text

__all__ = ["Column", "ImportSpec", "ParseResult", "ParsedRow", "RowError", "normalize_header"]

_HEADER_MARKERS = re.compile(r"^\*+|\*+$|\((?:选填|必填|可选)\)$")


def normalize_header(text: str) -> str:
    """Match key for a header cell: width-folded, spaces removed, template markers dropped."""
    s = "".join(unicodedata.normalize("NFKC", text).split())
    while True:
        stripped = _HEADER_MARKERS.sub("", s)
        if stripped == s:
            return s
        s = stripped


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: Callable[[object], object] = parse_text
    required: bool = True
    allow_blank: bool = False
    help: str = ""
    example: str = ""
    # The limit the form puts on the same text: a longer cell is a row error. A column that
    # fills a model field is also held to the field's own max_length when the row is written.
    max_length: int | None = None


@dataclass(frozen=True)
class ImportSpec:
    name: str
    columns: tuple[Column, ...]
    key: str | None = None
    max_rows: int = 200_000

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        headers = [normalize_header(c.header) for c in self.columns]
        if len(set(keys)) != len(keys) or len(set(headers)) != len(headers):
            raise ValueError(f"ImportSpec {self.name!r}: duplicate column key or header")
        if self.key is not None and self.key not in keys:
            raise ValueError(f"ImportSpec {self.name!r}: key {self.key!r} is not a column")

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


@dataclass(frozen=True)
class RowError:
    """One problem; ``line`` is the spreadsheet row the user sees (header is row 1)."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if self.column is None:
            return f"第{self.line}行{self.message}"
        return f"第{self.line}行「{self.column}」{self.message}"


@dataclass(frozen=True)
class ParsedRow:
    line: int
    values: dict[str, object]


@dataclass(frozen=True)
class ParseResult:
    """``rows`` is empty whenever ``errors`` is not: a file imports whole or not at all.

    ``row_count`` counts non-blank data rows even when they were not kept;
    ``columns`` holds the keys of the spec columns found in the header, in spec order
    (an optional column absent from the file is absent from every row's ``values``).
    """

    rows: list[ParsedRow]
    errors: list[RowError]
    warnings: list[str] = field(default_factory=list)
    row_count: int = 0
    columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_messages(self) -> list[str]:
        return [str(e) for e in self.errors]
