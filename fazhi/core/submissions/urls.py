from __future__ import annotations

from django.urls import path

from fazhi.core.submissions import views
from fazhi.core.web import converters  # noqa: F401 (registers <year:…>)

app_name = "submissions"

urlpatterns = [
    path("submissions/", views.own, name="own"),
    path("submissions/<str:code>/<slug:kind>/<year:year>/submit/", views.submit, name="submit"),
    path("submissions/<int:pk>/", views.detail, name="detail"),
    path("submissions/<int:pk>/v/<int:n>/file", views.version_file, name="file"),
    path("submissions/<int:pk>/comment/", views.add_comment, name="comment"),
    path("submissions/<int:pk>/m/<slug:code>/", views.move, name="move"),
    path("inbox/", views.inbox, name="inbox"),
]
