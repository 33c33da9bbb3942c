"""Every error status answers with the app's Chinese page and its security headers; pages for a
signed-in user are never cached (issue 6, item 9)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.error_urls")]


def assert_app_page(response: Any, status: int, title: str) -> None:
    assert response.status_code == status
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page and 'lang="zh-CN"' in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.fixture
def quiet_request_log() -> Any:
    """Django logs 4xx/5xx on django.request and django.security; expected here."""
    loggers = [logging.getLogger(n) for n in ("django.request", "django.security")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    yield
    for lg, level in zip(loggers, levels, strict=True):
        lg.setLevel(level)


def test_400_for_a_host_not_allowed(quiet_request_log: Any) -> None:
    response = Client().get("/", HTTP_HOST="fazhi.evil.example")
    assert_app_page(response, 400, "请求无效")


def test_400_for_too_many_fields(settings: Any, cast: Any, quiet_request_log: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = Client()
    client.force_login(cast.a_clerk)
    response = client.post(
        reverse("web:new", args=["disclosure"]), {f"f{i}": "x" for i in range(20)}
    )
    assert_app_page(response, 400, "提交内容过多")


def test_403_for_a_csrf_failure(cast: Any, quiet_request_log: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.a_clerk)
    response = client.post(reverse("web:new", args=["disclosure"]), {"applicant_name": "x"})
    assert_app_page(response, 403, "页面已过期")


def test_403_for_a_refused_permission(quiet_request_log: Any) -> None:
    assert_app_page(Client().get("/test/forbidden/"), 403, "无权操作")


def test_405_for_a_wrong_method(cast: Any, quiet_request_log: Any) -> None:
    client = Client()
    client.force_login(cast.a_clerk)
    response = client.get(reverse("logout"))  # signing out takes a POST
    assert_app_page(response, 405, "操作方式不正确")
    assert "POST" in response["Allow"]


def test_404(cast: Any, quiet_request_log: Any) -> None:
    client = Client()
    client.force_login(cast.b_clerk)
    assert_app_page(client.get("/no/such/page/"), 404, "未找到")


def test_500(cast: Any, quiet_request_log: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(cast.a_clerk)
    response = client.get("/test/broken/")
    assert_app_page(response, 500, "系统错误")
    assert "a bug" not in response.content.decode()


def test_413_for_a_body_over_the_request_limit(
    settings: Any, cast: Any, quiet_request_log: Any
) -> None:
    settings.FAZHI_MAX_REQUEST_BYTES = 1024
    client = Client()
    client.force_login(cast.supervisor)
    response = client.post(reverse("web:review"), {"reports": "x" * 5000})
    assert_app_page(response, 413, "上传内容过大")


def test_413_for_a_form_over_the_memory_limit(
    settings: Any, cast: Any, quiet_request_log: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = Client()
    client.force_login(cast.a_clerk)
    response = client.post(reverse("web:new", args=["disclosure"]), {"content": "x" * 5000})
    assert_app_page(response, 413, "提交内容过大")


def test_pages_and_downloads_for_a_signed_in_user_are_not_stored(cast: Any) -> None:
    client = Client()
    client.force_login(cast.a_clerk)
    for url in [
        reverse("web:home"),
        reverse("web:list", args=["disclosure"]),
        reverse("web:export", args=["disclosure"]),
        reverse("web:report", args=["xxgk", "A1", 2026]),
        reverse("web:report_docx", args=["xxgk", "A1", 2026]),
        "/no/such/page/",
    ]:
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url


def test_static_assets_stay_cacheable(cast: Any) -> None:
    client = Client()
    client.force_login(cast.a_clerk)
    asset = client.get("/static/fazhi/app.css")
    asset.close()
    assert asset.status_code == 200
    assert "no-store" not in asset.get("Cache-Control", "")
