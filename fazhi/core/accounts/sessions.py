"""Session limits: signed out after FAZHI_SESSION_IDLE_MINUTES without activity, and in any case
SESSION_COOKIE_AGE after signing in.

Django's own expiry slides with every save of the session, so it cannot give both limits: the
session keeps when it was opened and when it was last used (epoch seconds, time-machine moves
them in tests) and the middleware checks them on each request.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

STARTED = "fazhi_started"
SEEN = "fazhi_seen"
# Activity is written to the session at most this often: a page view is not a database write.
SEEN_RESOLUTION_SECONDS = 60

IDLE = "idle"
TOO_OLD = "too_old"
MESSAGES = {
    IDLE: "长时间未操作，已自动退出，请重新登录",
    TOO_OLD: "登录时间已满{hours}小时，已自动退出，请重新登录",
}


def _now() -> int:
    return int(timezone.now().timestamp())


def start(session: Any) -> None:
    now = _now()
    session[STARTED] = now
    session[SEEN] = now


def expired(session: Any) -> str | None:
    """IDLE or TOO_OLD if the session is past a limit, else None."""
    now = _now()
    seen = session.get(SEEN)
    started = session.get(STARTED)
    if isinstance(seen, int) and now - seen > settings.FAZHI_SESSION_IDLE_MINUTES * 60:
        return IDLE
    if isinstance(started, int) and now - started > settings.SESSION_COOKIE_AGE:
        return TOO_OLD
    return None


def touch(session: Any) -> None:
    """Note activity. A session from before these limits starts its clocks now."""
    now = _now()
    if not isinstance(session.get(STARTED), int):
        session[STARTED] = now
    seen = session.get(SEEN)
    if not isinstance(seen, int) or now - seen >= SEEN_RESOLUTION_SECONDS:
        session[SEEN] = now


def message(reason: str) -> str:
    return MESSAGES[reason].format(hours=settings.SESSION_COOKIE_AGE // 3600)
