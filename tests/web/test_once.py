"""A form is done once: the same registration, move or child row posted again (the back
button, a retry) is not done twice; a refused one can be corrected and sent again."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client

from fazhi.ledgers.disclosure.models import Application, ApplicationEvent

pytestmark = pytest.mark.django_db
FORM = {
    "unit": "A1",
    "received_on": "2026-05-06",
    "channel": "in_person",
    "applicant_category": "natural_person",
    "applicant_name": "周某",
    "id_type": "resident_id",
    "id_number": "110101199003074514",
    "contact": "13900000003",
    "content": "本街道2025年度财政预算",
}


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False):
        yield


def _token(page: str) -> str:
    found = re.search(r'name="_once" value="([^"]+)"', page)
    assert found, "the form carries no one-time token"
    return found.group(1)


def test_the_back_button_does_not_register_twice(cast: Any) -> None:
    client = Client()
    client.force_login(cast.a_clerk)
    token = _token(client.get("/l/disclosure/new/").content.decode())
    first = client.post("/l/disclosure/new/", {**FORM, "_once": token})
    again = client.post("/l/disclosure/new/", {**FORM, "_once": token}, follow=True)
    assert Application.objects.count() == 1
    assert first["Location"] == again.redirect_chain[0][0]
    assert "该表单已经提交过" in again.content.decode()
    # A fresh form registers a second application (the same person may apply again).
    token = _token(client.get("/l/disclosure/new/").content.decode())
    client.post("/l/disclosure/new/", {**FORM, "_once": token})
    assert Application.objects.count() == 2


def test_a_refused_form_can_be_corrected_and_sent_with_its_token(cast: Any) -> None:
    client = Client()
    client.force_login(cast.a_clerk)
    token = _token(client.get("/l/disclosure/new/").content.decode())
    refused = client.post(
        "/l/disclosure/new/", {**FORM, "received_on": "1999-01-01", "_once": token}
    )
    assert refused.status_code == 200 and Application.objects.count() == 0
    client.post("/l/disclosure/new/", {**FORM, "_once": token})
    assert Application.objects.count() == 1


def test_a_move_posted_twice_is_made_once(cast: Any) -> None:
    client = Client()
    client.force_login(cast.a_clerk)
    token = _token(client.get("/l/disclosure/new/").content.decode())
    client.post("/l/disclosure/new/", {**FORM, "_once": token})
    app = Application.objects.get()
    url = f"/l/disclosure/{app.pk}/m/request_extension/"
    token = _token(client.get(url).content.decode())
    form = {"on": "2026-05-20", "reason": "涉及多个部门", "days": "10", "_once": token}
    client.post(url, form)
    second = client.post(url, form, follow=True)
    assert ApplicationEvent.objects.filter(record=app, kind="extension_requested").count() == 1
    # The table's guard answers first here (one request pending); either way, not twice.
    assert "已提请延期，等待负责人批准" in second.content.decode()
