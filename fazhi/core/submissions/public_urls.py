"""The public page of published reports: no login (they are public by law)."""

from __future__ import annotations

from django.urls import path

from fazhi.core.submissions import views

app_name = "public"

urlpatterns = [
    path("reports/", views.public_list, name="reports"),
    path("reports/<int:pk>/file", views.public_file, name="report_file"),
]
