"""Sign-in throttling on top of django-axes.

Two locks, both lifting by themselves after AXES_COOLOFF_TIME:
- a username at one client address is locked after AXES_FAILURE_LIMIT failures, so typos lock
  neither colleagues behind the same proxy nor the same account used from another desk, and a
  stranger cannot lock a named account from elsewhere;
- a client address is throttled after FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT failures over all names,
  against guessing many accounts from one place.

The client address is REMOTE_ADDR, or the X-Forwarded-For entry added by a proxy listed in
FAZHI_TRUSTED_PROXIES: a header anyone else sends is not believed.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _address(value: str) -> Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: Address) -> bool:
    return any(address in network for network in settings.FAZHI_TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from. Behind trusted proxies, walk X-Forwarded-For from the
    right (each proxy appends the address it saw) to the first hop that is not a trusted proxy;
    entries further left were written by the client and prove nothing."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    client = remote
    if _trusted(remote):
        for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            hop = _address(entry)
            if hop is None:
                break
            client = hop
            if not _trusted(hop):
                break
    return str(client)


def unscoped_recent_attempts(request: HttpRequest) -> QuerySet[AccessAttempt]:
    """Sign-in attempts of every account (not tenant data: the per-address throttle counts them)."""
    since = get_cool_off_threshold(request)
    return AccessAttempt.objects.filter(attempt_time__gte=since)  # unscoped_: no unit owns these


def _tally(attempts: QuerySet[AccessAttempt]) -> tuple[int, dt.datetime | None]:
    row = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    return row["failures"] or 0, row["last"]


class SignInHandler(AxesDatabaseHandler):
    """Axes' database handler (which locks the username-and-address pair, per
    AXES_LOCKOUT_PARAMETERS) plus the per-address throttle."""

    def address_failures(self, request: HttpRequest) -> int:
        address = request.axes_ip_address  # type: ignore[attr-defined]
        return _tally(unscoped_recent_attempts(request).filter(ip_address=address))[0]

    def address_locked(self, request: HttpRequest) -> bool:
        return self.address_failures(request) >= settings.FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out and self.address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The lock page, saying which lock holds and when it lifts (local time)."""
    recent = unscoped_recent_attempts(request).filter(ip_address=request.axes_ip_address)  # type: ignore[attr-defined]
    username = get_client_username(request, credentials)
    pair_failures, pair_last = _tally(recent.filter(username=username))
    address_failures, address_last = _tally(recent)
    limit = get_failure_limit(request, credentials)
    address_limit = settings.FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT
    last = [
        t
        for t, locked in (
            (pair_last, pair_failures >= limit),
            (address_last, address_failures >= address_limit),
        )
        if locked and t is not None
    ]
    cool_off = get_cool_off(request) or dt.timedelta(0)
    until = max(last, default=timezone.now()) + cool_off
    context = {
        "by_address": address_failures >= address_limit and pair_failures < limit,
        "limit": limit,
        "until": timezone.localtime(until),
    }
    return render(request, "web/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def wrong_password(request: HttpRequest, username: str) -> HttpResponse | None:
    """A wrong current password on a signed-in page (修改密码) counts as a failed sign-in of that
    username at that address, so a left-open session cannot be used to guess the password
    faster than the sign-in page allows. Once the lock holds, the session ends and the lock
    page answers; None while it does not."""
    from axes.handlers.proxy import AxesProxyHandler
    from django.contrib.auth import logout
    from django.contrib.auth.signals import user_login_failed

    credentials = {"username": username}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if not AxesProxyHandler.is_locked(request, credentials):
        return None
    logout(request)
    return lockout_response(request, credentials=credentials)
