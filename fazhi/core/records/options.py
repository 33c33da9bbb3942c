"""Per-unit choices of how a ledger is run (a ledger's `UnitOption`s).

A unit's head (Permission.APPROVE) sets them on the ledger's 设置 page. A unit that has not
chosen follows its nearest upper unit that has (a district can decide for all its 街道), and
without any choice the option's default holds. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from fazhi.core.audit.models import record_event
from fazhi.core.records.ledger import Ledger, UnitOption
from fazhi.core.records.models import LedgerOption
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError

PERMISSION = Permission.APPROVE


@dataclass(frozen=True)
class OptionState:
    option: UnitOption
    own: bool | None  # what this unit chose; None: it follows
    value: bool  # what holds for the unit
    source: str  # where `value` comes from, in Chinese: "本单位设置", "沿用<上级>的设置", "默认"


def _option(ledger: Ledger, key: str) -> UnitOption:
    for option in ledger.options:
        if option.key == key:
            return option
    raise KeyError(f"ledger {ledger.slug} declares no option {key!r}")


def states(ledger: Ledger, unit: OrgUnit) -> list[OptionState]:
    """Every option of `ledger` as it holds for `unit`. The caller has passed the door to
    `unit`; its ancestors' choices are read only to say what it inherits."""
    chain = unit.ancestors_and_self()  # top first, `unit` last
    rows = LedgerOption.objects.filter(
        ledger=ledger.slug, unit_id__in=[u.pk for u in chain]
    ).values_list("unit_id", "key", "value")
    chosen = {(unit_id, key): value for unit_id, key, value in rows}
    found = []
    for option in ledger.options:
        own = chosen.get((unit.pk, option.key))
        value, source = option.default, "默认"
        for upper in reversed(chain):
            if (upper.pk, option.key) in chosen:
                value = chosen[(upper.pk, option.key)]
                source = "本单位设置" if upper.pk == unit.pk else f"沿用{upper.name}的设置"
                break
        found.append(OptionState(option, own, value, source))
    return found


def value(ledger: Ledger, unit: OrgUnit, key: str) -> bool:
    """What holds for `unit` (its own choice, else its nearest upper unit's, else the default)."""
    _option(ledger, key)
    return next(s.value for s in states(ledger, unit) if s.option.key == key)


def set_option(ledger: Ledger, unit: OrgUnit, key: str, chosen: bool | None, *, by: Any) -> bool:
    """Set (True/False) or clear (None: follow the upper units) a unit's choice. Returns
    whether anything changed."""
    option = _option(ledger, key)
    if not access_for(by).can(unit.pk, PERMISSION):
        raise ActionError("只有本单位负责人可以更改台账设置")
    with transaction.atomic():
        row = LedgerOption.objects.select_for_update().filter(
            unit=unit, ledger=ledger.slug, key=key
        )
        before = row.values_list("value", flat=True).first()
        if before == chosen:
            return False
        if chosen is None:
            row.delete()
        else:
            LedgerOption.objects.update_or_create(
                unit=unit, ledger=ledger.slug, key=key, defaults={"value": chosen, "set_by": by}
            )
        record_event(
            f"{ledger.slug}.option.set",
            by=by,
            unit_code=unit.code,
            object_type="records.option",
            object_id=f"{ledger.slug}.{key}",
            data={"option": option.label, "from": _word(before), "to": _word(chosen)},
        )
    return True


def _word(v: bool | None) -> str:
    return "沿用上级" if v is None else ("是" if v else "否")
