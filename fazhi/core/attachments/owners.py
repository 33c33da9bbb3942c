"""Which ledgers own attachments, and each one's door to its records.

An attachment row carries its record's unit, so `Attachment.objects.visible_to(user)` is the
tenant door. A record can be closed to a user for reasons of its own (voided, restricted), so
every view also asks the owning ledger: `resolve(user, record_id)` returns the record or raises
Http404. A ledger registers once, at start-up (its AppConfig.ready or the record kit's ledger
declaration):

    register_owner("disclosure", lambda user, pk: get_for_user_or_404(Application, user, pk=pk))
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

from fazhi.core.tenancy.models import OrgUnit

__all__ = ["OwnedRecord", "Resolver", "register_owner", "resolve_record", "unregister_owner"]


class OwnedRecord(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def unit(self) -> OrgUnit: ...


Resolver = Callable[[Any, int], OwnedRecord]

_SLUG = re.compile(r"[a-z][a-z0-9_]{0,31}")
_OWNERS: dict[str, Resolver] = {}


def register_owner(slug: str, resolve: Resolver) -> None:
    if not _SLUG.fullmatch(slug):
        raise ImproperlyConfigured(f"attachment owner slug {slug!r} must match {_SLUG.pattern}")
    # == rather than `is`: a bound method is a new object each time it is looked up.
    if _OWNERS.get(slug, resolve) != resolve:
        raise ImproperlyConfigured(f"attachment owner {slug!r} is already registered")
    _OWNERS[slug] = resolve


def unregister_owner(slug: str) -> None:
    _OWNERS.pop(slug, None)


def is_owner(slug: str) -> bool:
    return slug in _OWNERS


def resolve_record(slug: str, user: Any, record_id: int) -> OwnedRecord:
    """The owner's record behind the owner's own door; an unknown owner is a 404 as well."""
    resolve = _OWNERS.get(slug)
    if resolve is None:
        raise Http404("未找到该记录")
    return resolve(user, record_id)
