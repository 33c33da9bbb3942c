"""Who applies and when the application counts as received (条例 Arts. 29, 31; issue 9 item 6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fazhi.core.imports.idnumber import validate_credit_code
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure import actions
from fazhi.ledgers.disclosure.forms import RegisterForm
from fazhi.ledgers.disclosure.tests.importcase import id_number
from fazhi.ledgers.disclosure.validation import (
    check_id_number,
    check_receipt,
    missing_for_registration,
)

D = dt.date
PERSON, FIRM = "natural_person", "business"


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("91350100M000100Y43", True),  # the example printed in GB 32100-2015
        ("91440300708461136T", True),  # published codes of real companies
        ("911100001000079554", True),
        ("91110000600037341L", True),
        ("91350100M000100Y44", False),  # last character changed
        ("91350100M000100Y4", False),  # 17 characters
        ("91350100I000100Y43", False),  # I is not used
        ("91350100m000100y43", True),  # typed in lower case: normalised
    ],
)
def test_credit_code_checksum(code: str, valid: bool) -> None:
    assert (validate_credit_code(code) is None) is valid


@pytest.mark.parametrize(
    ("number", "category", "id_type", "message"),
    [
        (id_number(1), PERSON, "resident_id", None),
        (id_number(1), PERSON, "", None),  # an old record without its type: a resident ID
        (id_number(1)[:17] + "0", PERSON, "resident_id", "校验位"),
        ("H12345678", PERSON, "hk_macao_permit", None),  # other documents are kept as given
        ("E12345678", PERSON, "passport", None),
        ("91350100M000100Y43", PERSON, "credit_code", "自然人应提供身份证件"),
        ("91350100M000100Y43", FIRM, "credit_code", None),
        ("91350100M000100Y43", FIRM, "", None),
        ("91350100M000100Y44", FIRM, "credit_code", "校验位"),
        (id_number(1), FIRM, "resident_id", "统一社会信用代码"),
        ("", FIRM, "", None),  # absence is for missing_for_registration to report
    ],
)
def test_identity_document(number: str, category: str, id_type: str, message: str | None) -> None:
    got = check_id_number(number, category, id_type)
    assert (got is None) if message is None else (got is not None and message in got)


@pytest.mark.parametrize(
    ("channel", "arrived", "received", "message"),
    [
        ("in_person", None, D(2026, 3, 2), None),
        ("in_person", D(2026, 3, 2), D(2026, 3, 2), None),
        ("in_person", D(2026, 3, 2), D(2026, 3, 3), "提交之日"),
        ("registered_post", D(2026, 3, 2), D(2026, 3, 4), "签收之日"),
        ("letter", D(2026, 3, 2), D(2026, 3, 3), None),  # confirmed the next day
        ("letter", D(2026, 3, 4), D(2026, 3, 3), "不能早于到达日期"),
        ("online", D(2026, 3, 6), D(2026, 3, 9), None),  # confirmed after the weekend
        ("fax", D(2026, 3, 6), D(2026, 3, 5), "不能早于到达日期"),
    ],
)
def test_receipt_day_follows_the_channel(
    channel: str, arrived: dt.date | None, received: dt.date, message: str | None
) -> None:
    fields = {"channel": channel, "arrived_on": arrived, "received_on": received}
    if message is None:
        check_receipt(fields)
    else:
        with pytest.raises(ActionError, match=message):
            check_receipt(fields)


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"applicant_category": PERSON, "id_number": "x", "contact": "y"}, []),
        ({"applicant_category": PERSON, "id_number": "", "contact": "y"}, ["身份证件号码"]),
        (
            {"applicant_category": FIRM, "id_number": "", "contact": ""},
            ["统一社会信用代码", "联系方式"],
        ),
        (
            {"applicant_category": PERSON, "id_number": "x", "contact": "y", "channel": "letter"},
            ["与申请人确认收到的方式"],
        ),
        (
            {
                "applicant_category": PERSON,
                "id_number": "x",
                "contact": "y",
                "channel": "online",
                "confirmed_via": "system",
            },
            [],
        ),
    ],
)
def test_what_registration_requires(fields: dict[str, Any], missing: list[str]) -> None:
    assert missing_for_registration(fields) == missing


def form(**values: str) -> RegisterForm:
    data = {
        "received_on": "2026-11-20",
        "channel": "in_person",
        "applicant_category": PERSON,
        "applicant_name": "张三",
        "content": "某项目资料",
    } | values
    return RegisterForm(data)


def test_the_register_form_asks_for_identity_and_contact() -> None:
    bare = form()
    assert not bare.is_valid()
    assert "身份证件号码" in str(bare.errors["id_number"]) and "联系方式" in str(
        bare.errors["contact"]
    )
    full = form(id_number=id_number(3), contact="13800000000")
    assert full.is_valid(), full.errors
    assert full.cleaned_data["id_type"] == "resident_id"  # inferred for a person


@pytest.mark.django_db
def test_register_stores_identity_and_receipt(cast: Any, historical_entry: None) -> None:
    app = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=D(2026, 3, 3),
        arrived_on=D(2026, 3, 2),
        confirmed_via="phone",
        channel="letter",
        applicant_category=FIRM,
        applicant_name="某某公司",
        id_number="91350100m000100y43",
        contact="0591-88888888",
        content="某项目审批文件",
    )
    app.refresh_from_db()
    assert (app.id_type, app.id_number) == ("credit_code", "91350100M000100Y43")
    assert (app.arrived_on, app.confirmed_via) == (D(2026, 3, 2), "phone")
    with pytest.raises(ActionError, match="校验位"):
        actions.register(
            unit=cast.street_a,
            by=cast.a_clerk,
            received_on=D(2026, 3, 3),
            applicant_category=FIRM,
            applicant_name="某某公司",
            id_number="91350100M000100Y44",
            content="某项目审批文件",
        )


@pytest.mark.django_db
def test_import_and_export_carry_identity_and_receipt(cast: Any, historical_entry: None) -> None:
    from fazhi.core.imports.writing import write_xlsx
    from fazhi.ledgers.disclosure.bulk import import_file
    from fazhi.ledgers.disclosure.importing import SPEC
    from fazhi.ledgers.disclosure.models import Application
    from fazhi.ledgers.disclosure.tests.importcase import base_row, xlsx_bytes
    from fazhi.ledgers.disclosure.ui import UI

    rows = [
        base_row(
            1,
            D(2026, 3, 3),
            申请人类型="商业企业",
            申请人="某某公司",
            证件类型="统一社会信用代码",
            证件号码="91350100M000100Y43",
            收到方式="平常信函",
            到达日期=D(2026, 3, 2),
            确认方式="电话",
        ),
        base_row(2, D(2026, 3, 4), 证件类型="护照", 证件号码="E12345678"),
        base_row(3, D(2026, 3, 5), 证件号码=id_number(3)),  # no type: a resident ID
    ]
    every = [c.header for c in SPEC.columns]  # the template, with the new columns
    outcome = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes(rows, every), filename="x.xlsx"
    )
    assert outcome.ok, outcome.errors
    got = {
        a.number: (a.id_type, a.arrived_on, a.confirmed_via)
        for a in Application.objects.filter(unit=cast.street_a)
    }
    assert got == {
        "YSQ-2026-0001": ("credit_code", D(2026, 3, 2), "phone"),
        "YSQ-2026-0002": ("passport", None, ""),
        "YSQ-2026-0003": ("resident_id", None, ""),
    }
    headers, exported = UI.export(Application.objects.filter(unit=cast.street_a))
    table = {row[0]: dict(zip(headers, row, strict=True)) for row in exported}
    assert table["YSQ-2026-0001"]["证件号码"] == "91350100M000100Y43"  # an organisation's code
    assert table["YSQ-2026-0001"]["确认方式"] == "电话确认"
    assert "*" in str(table["YSQ-2026-0003"]["证件号码"])  # a person's number is masked
    again = import_file(
        unit=cast.street_a,
        by=cast.a_clerk,
        data=write_xlsx(headers, [list(r.values()) for r in table.values()]),
        filename="x.xlsx",
    )
    assert again.ok and again.unchanged == 3, again.errors
    bad = base_row(
        4,
        D(2026, 3, 6),
        申请人类型="商业企业",
        证件类型="统一社会信用代码",
        证件号码="91350100M000100Y44",
    )
    refused = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes([bad], every), filename="x.xlsx"
    )
    assert not refused.ok and "校验位" in str(refused.errors)
