from __future__ import annotations

from django.urls import path

from fazhi.core.letters import views

app_name = "letters"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:owner>/", views.book_page, name="book"),
    path("<slug:owner>/profile/", views.profile, name="profile"),
    path("<slug:owner>/<slug:kind>/default.docx", views.default_template, name="default"),
    path("<slug:owner>/<slug:kind>/upload/", views.upload, name="upload"),
    path("<slug:owner>/<slug:kind>/revert/", views.revert, name="revert"),
    path("template/<int:pk>/", views.unit_template, name="unit_template"),
    path("letter/<int:pk>/", views.download, name="download"),
    path(
        "generate/<slug:owner>/<int:record_id>/<int:event_id>/",
        views.generate,
        name="generate",
    ),
]
