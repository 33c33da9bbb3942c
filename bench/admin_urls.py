from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from fazhi.ledgers.disclosure.models import Application


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "number",
        "unit",
        "received_on",
        "applicant_category",
        "applicant_name",
        "status",
        "due_on",
        "outcome",
    ]
    list_filter = ["status", "applicant_category"]
    search_fields = ["number", "applicant_name", "content"]
    list_select_related = ["unit"]
    list_per_page = 50


urlpatterns = [path("admin/", admin.site.urls), path("", include("fazhi.urls"))]
