"""Signal receivers: a sign-in lock is audited when it sets in; a sign-in starts the clocks of
the session limits."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from fazhi.core.accounts import actions, sessions


@receiver(user_locked_out, dispatch_uid="fazhi.accounts.lock_recorded")
def _lock_recorded(
    sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any
) -> None:
    # Axes sends the signal again for every try refused while locked. Only a counted failure
    # (one that may have set a lock off) leaves axes_failures_since_start set on the request;
    # a refused try is turned away before counting and leaves it None.
    if request is None or getattr(request, "axes_failures_since_start", None) is None:
        return
    actions.record_lock(username=username, address=ip_address)


@receiver(user_logged_in, dispatch_uid="fazhi.accounts.session_started")
def _session_started(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.start(request.session)
