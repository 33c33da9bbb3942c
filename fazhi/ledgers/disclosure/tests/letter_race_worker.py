"""One process of the letter-numbering race: a fresh interpreter sets up Django against the
database the parent names, waits for the others, and replies to one application (which
issues its letter in the same transaction)."""

from __future__ import annotations

import os
from typing import Any


def reply_one(
    database_url: str, media: str, app_id: int, user_id: int, barrier: Any, results: Any
) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["FAZHI_MEDIA_ROOT"] = media
    os.environ["DJANGO_SETTINGS_MODULE"] = "fazhi.settings"
    import django
    import pytest  # noqa: F401  (the settings install the toy ledger only under pytest)

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from fazhi.core.letters.models import Letter
    from fazhi.ledgers.disclosure import actions
    from fazhi.ledgers.disclosure.models import Application

    app = Application.objects.get(pk=app_id)
    user = get_user_model().objects.get(pk=user_id)
    connection.ensure_connection()
    barrier.wait(timeout=120)
    try:
        actions.reply(app=app, by=user, on=timezone.localdate(), outcome="granted")
        letter = Letter.objects.get(owner="disclosure", record_id=app_id)
    except Exception as exc:  # reported to the parent, which counts the failures
        results.put(f"error: {type(exc).__name__}: {exc}")
    else:
        results.put(letter.number)
    finally:
        connection.close()
