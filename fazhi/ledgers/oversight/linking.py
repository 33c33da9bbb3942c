"""The record of another fazhi ledger a 履职记录 names (a 学法 session of the 普法 ledger, the
petition an instruction was on): found through the record kit's registry — ledgers never
import each other — and through the actor's door, in the 履职记录's own unit (another unit's
number answers like one that does not exist). Shared by the action, the form and the import."""

from __future__ import annotations

from typing import Any

from fazhi.core.records.ledger import get_ledger, ledgers
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError

OWN = frozenset({"oversight_duties", "oversight_rectify"})


def linkable() -> list[tuple[str, str]]:
    """(slug, name) of the ledgers a 履职记录 may name a record of."""
    return [(ledger.slug, ledger.name) for ledger in ledgers() if ledger.slug not in OWN]


def slug_for(name: str) -> str:
    """The slug of a ledger named as an import file names it (its Chinese name or its slug)."""
    text = name.strip()
    return next((s for s, n in linkable() if text in (n, s)), "")


def linked(unit: OrgUnit, by: Any, slug: str, number: str) -> dict[str, Any]:
    """The link fields for the record `number` of ledger `slug` ({} when neither is given)."""
    slug, number = (slug or "").strip(), (number or "").strip()
    if not slug and not number:
        return {}
    if not number:
        raise ActionError("请填写关联记录的编号", field="linked_number")
    ledger = get_ledger(slug) if slug not in OWN else None
    if ledger is None:
        raise ActionError("请选择关联记录所在的台账", field="linked_slug")
    found = ledger.model.objects.visible_to(by).filter(unit=unit, number=number).first()
    if found is None:
        raise ActionError(
            f"{unit.name}的{ledger.name}台账中没有编号为「{number[:64]}」的记录",
            field="linked_number",
        )
    return {"linked_slug": ledger.slug, "linked_pk": found.pk, "linked_number": found.number}
