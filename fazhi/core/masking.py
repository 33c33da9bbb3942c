"""Masking personal data for lists, exports and logs (DESIGN invariant 8): the full value only
on a record's detail page, to those who handle it."""

from __future__ import annotations

from fazhi.core.imports.idnumber import mask_id_number

__all__ = ["mask_address", "mask_contact", "mask_id_number", "mask_name"]


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
