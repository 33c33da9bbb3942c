"""Masking personal data for lists, exports and logs (DESIGN invariant 8): the full value only
on a record's detail page, to those who handle it."""

from __future__ import annotations

from fazhi.core.imports.idnumber import mask_id_number

__all__ = ["mask_address", "mask_contact", "mask_id_number", "mask_name"]


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***; an organisation's name (over 6 characters) is kept."""
    name = name.strip()
    if not name or len(name) > 6:
        return name
    return name[0] + "*" * (len(name) - 1)


def mask_contact(contact: str) -> str:
    """13912345678 → 139****5678; anything shorter keeps only its last two characters."""
    c = contact.strip()
    if len(c) >= 11:
        return c[:3] + "*" * (len(c) - 7) + c[-4:]
    if len(c) > 2:
        return "*" * (len(c) - 2) + c[-2:]
    return "*" * len(c)


def mask_address(address: str) -> str:
    """Keep the first six characters (district, street), hide the rest."""
    a = address.strip()
    return a if len(a) <= 6 else a[:6] + "****"
