from __future__ import annotations

from django.urls import path

from fazhi.ledgers.disclosure.proactive import views

app_name = "xxgk"

urlpatterns = [
    path("", views.index, name="index"),
    path("guide/<str:code>/", views.guide_view, name="guide"),
    path("guide/<str:code>/edit/", views.guide_edit, name="guide_edit"),
    path("guide/<str:code>/docx", views.guide_docx, name="guide_docx"),
    path("catalogue/<str:code>/", views.catalogue, name="catalogue"),
    path("catalogue/<str:code>/xlsx", views.catalogue_xlsx, name="catalogue_xlsx"),
]
