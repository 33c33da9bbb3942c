"""Automatic record numbers drawn from a counter row under a lock (no retry loops, no gaps from
races): the registering transaction holds the counter until it commits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from fazhi.core.records.models import NumberCounter

if TYPE_CHECKING:
    from fazhi.core.records.ledger import Ledger


def draw_number(ledger: Ledger, record: Any) -> str:
    """The next free number for the record's unit and prefix. Call inside a transaction."""
    assert ledger.numbering is not None
    prefix = ledger.numbering.prefix(record)
    counters = NumberCounter.objects.select_for_update()
    key = {"unit_id": record.unit_id, "scope": ledger.slug, "prefix": prefix}
    counter = counters.filter(**key).first()
    if counter is None:
        # First number with this prefix: continue after any imported or typed-in numbers.
        try:
            with transaction.atomic():
                NumberCounter.objects.create(**key, last=_highest(ledger, record.unit_id, prefix))
        except IntegrityError:
            pass  # another registration created it first; its lock is taken below
        counter = counters.get(**key)
    taken = ledger.model.with_voided.filter(unit_id=record.unit_id)
    n = counter.last + 1
    while taken.filter(number=_format(prefix, n, ledger.numbering.width)).exists():
        n += 1
    counter.last = n
    counter.save(update_fields=["last"])
    return _format(prefix, n, ledger.numbering.width)


def _format(prefix: str, n: int, width: int) -> str:
    return f"{prefix}{n:0{width}d}"


def _highest(ledger: Ledger, unit_id: int, prefix: str) -> int:
    numbers = ledger.model.with_voided.filter(
        unit_id=unit_id, number__startswith=prefix
    ).values_list("number", flat=True)
    tails = (n[len(prefix) :] for n in numbers)
    return max((int(t) for t in tails if t.isascii() and t.isdigit()), default=0)
