"""A 排查 finding turned into a case names that case: its number is looked up through the door,
in the screening's unit (or handed up from it), not only checked for its form."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.core.records import corrections
from fazhi.core.workflow import ActionError
from fazhi.ledgers.mediation import actions
from fazhi.ledgers.mediation.ledger import FINDINGS, SCREENINGS
from fazhi.ledgers.mediation.models import Finding, Screening, ScreeningEvent
from fazhi.ledgers.mediation.tests.world import Med, d, new_case


def screening(med: Med) -> Screening:
    return actions.register_screening(
        unit=med.community, by=med.c_clerk, held_on=d(11, 2), scope="东湖社区1—12栋", staff="李红"
    )


def find(s: Screening, by: Any, number: str, disposal: str = "case") -> Finding:
    fields = {
        "description": "楼上漏水",
        "dispute_type": "neighbour",
        "disposal": disposal,
        "case_number": number,
        "note": "",
    }
    found: Finding = corrections.add_child(SCREENINGS, FINDINGS, s, by=by, fields=fields)
    return found


def found_case(unit: Any, by: Any, **kw: Any) -> Any:
    """A case the screening found: received on its day, on the committee's initiative."""
    return new_case(unit, by, **{"source": "screening", **kw})


def written() -> tuple[int, int]:
    return Finding.objects.count(), ScreeningEvent.objects.count()


def test_a_finding_names_a_case_of_the_screenings_unit(med: Med) -> None:
    case = found_case(med.community, med.c_clerk)
    s = screening(med)
    finding = find(s, med.c_clerk, f"  {case.number} ")
    assert (finding.disposal, finding.case_number) == ("case", "TJ-A1C1-2026-0001")


def test_a_case_handed_up_from_the_unit_still_counts_as_its_own(med: Med) -> None:
    case = found_case(med.community, med.c_clerk)
    actions.hand_up(case, by=med.c_clerk, on=d(11, 10))
    assert find(screening(med), med.c_clerk, case.number).case_number == case.number


@pytest.mark.parametrize("whose", ["nobody", "street_a", "street_b"])
def test_a_number_the_unit_cannot_see_is_refused_and_nothing_is_written(
    med: Med, whose: str
) -> None:
    """A well-formed number of no case, a case of the upper 街道 (visible to its clerk, not in
    the 社区) and one of the neighbouring 街道 read alike."""
    numbers = {
        "nobody": "TJ-A1C1-2026-0099",
        "street_a": found_case(med.cast.street_a, med.cast.a_clerk).number,
        "street_b": found_case(med.cast.street_b, med.cast.b_clerk).number,
    }
    s = screening(med)
    before = written()
    with pytest.raises(ActionError) as refused:
        find(s, med.c_clerk, numbers[whose])
    assert refused.value.field == "case_number"
    assert refused.value.message == (
        f"本单位没有编号为「{numbers[whose]}」的调解案件，请先受理该纠纷，再填写其调解编号"
    )
    assert written() == before


def test_the_case_must_be_one_the_user_can_open(med: Med) -> None:
    """A 街道 clerk recording a finding of the 街道's own round cannot name a case of a 社区
    below: it is neither the 街道's case nor one its clerk can open."""
    case = found_case(med.community, med.c_clerk)
    s = actions.register_screening(
        unit=med.cast.street_a, by=med.cast.a_clerk, held_on=d(11, 2), scope="东湖街道", staff="王"
    )
    with pytest.raises(ActionError, match="本单位没有编号为"):
        find(s, med.cast.a_clerk, case.number)
    # A note needs no case.
    assert find(s, med.cast.a_clerk, "", disposal="note").case_number == ""


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (
            {"on": d(11, 1), "source": "screening"},
            "调解案件「TJ-A1C1-2026-0001」的受理日期（2026-11-01）早于排查日期（2026-11-02），"
            "不是本次排查发现的纠纷",
        ),
        (
            {"source": "application"},
            "调解案件「TJ-A1C1-2026-0001」的纠纷来源是「当事人申请」，不是排查发现的纠纷"
            "（排查发现后受理的，纠纷来源为「排查发现（主动调解）」或「主动调解」）",
        ),
        (
            {"source": "hotline"},
            "调解案件「TJ-A1C1-2026-0001」的纠纷来源是「12345热线移交」，不是排查发现的纠纷"
            "（排查发现后受理的，纠纷来源为「排查发现（主动调解）」或「主动调解」）",
        ),
    ],
)
def test_a_case_the_screening_did_not_find_is_refused(
    med: Med, case: dict[str, Any], message: str
) -> None:
    """Found by a screening: received on or after its date, on the committee's initiative."""
    number = new_case(med.community, med.c_clerk, **case).number
    s = screening(med)
    before = written()
    with pytest.raises(ActionError) as refused:
        find(s, med.c_clerk, number)
    assert (refused.value.field, refused.value.message) == ("case_number", message)
    assert written() == before


@pytest.mark.parametrize("source", ["screening", "initiative"])
def test_a_case_received_on_or_after_the_screening_on_its_initiative_is_found(
    med: Med, source: str
) -> None:
    s = screening(med)
    for on in (d(11, 2), d(11, 20)):
        case = new_case(med.community, med.c_clerk, on=on, source=source)
        assert find(s, med.c_clerk, case.number).case_number == case.number


def test_the_same_case_is_found_once_per_screening(med: Med) -> None:
    case = found_case(med.community, med.c_clerk)
    s = screening(med)
    first = find(s, med.c_clerk, case.number)
    before = written()
    with pytest.raises(ActionError) as refused:
        find(s, med.c_clerk, f" {case.number}")
    assert (refused.value.field, refused.value.message) == (
        "case_number",
        "调解案件「TJ-A1C1-2026-0001」已登记为本次排查发现的纠纷，同一案件不能重复登记",
    )
    assert written() == before
    # Once the first finding is removed, the case may be named again.
    corrections.remove_child(SCREENINGS, FINDINGS, first, by=med.c_clerk, reason="录错")
    assert find(s, med.c_clerk, case.number).case_number == case.number
