"""Ledgers whose files stream through an importer of their own (the hotline's columnar import),
found by the command line's `fazhi import LEDGER FILE` without core naming any ledger.

An importer is `(unit=, by=, path=, filename=, mapping_name=, dry_run=, progress=) -> outcome`
where the outcome has `ok`, `errors`, `warnings`, `summary()` and `as_json()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

StreamingImporter = Callable[..., Any]
_IMPORTERS: dict[str, StreamingImporter] = {}


def register_streaming_import(slug: str, importer: StreamingImporter) -> None:
    _IMPORTERS[slug] = importer


def streaming_importer(slug: str) -> StreamingImporter | None:
    return _IMPORTERS.get(slug)
