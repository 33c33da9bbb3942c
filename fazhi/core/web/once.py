"""Forms that do their work once, whatever the browser sends.

A form page carries a one-time token (`{% once_token %}` in the template). The view claims it
in the transaction that does the work: the first POST inserts it; a second POST of the same
form — two clicks at once, the back button, a proxy's retry — meets the unique index, waits for
the first to commit and is told it was done already. If the work fails (a Chinese error, nothing
written), the claim rolls back with it and the corrected form can be sent again.

A POST without a token (an old page, a script) is not protected, as before.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from fazhi.core.web.models import SubmittedForm

FIELD = "_once"
KEEP = dt.timedelta(days=2)
DUPLICATE_MESSAGE = "该表单已经提交过，本次没有重复办理"


class Duplicate(Exception):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def new_token() -> str:
    return secrets.token_urlsafe(24)


def claim(request: HttpRequest) -> SubmittedForm | None:
    """Call inside the transaction that does the work. Raises Duplicate when this form was
    submitted already (its `url` is where the first submission led, or "")."""
    token = str(request.POST.get(FIELD, ""))[:64]
    if not token:
        return None
    user: Any = request.user
    SubmittedForm.objects.of(user).filter(created_at__lt=timezone.now() - KEEP).delete()
    try:
        with transaction.atomic():
            return SubmittedForm.objects.create(token=token, user=user)
    except IntegrityError:
        prior = SubmittedForm.objects.of(user).filter(token=token).first()
        raise Duplicate(prior.result_url if prior else "") from None


def seen(request: HttpRequest) -> bool:
    """This form was submitted already by its user (a replay): answer with DUPLICATE_MESSAGE
    rather than with what the record has become meanwhile."""
    token = str(request.POST.get(FIELD, ""))[:64]
    if not token:
        return False
    return SubmittedForm.objects.of(request.user).filter(token=token).exists()


def done(claimed: SubmittedForm | None, url: str) -> None:
    """Record where the first submission led, for the ones that follow it."""
    if claimed is not None:
        claimed.result_url = url[:300]
        claimed.save(update_fields=["result_url"])
