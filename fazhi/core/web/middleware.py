from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from fazhi.core.web.errors import method_not_allowed, too_large

# Everything is served from this origin: no CDN, no remote fonts, no inline script.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)

# Pages drawn by ECharts: it positions its canvas and tooltip with style attributes set from
# script. `style-src-attr` allows exactly those; <style> elements and scripts stay refused.
CHARTS_CSP = CSP.replace("style-src 'self';", "style-src 'self'; style-src-attr 'unsafe-inline';")


class SecurityHeadersMiddleware:
    """Outermost, so that every response carries the headers, also those a middleware further
    in answers itself (a 413, a 400 for a bad Host).

    Any page or download for a signed-in user may carry personal data (full ID numbers on a
    detail page, exports, reports, findings): none may be kept by the browser or a proxy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(settings.STATIC_URL)
            and "no-store" not in response.get("Cache-Control", "")
        ):
            patch_cache_control(response, no_store=True)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than FAZHI_MAX_REQUEST_BYTES before Django spools it to disk.

    Per-file limits (FAZHI_MAX_UPLOAD_BYTES) give a precise message on the form; this is the
    outer wall against a batch upload filling the disk."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.FAZHI_MAX_REQUEST_BYTES:
            return too_large(request, length)
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """Django answers a wrong HTTP method (GET on the logout URL, say) with an empty 405; give
    it the app's Chinese page like every other error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "content", b""):
            return method_not_allowed(request, response.get("Allow", ""))
        return response
