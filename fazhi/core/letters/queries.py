"""What a record's timeline shows of its letters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fazhi.core.letters.models import Letter
from fazhi.core.letters.registry import get_book
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.roles import Permission

__all__ = ["EventLetter", "event_letters"]


@dataclass(frozen=True)
class EventLetter:
    kind_name: str  # e.g. "补正告知书"
    letter: Letter | None  # None: not issued yet (an event from before letters, a failure)
    can_generate: bool  # the user may press "生成告知书" (no file yet, HANDLE on the unit)

    @property
    def attachment_id(self) -> int | None:
        return self.letter.attachment_id if self.letter else None


def event_letters(owner: str, record: Any, events: list[Any], user: Any) -> dict[int, EventLetter]:
    """Event id -> its letter, for the events of `record` that produce one. Imported steps
    produce none: their letters were sent before the ledger was kept here."""
    book = get_book(owner)
    if book is None:
        return {}
    issued = {
        letter.event_id: letter
        for letter in Letter.objects.visible_to(user)
        .filter(owner=owner, record_id=record.pk)
        .select_related("attachment")
    }
    handles = access_for(user).can(record.unit_id, Permission.HANDLE)
    found: dict[int, EventLetter] = {}
    for event in events:
        kind = book.kind_for(event)
        letter = issued.get(event.pk)
        if letter is not None:
            kind = book.kind(letter.kind) or kind
        if kind is None or (letter is None and (event.data or {}).get("imported_by")):
            continue
        missing = letter is None or letter.attachment is None or letter.attachment.is_removed
        live = event.undone_at is None
        found[event.pk] = EventLetter(kind.name, letter, handles and missing and live)
    return found
