from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"title": "未找到", "message": "您访问的页面或记录不存在，或您无权查看。"},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"title": "系统错误", "message": "系统出现错误，请稍后重试或联系管理员。"},
        status=500,
    )
