from __future__ import annotations

from django.apps import apps
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("fazhi.core.accounts.urls")),
    path("attachments/", include("fazhi.core.attachments.urls")),
    path("letters/", include("fazhi.core.letters.urls")),
    path("tasks/", include("fazhi.core.tasks.urls")),
    path("api/", include("fazhi.core.api.urls")),
    path("manage/tokens/", include("fazhi.core.api.manage_urls")),
    path("", include("fazhi.core.submissions.urls")),
    path("public/", include("fazhi.core.submissions.public_urls")),
    path("", include("fazhi.core.web.urls")),
]
# A ledger's own pages, where it has any (the kit runs without any ledger installed).
if apps.is_installed("fazhi.ledgers.disclosure"):
    urlpatterns.insert(-1, path("xxgk/", include("fazhi.ledgers.disclosure.proactive.urls")))
if apps.is_installed("fazhi.ledgers.hotline"):
    urlpatterns.insert(-1, path("hotline/", include("fazhi.ledgers.hotline.urls")))
if apps.is_installed("fazhi.ledgers.mediation"):
    urlpatterns.insert(-1, path("tj/", include("fazhi.ledgers.mediation.urls")))
if apps.is_installed("fazhi.ledgers.pufa"):
    urlpatterns.insert(-1, path("pufa/", include("fazhi.ledgers.pufa.urls")))
if apps.is_installed("fazhi.ledgers.oversight"):
    urlpatterns.insert(-1, path("oversight/", include("fazhi.ledgers.oversight.urls")))

handler400 = "fazhi.core.web.errors.bad_request"
handler403 = "fazhi.core.web.errors.permission_denied"
handler404 = "fazhi.core.web.errors.not_found"
handler500 = "fazhi.core.web.errors.server_error"
