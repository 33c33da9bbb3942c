"""Every error page in Chinese, on the app's own template (handlers in fazhi/urls.py,
CSRF_FAILURE_VIEW, RequestSizeLimitMiddleware)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

TEMPLATE = "web/error.html"


def _page(request: HttpRequest, title: str, message: str, status: int) -> HttpResponse:
    return render(request, TEMPLATE, {"title": title, "message": message}, status=status)


def too_large(request: HttpRequest, length: int | None = None) -> HttpResponse:
    limit = settings.FAZHI_MAX_REQUEST_BYTES
    size = f"（{length / 1024 / 1024:.1f} MB）" if length else ""
    return _page(
        request,
        "上传内容过大",
        f"上传内容过大{size}，单次上传上限为 {limit // 1024 // 1024} MB。",
        413,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return _page(request, "提交内容过大", "提交的表单内容过大，请分批提交或改用文件导入。", 413)
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return _page(request, "提交内容过多", "一次提交的字段或文件过多，请分批提交。", 400)
    return _page(request, "请求无效", "请求无效或格式不正确，请返回上一页重试。", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "无权操作", "您没有执行此操作的权限。", 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(
        request,
        "页面已过期",
        "页面已过期或无法确认请求来自本系统，请返回上一页刷新后重新提交。",
        403,
    )


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    response = _page(
        request, "操作方式不正确", "该页面不支持这种访问方式，请从页面上的按钮操作。", 405
    )
    response["Allow"] = allowed
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "未找到", "您访问的页面或记录不存在，或您无权查看。", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: what failed (the database, say) must not fail the error page too.
    html = render_to_string(
        TEMPLATE, {"title": "系统错误", "message": "系统出现错误，请稍后重试或联系管理员。"}
    )
    return HttpResponseServerError(html)
