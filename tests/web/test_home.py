"""The 待办 page: a clerk's due items, a supervisor's comparison of units."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fazhi.core.metrics import evaluate_by_unit
from fazhi.core.records import queries
from fazhi.ledgers.disclosure import actions
from fazhi.ledgers.disclosure.ledger import LEDGER
from fazhi.ledgers.disclosure.models import Application

D = dt.date
pytestmark = pytest.mark.django_db


def register(cast: Any, unit: Any, by: Any, received: dt.date) -> Application:
    return actions.register(
        unit=unit,
        by=by,
        received_on=received,
        applicant_category="natural_person",
        applicant_name="王某",
        content="某项目资料",
    )


def test_supervisor_compares_units_and_clerks_see_their_own(cast: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        overdue = register(cast, cast.street_a, cast.a_clerk, D(2026, 9, 1))
        register(cast, cast.street_a, cast.a_clerk, D(2026, 10, 28))  # due 11/25: 临期
        replied = register(cast, cast.street_b, cast.b_clerk, D(2026, 3, 2))
        actions.reply(app=replied, by=cast.b_clerk, on=D(2026, 4, 20), outcome="granted")  # late
        on_time = register(cast, cast.street_b, cast.b_clerk, D(2026, 3, 2))
        actions.reply(app=on_time, by=cast.b_clerk, on=D(2026, 3, 20), outcome="granted")

        qs = Application.objects.all()
        rows = {s.unit.code: s for s in queries.unit_summary(LEDGER, qs, D(2026, 11, 25))}
        rates = evaluate_by_unit(["xxgk.on_time_rate"], qs, 2026)
        assert (
            rows["A1"].open,
            rows["A1"].overdue,
            rows["A1"].due_soon,
            rows["A1"].closed_this_year,
        ) == (2, 1, 1, 0)
        assert rates[cast.street_a.pk]["xxgk.on_time_rate"].denominator == 0
        b_rate = rates[cast.street_b.pk]["xxgk.on_time_rate"]
        assert (rows["B1"].open, rows["B1"].closed_this_year, b_rate.value) == (0, 2, 50.0)
        assert set(b_rate.records()) == {replied, on_time}
        assert list(b_rate.records().filter(b_rate.numerator_q)) == [on_time]
        assert list(rows) == ["A1", "B1"]  # the unit with overdue items first

        supervisor = Client()
        supervisor.force_login(cast.supervisor)
        page = supervisor.get(reverse("web:home")).content.decode()
        assert (
            "各单位概况" in page and "东湖街道" in page and "西城街道" in page and "50.0%" in page
        )
        assert overdue.number in page

        clerk = Client()
        clerk.force_login(cast.b_clerk)
        page = clerk.get(reverse("web:home")).content.decode()
        assert "各单位概况" not in page and overdue.number not in page
