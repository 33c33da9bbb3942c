"""The toy ledger in the API: list, read and the generic idempotent upsert by 案件编号."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, FilterLookup, Schema

from fazhi.core.api.resources import RecordFilters, RecordSummary, Resource, Upsert, one_of
from fazhi.core.masking import mask_id_number
from fazhi.core.records.tests.toy import actions
from fazhi.core.records.tests.toy.ledger import LEDGER
from fazhi.core.records.tests.toy.models import Case, Category


class CaseSummary(RecordSummary):
    received_on: dt.date
    subject: str
    category: str


class CaseDetail(CaseSummary):
    id_number: str = Field(description="证件号码（掩码）")
    handle_due_on: dt.date | None
    closed_on: dt.date | None

    @staticmethod
    def resolve_id_number(obj: Case) -> str:
        return mask_id_number(obj.id_number) if obj.id_number else ""


class CaseFilters(RecordFilters):
    received_from: Annotated[dt.date | None, FilterLookup("received_on__gte")] = None
    received_to: Annotated[dt.date | None, FilterLookup("received_on__lte")] = None
    category: Annotated[str | None, FilterLookup("category"), *one_of(Category)] = None


class CaseIn(Schema):
    received_on: dt.date = Field(description="收到日期")
    subject: str = Field(min_length=1, max_length=100, description="事项")
    category: Annotated[str, *one_of(Category, optional=False)] = Field(
        Category.PERSON.value, description="类型"
    )
    id_number: str = Field("", max_length=32, description="证件号码")


def create(*, unit: Any, by: Any, number: str, fields: dict[str, Any]) -> Case:
    # A pushed case was entered on the platform when it arrived; its late arrival here is the
    # transfer's, not a clerk's backdating.
    return actions.register(
        unit=unit, by=by, number=number, backdate_reason="由数据接口推送", **fields
    )


RESOURCE = Resource(
    ledger=LEDGER,
    summary=CaseSummary,
    detail=CaseDetail,
    filters=CaseFilters,
    upsert=Upsert(CaseIn, create=create),
)
