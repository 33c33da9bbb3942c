from __future__ import annotations

from django.urls import path

from fazhi.ledgers.hotline import views

app_name = "hotline"

urlpatterns = [
    path("import/", views.import_view, name="import"),
    path("mappings/", views.mapping_view, name="mappings"),
    path("mappings/<int:pk>/", views.mapping_view, name="mapping"),
    path("ranking/", views.ranking_view, name="ranking"),
]
