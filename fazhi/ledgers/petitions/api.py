"""信访事项 in the API: list and read (no push: registering a petition needs a person at the
window or the 信访信息系统's own transfer, which is not this API's business yet)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, FilterLookup

from fazhi.core.api.resources import RecordFilters, RecordSummary, Resource, one_of, shown
from fazhi.core.masking import mask_address, mask_contact, mask_name
from fazhi.ledgers.petitions.ledger import LEDGER
from fazhi.ledgers.petitions.models import Category, Form, Petition, Source, Stage, Status


class PetitionSummary(RecordSummary):
    received_on: dt.date = Field(description="收到日期")
    stage: str = Field(description="事项类别：initial 信访事项 / review 复查 / recheck 复核")
    form: str = Field(description="信访形式")
    source: str = Field(description="来源")
    category: str = Field(description="信访类型")
    petitioner: str = Field(description="信访人（掩码；匿名为空）")
    replied_on: dt.date | None = Field(description="答复日期")

    @staticmethod
    def resolve_petitioner(obj: Petition, context: Any = None) -> str:
        return mask_name(obj.petitioner) if obj.petitioner else ""


class PetitionDetail(PetitionSummary):
    source_ref: str = Field(description="来源文号/系统编号")
    petitioner: str = Field(description="信访人（只读令牌为掩码）")
    address: str = Field(description="地址（只读令牌为掩码）")
    contact: str = Field(description="联系方式（只读令牌为掩码）")
    content: str = Field(description="诉求内容")
    routed_on: dt.date | None = Field(description="受理/转送/不予受理日期")
    result: str = Field(description="处理结果")
    satisfaction: str = Field(description="满意度")
    handle_due_on: dt.date | None = Field(description="办理期限")

    @staticmethod
    def resolve_petitioner(obj: Petition, context: Any = None) -> str:
        return shown(obj, context, obj.petitioner, mask_name)

    @staticmethod
    def resolve_address(obj: Petition, context: Any) -> str:
        return shown(obj, context, obj.address, mask_address)

    @staticmethod
    def resolve_contact(obj: Petition, context: Any) -> str:
        return shown(obj, context, obj.contact, mask_contact)


class PetitionFilters(RecordFilters):
    status: Annotated[str | None, FilterLookup("status"), *one_of(Status)] = Field(
        None, description="状态"
    )
    stage: Annotated[str | None, FilterLookup("stage"), *one_of(Stage)] = None
    form: Annotated[str | None, FilterLookup("form"), *one_of(Form)] = None
    source: Annotated[str | None, FilterLookup("source"), *one_of(Source)] = None
    category: Annotated[str | None, FilterLookup("category"), *one_of(Category)] = None
    received_from: Annotated[dt.date | None, FilterLookup("received_on__gte")] = Field(
        None, description="收到日期不早于"
    )
    received_to: Annotated[dt.date | None, FilterLookup("received_on__lte")] = Field(
        None, description="收到日期不晚于"
    )


RESOURCE = Resource(
    ledger=LEDGER, summary=PetitionSummary, detail=PetitionDetail, filters=PetitionFilters
)
