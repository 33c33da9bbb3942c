from __future__ import annotations

from django.urls import path

from fazhi.core.audit import views as audit_views
from fazhi.core.web import (
    calendar_views,
    converters,  # noqa: F401 (registers <year:…>)
    dashboard,
    manage_views,
    reason_views,
    report_views,
    review_views,
    transfer_views,
    views,
)

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("l/<slug:slug>/", views.record_list, name="list"),
    path("l/<slug:slug>/new/", views.record_new, name="new"),
    path("l/<slug:slug>/import/", transfer_views.import_view, name="import"),
    path("l/<slug:slug>/template.xlsx", transfer_views.template_view, name="template"),
    path("l/<slug:slug>/export.xlsx", transfer_views.export_view, name="export"),
    path("l/<slug:slug>/options/<str:code>/", views.record_options, name="options"),
    path("l/<slug:slug>/<int:pk>/", views.record_detail, name="detail"),
    path("l/<slug:slug>/<int:pk>/correct/", views.record_correct, name="correct"),
    path("l/<slug:slug>/<int:pk>/void/", reason_views.record_void, name="void"),
    path("l/<slug:slug>/<int:pk>/undo/", reason_views.record_undo, name="undo"),
    path("l/<slug:slug>/<int:pk>/m/<slug:move>/", views.record_move, name="move"),
    path("l/<slug:slug>/<int:pk>/c/<slug:child>/add/", views.child_add, name="child_add"),
    path(
        "l/<slug:slug>/<int:pk>/c/<slug:child>/<int:cid>/remove/",
        reason_views.child_remove,
        name="child_remove",
    ),
    path("reports/", report_views.report_index, name="reports"),
    path("reports/<slug:kind>/<str:code>/<year:year>/", report_views.report_view, name="report"),
    path(
        "reports/<slug:kind>/<str:code>/<year:year>/docx",
        report_views.report_docx,
        name="report_docx",
    ),
    path(
        "reports/<slug:kind>/<str:code>/<year:year>/json",
        report_views.report_json,
        name="report_json",
    ),
    path(
        "reports/<slug:kind>/<str:code>/<year:year>/edit/",
        report_views.report_edit,
        name="report_edit",
    ),
    path(
        "reports/<slug:kind>/<str:code>/<year:year>/input/<slug:key>/",
        report_views.report_input,
        name="report_input",
    ),
    path("review/", review_views.review_index, name="review"),
    path("review/<int:pk>/", review_views.review_run, name="review_run"),
    path("review/<int:pk>/findings.xlsx", review_views.review_export, name="review_export"),
    path("manage/units/", manage_views.unit_list, name="manage_units"),
    path("manage/units/<str:code>/", manage_views.unit_detail, name="manage_unit"),
    path("manage/users/", manage_views.user_list, name="manage_users"),
    path("manage/users/<int:pk>/", manage_views.user_detail, name="manage_user"),
    path("manage/roles/", manage_views.role_list, name="manage_roles"),
    path("audit/", audit_views.audit_events, name="audit"),
    path("audit/export.xlsx", audit_views.audit_export, name="audit_export"),
    path("calendar/", calendar_views.calendar_view, name="calendar"),
    path("calendar/<year:year>/", calendar_views.calendar_view, name="calendar_year"),
]
