from __future__ import annotations

from django.urls import path

from fazhi.core.attachments import views

app_name = "attachments"

urlpatterns = [
    path("download/<int:pk>/", views.download, name="download"),
    path("add/", views.add, name="add"),
    path("remove/<int:pk>/", views.remove, name="remove"),
]
