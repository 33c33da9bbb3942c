"""The parties' personal data outside their handlers' hands (DESIGN invariant 8): natural
persons' names, ID numbers, addresses, and every contact number, masked. An organisation's name,
credit code and address are not personal data."""

from __future__ import annotations

from typing import Any

from fazhi.core.masking import mask_address, mask_contact, mask_id_number, mask_name
from fazhi.ledgers.mediation.models import PartyKind


def masked_party(p: Any) -> dict[str, str]:
    """The fields of a `Party` as a user without the HANDLE permission sees them."""
    shown = {"contact": mask_contact(p.contact) if p.contact else ""}
    if p.kind == PartyKind.PERSON:
        shown |= {
            "name": mask_name(p.name),
            "id_number": mask_id_number(p.id_number) if p.id_number else "",
            "address": mask_address(p.address),
        }
    return shown


def party_label(p: Any) -> str:
    """How the timeline names a party added or removed: masked, since events are a log."""
    name = mask_name(p.name) if p.kind == PartyKind.PERSON else p.name
    return f"{name}（{p.get_kind_display()}）"
