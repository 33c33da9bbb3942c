from __future__ import annotations

from django.urls import path

from fazhi.core.tasks import views

app_name = "tasks"

urlpatterns = [
    path("", views.run_list, name="list"),
    path("<int:pk>/", views.run_detail, name="detail"),
    path("<int:pk>/progress.json", views.run_progress, name="progress"),
]
