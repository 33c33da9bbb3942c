"""Shared helpers of the letter tests: a letter's text read back from its stored file, and the
moves that produce each kind of letter."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import docx
from django.core.files.storage import default_storage

from fazhi.core.letters.models import Letter
from fazhi.ledgers.disclosure import actions
from fazhi.ledgers.disclosure.models import Application
from fazhi.ledgers.disclosure.tests.replycase import content

D = dt.date
FIRST = D(2026, 3, 2)
REPLY_ON = D(2026, 3, 20)


def new_app(cast: Any, unit: Any = None, by: Any = None, **kw: Any) -> Application:
    fields = {
        "received_on": FIRST,
        "applicant_category": "natural_person",
        "applicant_name": "王某",
        "content": "辖区老旧小区改造项目清单",
    } | kw
    return actions.register(unit=unit or cast.street_a, by=by or cast.a_clerk, **fields)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


def stored(letter: Letter) -> bytes:
    assert letter.attachment is not None, letter.render_error
    with default_storage.open(letter.attachment.storage_name, "rb") as fh:
        data: bytes = fh.read()
    return data


def letter_text(letter: Letter) -> str:
    return docx_text(stored(letter))


def last_letter(app: Application) -> Letter:
    found = Letter.objects.filter(owner="disclosure", record_id=app.pk).order_by("-id").first()
    assert found is not None, "no letter was issued"
    return found


def reply(
    cast: Any,
    app: Application,
    outcome: str,
    on: dt.date = REPLY_ON,
    by: Any = None,
    **kw: Any,
) -> Any:
    by = by or (cast.a_clerk if app.unit_id == cast.street_a.pk else cast.b_clerk)
    return actions.reply(app=app, by=by, on=on, outcome=outcome, **(content(outcome) | kw))


Move = Callable[[Any, Application], Application]
