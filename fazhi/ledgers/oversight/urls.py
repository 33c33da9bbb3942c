from __future__ import annotations

from django.urls import path

from fazhi.ledgers.oversight import views

app_name = "oversight"

urlpatterns = [
    path("stats/", views.stats, name="stats"),
]
