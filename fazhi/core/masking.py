"""Masking personal data for lists, exports and logs (DESIGN invariant 8): the full value only
on a record's detail page, to those who handle it."""

from __future__ import annotations

import re

from fazhi.core.imports.idnumber import mask_id_number, validate_id_number

__all__ = ["mask_address", "mask_contact", "mask_id_number", "mask_id_numbers_in", "mask_name"]

_ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])")


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***, 王 → *; whatever else the field holds (several names, a
    group, Latin letters) shows only its first character, with at most six stars."""
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    return name[0] + "*" * min(len(name) - 1, 6)


def mask_contact(contact: str) -> str:
    """13912345678 → 139****5678; anything shorter keeps only its last two characters."""
    c = contact.strip()
    if len(c) >= 11:
        return c[:3] + "*" * (len(c) - 7) + c[-4:]
    if len(c) > 2:
        return "*" * (len(c) - 2) + c[-2:]
    return "*" * len(c)


def mask_address(address: str) -> str:
    """Keep at most the first half (district, street; at most six characters), hide the rest."""
    a = address.strip()
    keep = min(6, len(a) // 2)
    return a[:keep] + "****" if a else ""


def mask_id_numbers_in(text: str) -> str:
    """Every valid ID number inside free text (a file name, a reason) masked: "张三110105…" keeps
    no full number. Eighteen-digit strings that fail the checksum (order numbers) stay as they are."""

    def mask(match: re.Match[str]) -> str:
        found = match.group()
        return mask_id_number(found) if validate_id_number(found) is None else found

    return _ID_CANDIDATE.sub(mask, text)
