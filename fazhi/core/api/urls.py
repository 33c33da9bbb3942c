"""/api/v1/ (the django-ninja site) and /api/docs (its Swagger UI, served from local files)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from fazhi.core.api.site import build

API = build()


def docs(request: HttpRequest) -> HttpResponse:
    return API.docs.render_page(request, API)


urlpatterns = [
    path("v1/", API.urls),
    path("docs", docs, name="api_docs"),
]
