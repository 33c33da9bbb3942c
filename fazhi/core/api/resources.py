"""What a ledger declares to appear in the API (ADR 0014), and the generic upsert.

A ledger's `api.py` builds one `Resource` and registers it in its AppConfig.ready():

    RESOURCE = Resource(
        ledger=LEDGER,
        summary=OrderSummary,   # a list item (no personal data unmasked)
        detail=OrderDetail,     # one record
        filters=OrderFilters,   # a RecordFilters subclass: the list's query parameters
        upsert=Upsert(OrderIn, create=create_order),  # optional: PUT …/{unit}/{number}
    )

`fazhi.core.api.site` turns each into three endpoints under `/api/v1/<ledger slug>`; the
ledger writes no view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from django.db import models
from ninja import Field, FilterLookup, FilterSchema, Schema
from pydantic import AfterValidator, WithJsonSchema

from fazhi.core.records import corrections
from fazhi.core.records.ledger import Ledger
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError

Outcome = Literal["created", "updated", "unchanged"]


def one_of(choices: type[models.TextChoices], *, optional: bool = True) -> Any:
    """Annotated metadata for a field holding one of a ledger's choices, e.g.
    `Annotated[str | None, FilterLookup("form"), *one_of(Form)]`. Inlined in the OpenAPI schema
    (a Django enum would become a component named after its class, and two ledgers' `Status`
    would collide) and refused with a Chinese message."""
    values = [str(v) for v in choices.values]

    def check(value: Any) -> Any:
        if value is not None and value not in values:
            raise ValueError(f"应为以下之一：{'、'.join(values)}")
        return value

    schema: dict[str, Any] = {"type": "string", "enum": values}
    if optional:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return (AfterValidator(check), WithJsonSchema(schema))


class RecordSummary(Schema):
    """The kit's fields every record has; a ledger's schemas extend it."""

    number: str = Field(description="编号（本单位内唯一）")
    unit: str = Field(description="单位代码")
    status: str = Field(description="状态代码")
    status_label: str = Field(description="状态")
    due_on: Any = Field(None, description="当前最近的期限（YYYY-MM-DD），无则为 null")
    due_provisional: bool = Field(description="期限暂定（所涉年度的工作日历尚未载入）")

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj.unit.code)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        shown = getattr(obj, "get_status_display", None)
        return str(shown()) if shown is not None else str(obj.status)

    @staticmethod
    def resolve_due_on(obj: Any) -> str | None:
        return obj.due_on.isoformat() if obj.due_on else None


class RecordFilters(FilterSchema):
    """The list filters every ledger has; a ledger adds its own (dates, types)."""

    unit: Annotated[str | None, FilterLookup("unit__code")] = Field(
        None, description="只看该单位（单位代码）的记录"
    )
    status: Annotated[str | None, FilterLookup("status")] = Field(None, description="状态代码")
    number: Annotated[str | None, FilterLookup("number")] = Field(None, description="编号")


Create = Callable[..., Any]  # create(*, unit, by, number, fields) -> record: a ledger action
Update = Callable[..., Any]  # update(record, *, by, fields) -> record, or None if unchanged


@dataclass(frozen=True)
class Upsert:
    """Create or update a record by its business number (信访编号, 工单编号) within a unit.

    `schema` is the request body; its field names are the model's. `create` is the ledger's
    registering action. `update` defaults to correcting the fields that differ (the kit's
    `correct`, so the ledger's own validation runs and the change is in the timeline and the
    audit); a ledger whose pushed updates are steps (反馈, 办结) passes its own."""

    schema: type[Schema]
    create: Create
    update: Update | None = None
    reason: str = "由数据接口推送更新"


@dataclass(frozen=True)
class Resource:
    ledger: Ledger
    summary: type[RecordSummary]
    detail: type[RecordSummary]
    filters: type[RecordFilters] = RecordFilters
    upsert: Upsert | None = None
    select_related: tuple[str, ...] = ("unit",)

    @property
    def slug(self) -> str:
        return self.ledger.slug


def correct_changed(resource: Resource, record: Any, *, by: Any, fields: dict[str, Any]) -> Any:
    """The default update: correct exactly the fields whose values differ; None if none do."""
    assert resource.upsert is not None
    diff = {k: v for k, v in fields.items() if getattr(record, k) != v}
    if not diff:
        return None
    try:
        return corrections.correct(
            resource.ledger, record, by=by, changes=diff, reason=resource.upsert.reason
        )
    except ActionError as exc:
        # The ledger's validation normalised the values back to what is stored (an ID's
        # check digit upper-cased): nothing changed.
        if exc.message == corrections.NOTHING_TO_CORRECT:
            return None
        raise


def upsert(
    resource: Resource, *, unit: Any, number: str, by: Any, fields: dict[str, Any]
) -> tuple[Outcome, Any]:
    """The idempotent write: the same body twice creates once, then answers "unchanged"."""
    spec = resource.upsert
    assert spec is not None
    model = resource.ledger.model

    def existing() -> Any:
        return model.objects.visible_to(by).filter(unit=unit, number=number).first()

    record = existing()
    if record is None:
        try:
            return "created", spec.create(unit=unit, by=by, number=number, fields=dict(fields))
        except ActionError as exc:
            # Two pushes of the same new number at once: the second lost the race for the
            # number (the unique constraint) and updates what the first created.
            record = existing() if exc.field == "number" else None
            if record is None:
                raise
    if spec.update is not None:
        updated = spec.update(record, by=by, fields=dict(fields))
    else:
        updated = correct_changed(resource, record, by=by, fields=dict(fields))
    if updated is None:
        return "unchanged", record
    return "updated", updated


_RESOURCES: dict[str, Resource] = {}


def register_resource(resource: Resource) -> Resource:
    existing = _RESOURCES.get(resource.slug)
    if existing is not None and existing is not resource:
        raise ValueError(f"API resource {resource.slug} registered twice")
    _RESOURCES[resource.slug] = resource
    return resource


def resources() -> list[Resource]:
    return sorted(_RESOURCES.values(), key=lambda r: r.slug)


def actor_of(context: Any) -> Any:
    """In a schema's `resolve_…(obj, context)`: the account the request's token acts as (to
    decide, like the detail page, whether a value is shown in full or masked)."""
    token = getattr(context.get("request"), "auth", None) if context else None
    return getattr(token, "actor", None)


def shown(obj: Any, context: Any, value: str, mask: Callable[[str], Any]) -> str:
    """`value` of `obj` in full to a token that may handle the record's unit, masked otherwise
    (as the detail page shows personal data); "" stays ""."""
    if not value:
        return ""
    actor = actor_of(context)
    if actor is not None and access_for(actor).can(obj.unit_id, Permission.HANDLE):
        return value
    return str(mask(value))
