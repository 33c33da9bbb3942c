"""Generic tabular import/export for ledgers: see README.md in this package."""

from __future__ import annotations

from fazhi.core.imports.idnumber import mask_id_number, validate_id_number
from fazhi.core.imports.parsers import (
    ChoiceParser,
    ImportValueError,
    parse_choice,
    parse_date,
    parse_id_number,
    parse_int,
    parse_money,
    parse_text,
)
from fazhi.core.imports.reader import MAX_LISTED_ERRORS, read_table
from fazhi.core.imports.sources import SUPPORTED_SUFFIXES
from fazhi.core.imports.spec import Column, ImportSpec, ParsedRow, ParseResult, RowError
from fazhi.core.imports.writing import write_csv, write_template, write_xlsx

__all__ = [
    "MAX_LISTED_ERRORS",
    "SUPPORTED_SUFFIXES",
    "ChoiceParser",
    "Column",
    "ImportSpec",
    "ImportValueError",
    "ParseResult",
    "ParsedRow",
    "RowError",
    "mask_id_number",
    "parse_choice",
    "parse_date",
    "parse_id_number",
    "parse_int",
    "parse_money",
    "parse_text",
    "read_table",
    "validate_id_number",
    "write_csv",
    "write_template",
    "write_xlsx",
]
