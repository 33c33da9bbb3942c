from __future__ import annotations

from django.urls import path

from fazhi.ledgers.mediation import views

app_name = "mediation"

urlpatterns = [
    path("cases/<int:pk>/dossier.docx", views.dossier_docx, name="dossier"),
    path("stats/", views.stats, name="stats"),
]
