from __future__ import annotations

from django.urls import path

from fazhi.core.accounts import views

app_name = "accounts"

urlpatterns = [
    path("password/", views.password_change, name="password"),
    path("reset/<int:user_id>/", views.password_reset, name="reset"),
    path("locks/", views.locks, name="locks"),
    path("locks/lift/", views.lock_lift, name="lift"),
]
