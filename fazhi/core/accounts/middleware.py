"""Session limits and the password that must be changed, applied to every request."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from fazhi.core.accounts import sessions

Handler = Callable[[HttpRequest], HttpResponse]


def _background(request: HttpRequest) -> bool:
    """A page polling for progress (a task page) is not someone at work."""
    return "application/json" in request.headers.get("Accept", "")


class SessionLimitsMiddleware:
    """Signs out a session idle longer than FAZHI_SESSION_IDLE_MINUTES or older than
    SESSION_COOKIE_AGE, and sends the browser to the sign-in page, which says why."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            reason = sessions.expired(request.session)
            if reason is not None:
                logout(request)
                messages.info(request, sessions.message(reason))
                query = {"next": request.get_full_path()} if request.method == "GET" else {}
                url = reverse(settings.LOGIN_URL)
                return HttpResponseRedirect(f"{url}?{urlencode(query)}" if query else url)
            if not _background(request):
                sessions.touch(request.session)
        return self.get_response(request)


MUST_CHANGE = "您的密码是管理员重置的一次性密码，请先设置自己的新密码，然后才能继续使用系统。"


class MustChangePasswordMiddleware:
    """After signing in with a one-time password every page leads to the change page, except
    the change page itself, signing out and static files."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and self._must_change(user):
            allowed = (reverse("accounts:password"), reverse("logout"), settings.STATIC_URL)
            if not request.path.startswith(allowed):
                return HttpResponseRedirect(reverse("accounts:password"))
        return self.get_response(request)

    @staticmethod
    def _must_change(user: object) -> bool:
        profile = getattr(user, "profile", None)
        return bool(profile is not None and profile.must_change_password)
