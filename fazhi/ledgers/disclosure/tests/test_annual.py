"""Year attribution of table 三 and its identities, for hand-made cases and for any ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.ledgers.disclosure import annual, report
from fazhi.ledgers.disclosure.models import ApplicantCategory, Application, Outcome, Status

D = dt.date
pytestmark = pytest.mark.django_db
N = 0


def add(
    unit: Any,
    received: dt.date,
    replied: dt.date | None = None,
    outcome: str = "",
    category: str = "natural_person",
) -> Application:
    global N
    N += 1
    return Application.objects.create(
        unit=unit,
        number=f"T{N}",
        received_on=received,
        replied_on=replied,
        outcome=outcome if replied else "",
        status=Status.CLOSED if replied else Status.RECEIVED,
        applicant_category=category,
        applicant_name="某",
        content="x",
    )


@pytest.mark.parametrize(
    ("received", "replied", "rows_2025", "rows_2026"),
    [
        (D(2026, 3, 1), D(2026, 3, 20), set(), {"new", "granted", "total"}),
        (
            D(2025, 12, 20),
            D(2026, 1, 10),
            {"new", "carried_out"},
            {"carried_in", "granted", "total"},
        ),
        (D(2025, 12, 20), None, {"new", "carried_out"}, {"carried_in", "carried_out"}),
        (D(2026, 12, 31), None, set(), {"new", "carried_out"}),
        (D(2025, 12, 31), D(2025, 12, 31), {"new", "granted", "total"}, set()),
        (
            D(2024, 6, 1),
            D(2026, 2, 1),
            {"carried_in", "carried_out"},
            {"carried_in", "granted", "total"},
        ),
    ],
)
def test_year_attribution(
    cast: Any, received: dt.date, replied: dt.date | None, rows_2025: set[str], rows_2026: set[str]
) -> None:
    add(cast.street_a, received, replied, Outcome.GRANTED)
    for year, expected in ((2025, rows_2025), (2026, rows_2026)):
        table = annual.table3(Application.objects.filter(unit=cast.street_a), year)
        counted = {row for row in annual.ROWS if table[row]["natural_person"]}
        assert counted == expected, year


def test_a_corrected_application_counts_as_new_in_the_year_of_first_receipt(cast: Any) -> None:
    app = add(cast.street_a, D(2025, 12, 29))
    # The correction in January restarted the clock but not the year of receipt.
    app.events.create(kind="corrected", on=D(2026, 1, 5))
    assert annual.table3(Application.objects.all(), 2025)["new"]["total"] == 1
    assert annual.table3(Application.objects.all(), 2026)["new"]["total"] == 0


def test_report_json_shape_and_columns(cast: Any) -> None:
    add(cast.street_a, D(2026, 2, 1), D(2026, 2, 10), Outcome.PARTIAL, "legal_services")
    add(cast.street_b, D(2026, 2, 1), D(2026, 2, 10), Outcome.GRANTED)  # another unit: not counted
    data = report.build(cast.street_a, 2026).as_json()
    assert list(data["table3"]) == annual.ROWS
    assert list(data["table3"]["new"]) == [
        "natural_person",
        "business",
        "research",
        "nonprofit",
        "legal_services",
        "other_org",
        "total",
    ]
    assert data["table3"]["partial"]["legal_services"] == 1
    assert data["table3"]["total"]["total"] == 1
    assert data["unit"] == "A1" and data["year"] == 2026
    assert set(data["table4"]) == {"review", "litigation_direct", "litigation_after_review"}


def test_table_cells_list_exactly_the_records_they_count(cast: Any) -> None:
    qs = Application.objects.filter(unit=cast.street_a)
    add(cast.street_a, D(2025, 11, 3), D(2026, 1, 8), Outcome.UNABLE_1, "business")
    add(cast.street_a, D(2026, 4, 3), D(2026, 4, 8), Outcome.UNABLE_1, "business")
    add(cast.street_a, D(2026, 5, 3))
    table = annual.table3(qs, 2026)
    for row in annual.ROWS:
        for col, _ in annual.COLUMNS:
            assert annual.cell_queryset(qs, row, col, 2026).count() == table[row][col], (row, col)


categories = st.sampled_from(ApplicantCategory.values)
outcomes = st.sampled_from(Outcome.values)
days = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 6, 30))


@st.composite
def applications(draw: Any) -> tuple[dt.date, dt.date | None, str, str]:
    received = draw(days)
    replied = draw(st.one_of(st.none(), st.dates(min_value=received, max_value=D(2027, 12, 31))))
    return received, replied, draw(outcomes), draw(categories)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ledger=st.lists(applications(), max_size=30))
def test_identities_hold_for_any_ledger(
    cast: Any, ledger: list[tuple[dt.date, dt.date | None, str, str]]
) -> None:
    Application.objects.all().delete()
    for received, replied, outcome, category in ledger:
        add(cast.street_a, received, replied, outcome, category)
    qs = Application.objects.all()
    previous = annual.table3(qs, 2025)
    table = annual.table3(qs, 2026)
    for col, _ in annual.COLUMNS:
        assert (
            table["new"][col] + table["carried_in"][col]
            == table["total"][col] + table["carried_out"][col]
        )
        assert table["total"][col] == sum(table[row][col] for row in annual.OUTCOME_ROWS)
        assert table["carried_in"][col] == previous["carried_out"][col]
    for row in annual.ROWS:
        assert table[row]["total"] == sum(table[row][c] for c in annual.CATEGORY_COLUMNS)


def test_indicators_are_registered_and_carry_their_records(cast: Any) -> None:
    from fazhi.core.metrics import evaluate

    on_time = add(cast.street_a, D(2026, 3, 2), D(2026, 3, 20), Outcome.GRANTED)
    late = add(cast.street_a, D(2026, 3, 2), D(2026, 5, 20), Outcome.GRANTED)
    Application.objects.filter(pk__in=[on_time.pk, late.pk]).update(reply_due_on=D(2026, 3, 30))
    add(cast.street_a, D(2026, 4, 1))
    qs = Application.objects.filter(unit=cast.street_a)
    figure = evaluate("xxgk.on_time_rate", qs, 2026)
    assert figure.value == 50.0
    assert set(figure.records()) == {on_time, late}
    assert list(figure.records().filter(figure.numerator_q)) == [on_time]
    assert "1 ÷ 2" in figure.definition
    assert evaluate("xxgk.new_requests", qs, 2026).value == 3
    assert evaluate("xxgk.replied", qs, 2026).value == 2
