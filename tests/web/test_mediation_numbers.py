"""The 人民调解 register form, the action and the import refuse a hand-typed 调解编号 in another
unit's automatic format (its code): it would collide with that unit's own case once handed up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core.imports.writing import write_csv
from fazhi.core.records import bulk
from fazhi.core.workflow import ActionError
from fazhi.ledgers.mediation import actions
from fazhi.ledgers.mediation.importing import DECLARATION, HEADERS
from fazhi.ledgers.mediation.ledger import LEDGER
from fazhi.ledgers.mediation.models import Case, Party
from fazhi.ledgers.mediation.tests.world import Med, d, make_med, new_case, travel

pytestmark = pytest.mark.usefixtures("historical_entry")

REFUSED = "编号「{}」是其他单位的自动编号格式，请留空由系统编号，或使用本单位的编号"


@pytest.fixture
def med(cast: Any) -> Iterator[Med]:
    with travel():
        yield make_med(cast)


def counts() -> tuple[int, int]:
    return Case.with_voided.count(), Party.objects.count()


def test_another_units_number_cannot_be_typed_and_its_own_case_can_then_be_handed_up(
    med: Med,
) -> None:
    a, b = med.cast.street_a, med.cast.street_b
    theirs = new_case(b, med.cast.b_clerk)
    assert theirs.number == "TJ-B1-2026-0001"
    before = counts()
    for number in ("TJ-B1-2026-0001", "TJ-B1-2026-0022", "TJ-B1-2025-0003", "TJ-A1C1-2026-0007"):
        with pytest.raises(ActionError) as refused:
            new_case(a, med.cast.a_clerk, number=number)
        assert (refused.value.field, refused.value.message) == ("number", REFUSED.format(number))
    assert counts() == before
    # Its own format and a number of its own making are the unit's to type.
    for number in ("TJ-A1-2026-0022", "东调〔2026〕5号", "TJ-B1-2026-0022补"):
        assert new_case(a, med.cast.a_clerk, number=number).number == number
    # 西城's case goes up to the district as before.
    handed = actions.hand_up(theirs, by=med.cast.b_clerk, on=d(11, 10))
    assert handed.unit == med.cast.district


def test_the_register_form_names_the_number(med: Med) -> None:
    client = Client()
    client.force_login(med.cast.a_clerk)
    form = {
        "unit": "A1",
        "received_on": "2026-11-20",
        "source": "application",
        "dispute_type": "neighbour",
        "summary": "漏水",
        "p1_kind": "person",
        "p1_name": "张三",
        "p2_kind": "org",
        "p2_name": "某公司",
        "number": "TJ-B1-2026-0022",
    }
    before = counts()
    got = client.post(reverse("web:new", args=["mediation"]), form)
    assert got.status_code == 200
    assert REFUSED.format("TJ-B1-2026-0022") in got.content.decode()
    assert counts() == before


def test_the_import_refuses_the_row_and_writes_nothing(med: Med) -> None:
    headers = [c.header for c in DECLARATION.spec.columns]

    def row(number: str) -> list[object]:
        cells = {
            HEADERS["number"]: number,
            HEADERS["received_on"]: "2026-10-09",
            HEADERS["source"]: "当事人申请",
            HEADERS["dispute_type"]: "邻里纠纷",
            HEADERS["summary"]: "漏水纠纷",
            HEADERS["persons"]: "张三、李四",
        }
        return [cells.get(h, "") for h in headers]

    data = write_csv(headers, [row("TJ-A1-2026-0001"), row("TJ-B1-2026-0022")])
    before = counts()
    outcome = bulk.import_file(
        LEDGER,
        DECLARATION,
        unit=med.cast.street_a,
        by=med.cast.a_clerk,
        data=data,
        filename="t.csv",
    )
    assert outcome.errors == [f"第3行「调解编号」{REFUSED.format('TJ-B1-2026-0022')}"]
    assert counts() == before
