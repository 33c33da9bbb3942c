from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Everything is served from this origin: no CDN, no remote fonts, no inline script.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
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
        limit = settings.FAZHI_MAX_REQUEST_BYTES
        if length > limit:
            message = f"上传内容过大（{length / 1024 / 1024:.1f} MB），单次上传上限为 {limit // 1024 // 1024} MB。"
            return render(
                request, "web/error.html", {"title": "上传内容过大", "message": message}, status=413
            )
        return self.get_response(request)
