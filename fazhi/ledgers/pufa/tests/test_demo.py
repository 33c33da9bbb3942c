"""The demo hook makes two years of realistic 普法 records through the actions."""

from __future__ import annotations

from typing import Any

from fazhi.core.metrics import evaluate
from fazhi.ledgers.pufa.ledger import ACTIVITIES
from fazhi.ledgers.pufa.models import Activity, Duty, Person, Study
from fazhi.ledgers.pufa.tests.world import TODAY


def test_demo_fills_every_ledger_and_its_figures_are_possible(cast: Any, now: Any) -> None:
    assert ACTIVITIES.demo is not None
    users = {"clerk": cast.a_clerk, "leader": cast.a_leader}
    created = ACTIVITIES.demo(cast.street_a, users, 1, TODAY)
    models = (Activity, Duty, Person, Study)
    assert created == sum(m.objects.count() for m in models)
    assert set(Duty.objects.values_list("status", flat=True)) == {"open", "done"}
    assert (
        Activity.objects.filter(duty__isnull=False).count()
        == Duty.objects.filter(status="done").count()
    )
    assert Study.objects.filter(kind="exam").exists()
    assert Person.objects.values("community").distinct().count() == 3
    for code, model in (
        ("pufa.duty_rate", Duty),
        ("pufa.exam_participation", Study),
        ("pufa.exam_pass_rate", Study),
    ):
        value = evaluate(code, model.objects.all(), TODAY.year).value
        assert 0 < value <= 100, code
