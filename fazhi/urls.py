from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("attachments/", include("fazhi.core.attachments.urls")),
    path("tasks/", include("fazhi.core.tasks.urls")),
    path("xxgk/", include("fazhi.ledgers.disclosure.proactive.urls")),
    path("", include("fazhi.core.web.urls")),
]

handler400 = "fazhi.core.web.errors.bad_request"
handler403 = "fazhi.core.web.errors.permission_denied"
handler404 = "fazhi.core.web.errors.not_found"
handler500 = "fazhi.core.web.errors.server_error"
