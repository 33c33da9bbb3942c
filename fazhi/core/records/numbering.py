"""Automatic record numbers drawn from a counter row under a lock (no retry loops, no gaps from
races): the registering transaction holds the counter until it commits."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from fazhi.core.records.models import NumberCounter
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError

if TYPE_CHECKING:
    from fazhi.core.records.ledger import Ledger


def draw_number(ledger: Ledger, record: Any) -> str:
    """The next free number for the record's unit and prefix. Call inside a transaction."""
    assert ledger.numbering is not None
    prefix = ledger.numbering.prefix(record)
    counter = _locked_counter(
        record.unit_id, ledger.slug, prefix, lambda: _highest(ledger, record.unit_id, prefix)
    )
    taken = ledger.model.with_voided.filter(unit_id=record.unit_id)
    n = counter.last + 1
    while taken.filter(number=_format(prefix, n, ledger.numbering.width)).exists():
        n += 1
    counter.last = n
    counter.save(update_fields=["last"])
    return _format(prefix, n, ledger.numbering.width)


def next_in_sequence(unit_id: int, scope: str, prefix: str, *, highest: Callable[[], int]) -> int:
    """The next value of the counter (unit, scope, prefix) — e.g. a unit's letters of one year.
    Call inside a transaction: the counter stays locked until it ends, so a rolled-back caller
    leaves no gap and two callers never get the same value. `highest()` seeds a new counter
    with what was numbered before it existed."""
    counter = _locked_counter(unit_id, scope, prefix, highest)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _locked_counter(
    unit_id: int, scope: str, prefix: str, highest: Callable[[], int]
) -> NumberCounter:
    counters = NumberCounter.objects.select_for_update()
    key = {"unit_id": unit_id, "scope": scope, "prefix": prefix}
    counter = counters.filter(**key).first()
    if counter is None:
        # First number with this prefix: continue after any imported or typed-in numbers.
        try:
            with transaction.atomic():
                NumberCounter.objects.create(**key, last=highest())
        except IntegrityError:
            pass  # another registration created it first; its lock is taken below
        counter = counters.get(**key)
    return counter


def _format(prefix: str, n: int, width: int) -> str:
    return f"{prefix}{n:0{width}d}"


def _highest(ledger: Ledger, unit_id: int, prefix: str) -> int:
    numbers = ledger.model.with_voided.filter(
        unit_id=unit_id, number__startswith=prefix
    ).values_list("number", flat=True)
    tails = (n[len(prefix) :] for n in numbers)
    return max((int(t) for t in tails if t.isascii() and t.isdigit()), default=0)


_MARK = "\x00"


def _shape(ledger: Ledger, record: Any) -> re.Pattern[str] | None:
    """The ledger's automatic number for the record with the unit's code left open (and every
    year or other figure in the prefix open too: a number of another year has the same shape),
    or None when the prefix does not carry the unit's code."""
    assert ledger.numbering is not None
    stand_in = copy.copy(record)
    unit = copy.copy(record.unit)
    unit.code = _MARK
    stand_in.unit = unit
    parts = ledger.numbering.prefix(stand_in).split(_MARK)
    if len(parts) < 2:
        return None
    fixed = [re.sub(r"\d+", r"\\d+", re.escape(p)) for p in parts]
    rest = "".join(r"\1" + p for p in fixed[2:])  # the code again, if the prefix repeats it
    return re.compile(fixed[0] + "(.+?)" + fixed[1] + rest + r"\d+")


def check_own_number(ledger: Ledger, record: Any) -> None:
    """A typed-in number in the shape of the ledger's automatic number of *another* unit (its
    prefix with that unit's code) is refused: the other unit may draw that very number, and a
    record handed up would then collide with that unit's own (ADR 0012)."""
    if ledger.numbering is None or not record.number:
        return
    shape = _shape(ledger, record)
    found = shape.fullmatch(record.number) if shape is not None else None
    if found is None or found[1] == record.unit.code:
        return
    if OrgUnit.objects.filter(code=found[1]).exclude(pk=record.unit_id).exists():
        raise ActionError(
            f"编号「{record.number}」是其他单位的自动编号格式，请留空由系统编号，或使用本单位的编号",
            field="number",
        )
