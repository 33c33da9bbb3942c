"""A stand-in ledger for attachment tests: records are ids mapped to units, behind the real door.

`voided` records exist but their ledger closes them to everyone, as a ledger's resolver may."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.http import Http404

from fazhi.core.tenancy.access import access_for

OWNER = "casebook"
A_RECORD = 101  # a record of 街道 A
A_OTHER = 102  # another record of 街道 A
B_RECORD = 201  # a record of 街道 B


@dataclass(frozen=True)
class Record:
    pk: int
    unit: Any

    def __str__(self) -> str:
        return f"案卷 {self.pk}"


@dataclass
class Casebook:
    units: dict[int, Any]
    voided: set[int] = field(default_factory=set)

    def resolve(self, user: Any, record_id: int) -> Record:
        unit = self.units.get(record_id)
        if unit is None or record_id in self.voided or unit.pk not in access_for(user).unit_ids:
            raise Http404("未找到该记录")
        return Record(record_id, unit)


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def body(response: Any) -> bytes:
    """A streamed download's bytes. Consuming it lets the test client close the response with
    its connection-closing signal held back, which a direct close() would not (PostgreSQL)."""
    return b"".join(response.streaming_content)
