"""The app's URLs and error handlers, plus two views that fail, for tests/web/test_errors.py."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from fazhi.urls import handler400, handler403, handler404, handler500
from fazhi.urls import urlpatterns as app_urls

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("test/forbidden/", forbidden),
    path("test/broken/", broken),
    *app_urls,
]
