from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from fazhi.core.audit.models import AuditEvent
from fazhi.core.submissions.models import Submission
from fazhi.ledgers.disclosure.models import Application
from fazhi.ledgers.hotline.models import WorkOrder


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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit benchmark's baseline: the admin's changelist of the same table."""

    list_display = ["at", "code", "actor", "unit_code", "object_type", "object_id"]
    list_per_page = 50
    show_full_result_count = False  # the admin's cheaper count, the fairer baseline


@admin.register(WorkOrder)
class WorkOrderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The hotline list benchmark's baseline: the same columns, filters, search and page size."""

    list_display = [
        "number",
        "unit",
        "called_at",
        "category",
        "phone",
        "status",
        "time_limit",
        "due_on",
        "visit_result",
    ]
    list_filter = ["status", "category", "urgency"]
    search_fields = ["number", "content"]
    list_select_related = ["unit"]
    list_per_page = 50


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The inbox benchmark's baseline: the changelist of the submission table."""

    list_display = ["number", "unit", "kind", "year", "status", "submitted_on", "published_on"]
    list_filter = ["status", "kind", "year"]
    search_fields = ["number", "unit__name"]
    list_select_related = ["unit"]
    list_per_page = 50


urlpatterns = [path("admin/", admin.site.urls), path("", include("fazhi.urls"))]
