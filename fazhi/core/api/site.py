"""The API (ADR 0014): one django-ninja site under /api/v1/, built from the registered resources.

Every endpoint needs a token (`Authorization: Bearer fz_…`); what it shows and changes goes
through the token's door (`access_for_token`: its unit and the units below). A record outside
it answers exactly like a missing one. Errors are `{"errors": [{"loc": [...], "msg": "中文"}]}`.
"""
# No `from __future__ import annotations` in this module: django-ninja reads the endpoint
# functions' annotations at runtime, and the generated endpoints name schemas local to
# `_router`, which a string annotation could not find.

import base64
import binascii
import math
from functools import partial
from typing import Any

from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from ninja import Field, NinjaAPI, Query, Router, Schema, Status, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle
from pydantic import create_model

from fazhi.core.api import tokens
from fazhi.core.api.errors import ApiError, ErrorBody, body, from_validation
from fazhi.core.api.models import ApiToken, Scope
from fazhi.core.api.resources import Outcome, Resource, resources, upsert
from fazhi.core.tenancy.access import get_for_user_or_404, get_unit_for_user_or_404
from fazhi.core.workflow import ActionError

NOT_FOUND = "未找到该记录"
UNAUTHORIZED = "缺少访问令牌，或令牌无效、已吊销、已过期、所属单位已停用（请求头 Authorization: Bearer <令牌>）"
READ_ONLY = "该令牌为只读令牌，不能写入"
BAD_CURSOR = "分页游标无效，请使用上一页返回的 next_cursor"
MAX_ID = 2**63 - 1
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
BODY_PARAM = "payload"  # the upsert's body parameter; left out of error locations

DESCRIPTION = """fazhi 数据接口：供 12345 等业务平台推送和查询台账记录。

- 认证：每个请求带请求头 `Authorization: Bearer <令牌>`；令牌由管理员在「单位与用户 → 接口令牌」\
或命令 `fazhi token add` 新建，只显示一次。令牌只能访问其所属单位及下级单位的记录。
- 列表按记录 ID 升序分页：把返回的 `next_cursor` 作为下一次请求的 `cursor`，为 null 即已到末页。
- 新增或更新（PUT）以「单位代码 + 编号」为准，幂等：同一请求重复发送只新增一次，之后答复 unchanged。
- 每个令牌每分钟的请求数有上限（默认 1200 次），超出答复 429 并带 `Retry-After`（秒）。
- 出错时答复 `{"errors": [{"loc": [...], "msg": "中文说明"}]}`，`loc` 指出出错的位置（如 `["body", "received_on"]`）。
"""


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        # Before the token and before the body is read: an oversized push is refused unread.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = tokens.max_body_bytes()
        if length > limit:
            raise ApiError(
                413, f"请求体过大（{length} 字节），上限为 {limit} 字节，请分批推送", ["body"]
            )
        token = super().__call__(request)
        if token is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
            # The token's rights come before the body's validity: a read-only token, or a unit
            # the token cannot see, is refused as such even when the body is also invalid (a
            # 422 would tell a caller without rights what the record's fields are).
            if token.scope != Scope.WRITE:
                raise ApiError(403, READ_ONLY, ["header", "Authorization"])
            unit = (request.resolver_match.kwargs if request.resolver_match else {}).get("unit")
            if unit is not None:
                get_unit_for_user_or_404(token.actor, unit)
        return token

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return tokens.authenticate(token.strip())


class FazhiAPI(NinjaAPI):
    def create_response(
        self, request: HttpRequest, data: Any, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        response = super().create_response(request, data, *args, **kwargs)
        # Records carry personal data: no browser or proxy may keep them.
        patch_cache_control(response, no_store=True)
        return response


def _validation(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    errors = []
    for e in exc.errors:
        loc = tuple(e.get("loc", ()))
        if loc[:2] == ("body", BODY_PARAM):
            loc = ("body", *loc[2:])
        errors.append({**e, "loc": loc})
    return api.create_response(request, from_validation(errors), status=422)


def _unauthorized(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    response = api.create_response(
        request, body([{"loc": ["header", "Authorization"], "msg": UNAUTHORIZED}]), status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="fazhi"'
    return response


def _not_found(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    # One body for a missing record, a record of another unit and an unknown unit alike.
    return api.create_response(request, body([{"loc": ["path"], "msg": NOT_FOUND}]), status=404)


def _api_error(request: HttpRequest, exc: ApiError, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"errors": exc.items}, status=exc.status)


class TokenRate(SimpleRateThrottle):
    """At most FAZHI_API_RATE_PER_MINUTE requests a minute per token, across every worker
    process (the cache is shared files); read per request, so a changed setting applies."""

    def __init__(self) -> None:
        super().__init__(rate="1/m")

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "auth", None)
        # The token's random key, not its id: ids repeat across databases (test workers).
        return None if token is None else f"api_rate_{token.key}"

    def allow_request(self, request: HttpRequest) -> bool:
        self.cache = caches["api_throttle"]
        self.num_requests, self.duration = int(django_settings.FAZHI_API_RATE_PER_MINUTE), 60
        return super().allow_request(request)


def _throttled(request: HttpRequest, exc: Throttled, api: NinjaAPI) -> HttpResponse:
    limit = django_settings.FAZHI_API_RATE_PER_MINUTE
    wait = max(1, math.ceil(exc.wait or 1))
    response = api.create_response(
        request,
        body(
            [
                {
                    "loc": ["header", "Authorization"],
                    "msg": f"该令牌请求过于频繁（每分钟至多 {limit} 次），请 {wait} 秒后重试",
                }
            ]
        ),
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    # django-ninja's own refusals: a 400 is a body it could not parse.
    if exc.status_code == 400:
        item = {"loc": ["body"], "msg": "请求体不是有效的 JSON"}
    else:
        item = {"loc": [], "msg": "请求无效"}
    return api.create_response(request, body([item]), status=exc.status_code)


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"id:{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    if not text.startswith("id:") or not text[3:].isdigit() or not 0 < int(text[3:]) <= MAX_ID:
        raise ApiError(422, BAD_CURSOR, ["query", "cursor"])
    return int(text[3:])


def _no_nul(values: dict[str, Any], where: str) -> None:
    """PostgreSQL refuses NUL in text; such a value matches nothing and is refused plainly."""
    for name, value in values.items():
        if isinstance(value, str) and "\x00" in value:
            raise ApiError(422, "含有不允许的控制字符", [where, name])


def _known_params(request: HttpRequest, allowed: set[str]) -> None:
    """A misspelt filter (recieved_from) would silently list everything: refuse it."""
    for name in request.GET:
        if name not in allowed:
            raise ApiError(422, "不认识的查询参数", ["query", name])


def _check_number(number: str) -> str:
    text = number.strip()
    if not text or len(text) > 64 or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ApiError(422, "编号须为1至64个字符，不含控制字符", ["path", "number"])
    return text


def _actor(request: HttpRequest) -> Any:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return token.actor


def _router(res: Resource) -> Router:
    ledger = res.ledger
    slug = ledger.slug
    Summary: Any = res.summary
    Detail: Any = res.detail
    Filters: Any = res.filters
    Page = create_model(
        f"{Summary.__name__}Page",
        __base__=Schema,
        items=(list[Summary], ...),
        next_cursor=(str | None, Field(None, description="下一页的游标；为 null 即已到末页")),
    )
    router = Router(tags=[ledger.name])
    list_params = {*Filters.model_fields, "cursor", "limit"}

    def records(actor: Any) -> Any:
        return ledger.model.objects.visible_to(actor).select_related(*res.select_related)

    def one(actor: Any, unit: str, number: str) -> Any:
        if "\x00" in number or len(number) > 64:
            raise Http404(NOT_FOUND)
        found = get_unit_for_user_or_404(actor, unit)
        return get_for_user_or_404(records(actor).filter(unit=found), actor, number=number)

    @router.get(
        "",
        response={200: Page, 401: ErrorBody, 422: ErrorBody, 429: ErrorBody},
        operation_id=f"{slug}_list",
        url_name=f"{slug}_list",
        summary=f"{ledger.name}：列表",
        description="按记录 ID 升序；带 cursor 取下一页。只含令牌所属单位及下级单位的记录。",
    )
    def list_records(
        request: HttpRequest,
        filters: Query[Filters],
        cursor: str | None = Query(None, description="上一页返回的 next_cursor"),
        limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数"),
    ) -> Any:
        _known_params(request, list_params)
        _no_nul(filters.model_dump(), "query")
        qs = filters.filter(records(_actor(request)))
        if cursor is not None:
            qs = qs.filter(pk__gt=decode_cursor(cursor))
        rows = list(qs.order_by("pk")[: limit + 1])
        more = len(rows) > limit
        rows = rows[:limit]
        return {"items": rows, "next_cursor": encode_cursor(rows[-1].pk) if more else None}

    @router.get(
        "/{unit}/{number}",
        response={200: Detail, 401: ErrorBody, 404: ErrorBody, 422: ErrorBody, 429: ErrorBody},
        operation_id=f"{slug}_read",
        url_name=f"{slug}_read",
        summary=f"{ledger.name}：读取一条",
    )
    def read_record(request: HttpRequest, unit: str, number: str) -> Any:
        _known_params(request, set())
        return one(_actor(request), unit, number)

    spec = res.upsert
    if spec is None:
        return router
    Body: Any = spec.schema
    Written = create_model(
        f"{Detail.__name__}Written",
        __base__=Schema,
        result=(Outcome, Field(description="created 新增；updated 已更新；unchanged 无变化")),
        record=(Detail, ...),
    )
    body_fields = set(Body.model_fields)

    @router.put(
        "/{unit}/{number}",
        response={
            200: Written,
            201: Written,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            413: ErrorBody,
            422: ErrorBody,
            429: ErrorBody,
        },
        operation_id=f"{slug}_upsert",
        url_name=f"{slug}_upsert",
        summary=f"{ledger.name}：按编号新增或更新",
        description="编号在该单位不存在则新增（201），存在则更新有变化的字段（200）；幂等。",
    )
    def upsert_record(
        request: HttpRequest,
        unit: str,
        number: str,
        payload: Body,
    ) -> Any:
        token: ApiToken = request.auth  # type: ignore[attr-defined]
        _known_params(request, set())
        if token.scope != Scope.WRITE:
            raise ApiError(403, READ_ONLY, ["header", "Authorization"])
        number = _check_number(number)
        actor = token.actor
        found = get_unit_for_user_or_404(actor, unit)
        try:
            outcome, record = upsert(
                res, unit=found, number=number, by=actor, fields=payload.model_dump()
            )
        except ActionError as exc:
            loc = ["body"]
            if exc.field == "number":
                loc = ["path", "number"]
            elif exc.field is not None and exc.field in body_fields:
                loc = ["body", exc.field]
            raise ApiError(422, exc.message, loc) from exc
        record = records(actor).get(pk=record.pk)
        return Status(201 if outcome == "created" else 200, {"result": outcome, "record": record})

    return router


def build() -> NinjaAPI:
    api = FazhiAPI(
        title="fazhi 数据接口",
        version="1",
        description=DESCRIPTION,
        urls_namespace="api",
        auth=TokenAuth(),
        # The docs page (/api/docs) is served by fazhi.core.api.urls from the package's own
        # Swagger UI files; no validator badge, which Swagger UI would fetch from the internet.
        docs=Swagger(settings={"validatorUrl": None, "tryItOutEnabled": False}),
        docs_url=None,
        throttle=[TokenRate()],
    )
    handlers: list[tuple[type[Exception], Any]] = [
        (ValidationError, _validation),
        (AuthenticationError, _unauthorized),
        (Http404, _not_found),
        (ApiError, _api_error),
        (Throttled, _throttled),
        (HttpError, _http_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, partial(handler, api=api))
    _check_schema_names(resources())
    for res in resources():
        api.add_router(f"/{res.slug}", _router(res))
    return api


def _check_schema_names(declared: list[Resource]) -> None:
    """Schema classes name the OpenAPI components: two ledgers' `Summary` would silently
    share one (the second wins), so a clash stops the start-up instead."""
    owner: dict[str, str] = {}
    for res in declared:
        classes = [res.summary, res.detail, res.filters]
        if res.upsert is not None:
            classes.append(res.upsert.schema)
        for cls in {c for c in classes if c.__module__ != "fazhi.core.api.resources"}:
            seen = owner.setdefault(cls.__name__, res.slug)
            if seen != res.slug:
                raise ImproperlyConfigured(
                    f"API schema name {cls.__name__} is used by {seen} and {res.slug}"
                )
