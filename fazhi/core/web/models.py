"""What the web layer itself keeps: the forms already submitted (see once.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class SubmittedFormQuerySet(models.QuerySet["SubmittedForm"]):
    def of(self, user: Any) -> SubmittedFormQuerySet:
        """A user's own submitted forms: nobody reads another's tokens."""
        return self.filter(user=user)


class SubmittedForm(models.Model):
    """A form's one-time token, claimed by the first POST that carries it. The same form posted
    again (a double click, the back button, a retry) finds its token taken and is not done
    twice; `result_url` is where the first one led."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    result_url = models.CharField(max_length=300, blank=True)

    objects = SubmittedFormQuerySet.as_manager()

    def __str__(self) -> str:
        return self.token
