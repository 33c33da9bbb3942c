from __future__ import annotations

from django.urls import path

from fazhi.ledgers.pufa import views

app_name = "pufa"

urlpatterns = [
    path("stats/", views.stats, name="stats"),
]
