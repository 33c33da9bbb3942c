"""Each figure counts exactly the records its predicate lists (the drill-down), sums where it
is a sum, and its rates stay within 0–100%."""

from __future__ import annotations

from typing import Any

from fazhi.core.metrics import evaluate
from fazhi.ledgers.pufa import actions
from fazhi.ledgers.pufa.models import Activity, Duty, Person, Study
from fazhi.ledgers.pufa.tests.world import World, activity, d, person, study


def figure(code: str, model: Any, unit: Any, year: int = 2026) -> Any:
    return evaluate(code, model.objects.filter(unit=unit), year)


def test_activities_attendance_materials_and_reach_over_the_years_activities(
    world: World,
) -> None:
    cast = world.cast
    a = cast.street_a
    one = activity(a, cast.a_clerk, attendance=120, materials=300, online_reach=50)
    two = activity(a, cast.a_clerk, held_on=d(12, 4, 2025), theme="constitution_week",
                   attendance=80, materials=0)  # fmt: skip
    three = activity(a, cast.a_clerk, form="online", attendance=0, online_reach=5000, materials=0,
                     theme="other", theme_note="安全生产月")  # fmt: skip
    activity(cast.street_b, cast.b_clerk, attendance=999)
    assert figure("pufa.activities", Activity, a).value == 2
    assert figure("pufa.attendance", Activity, a).value == 120
    assert figure("pufa.materials", Activity, a).value == 300
    assert figure("pufa.online", Activity, a).value == 5050
    assert figure("pufa.attendance", Activity, a, 2025).value == 80
    listed = figure("pufa.online", Activity, a).records(Activity.objects.filter(unit=a))
    assert set(listed) == {one, three}
    theme = figure("pufa.activities.theme.constitution_week", Activity, a, 2025)
    assert theme.value == 1 and list(theme.records()) == [two]


def test_the_completion_rate_is_items_ticked_over_items(world: World) -> None:
    cast = world.cast
    a = cast.street_a
    rate = figure("pufa.duty_rate", Duty, a)
    assert (rate.value, rate.numerator, rate.denominator) == (0.0, 0, 2)
    activity(a, cast.a_clerk, duty_number=world.a_law.number)
    rate = figure("pufa.duty_rate", Duty, a)
    assert (rate.value, rate.numerator, rate.denominator) == (50.0, 1, 2)
    assert "1 ÷ 2" in rate.definition
    done = Duty.objects.filter(rate.numerator_q)
    assert list(done) == [Duty.objects.get(pk=world.a_law.pk)]
    # Last year's list is another denominator.
    assert figure("pufa.duty_rate", Duty, a, 2025).denominator == 0


def test_the_roster_counts_who_is_on_it_at_the_end_of_the_year(world: World) -> None:
    cast = world.cast
    a = cast.street_a
    stays = person(a, cast.a_clerk, joined_on=d(3, 1, 2025))
    leaves = person(a, cast.a_clerk, name="王芳", joined_on=d(3, 1, 2025))
    actions.leave(leaves, by=cast.a_clerk, on=d(6, 1))
    person(a, cast.a_clerk, name="赵敏", community="长安社区", joined_on=d(9, 1))
    assert figure("pufa.people", Person, a, 2025).value == 2
    now = figure("pufa.people", Person, a)
    assert now.value == 2
    assert set(now.records(Person.objects.filter(community="东湖社区"))) == {stays}


def test_studies_count_sessions_and_exam_rates_are_rates_of_people(world: World) -> None:
    cast = world.cast
    a = cast.street_a
    study(a, cast.a_clerk)
    study(a, cast.a_clerk, kind="center_group")
    study(a, cast.a_clerk, kind="exam", expected=60, participants=58, passed=55)
    study(a, cast.a_clerk, kind="appointment_exam", expected=4, participants=4, passed=4)
    assert figure("pufa.studies", Study, a).value == 2
    assert figure("pufa.studies.center_group", Study, a).value == 1
    assert figure("pufa.exams", Study, a).value == 2
    taking = figure("pufa.exam_participation", Study, a)
    assert (taking.numerator, taking.denominator, taking.value) == (62, 64, 96.9)
    passing = figure("pufa.exam_pass_rate", Study, a)
    assert (passing.numerator, passing.denominator, passing.value) == (59, 62, 95.2)
    assert len(passing.records()) == 2
    # No exam in a year: 0, not a division by zero.
    assert figure("pufa.exam_pass_rate", Study, a, 2025).value == 0.0
