"""The tenant sweep for letters (DESIGN invariant 1): every URL of `fazhi.core.letters.urls`,
tried by the neighbouring 街道's clerk and leader, and by an anonymous visitor. A new URL
without an entry in `URLS` fails `test_every_url_is_in_the_sweep`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.letters import actions as letter_actions
from fazhi.core.letters import urls as letter_urls
from fazhi.core.letters.models import Letter, LetterProfile, LetterTemplate
from fazhi.core.tenancy.actions import add_user
from fazhi.ledgers.disclosure.letters import BOOK
from fazhi.ledgers.disclosure.tests.lettercase import last_letter, new_app, reply
from fazhi.ledgers.disclosure.tests.test_letter_templates import GOOD, KIND

pytestmark = pytest.mark.django_db
A_MARK = "东湖甲专用"


@dataclass
class World:
    cast: Any
    letter: Letter
    template: LetterTemplate
    record_id: int
    event_id: int
    b_leader: Any


@pytest.fixture
def world(cast: Any) -> World:
    assert KIND is not None
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        letter_actions.save_profile(
            unit=cast.street_a, book=BOOK, by=cast.a_leader, prefix=A_MARK, issuer="", values={}
        )
        template = letter_actions.upload_template(
            unit=cast.street_a, book=BOOK, kind=KIND, by=cast.a_leader, data=GOOD, name="a.docx"
        )
        app = reply(cast, new_app(cast, applicant_name=f"{A_MARK}申请人"), "granted")
        event = app.events.order_by("-id").first()
        b_leader = add_user(
            username="b_leader", unit=cast.street_b, role="leader", password="x", by=None,
            check_password=False,
        )  # fmt: skip
    return World(cast, last_letter(app), template, app.pk, event.pk, b_leader)


Try = tuple[dict[str, Any], dict[str, Any]]  # (url kwargs, data)
A = {"unit": "A1"}
URLS: dict[str, Callable[[World], list[Try]]] = {
    "index": lambda w: [({}, {})],
    "book": lambda w: [({"owner": "disclosure"}, A)],
    "profile": lambda w: [({"owner": "disclosure"}, {**A, "number_prefix": "越权"})],
    "default": lambda w: [({"owner": "disclosure", "kind": "reply_granted"}, {})],
    "upload": lambda w: [({"owner": "disclosure", "kind": "reply_withheld"}, A)],
    "revert": lambda w: [({"owner": "disclosure", "kind": "reply_withheld"}, A)],
    "unit_template": lambda w: [({"pk": w.template.pk}, {})],
    "download": lambda w: [({"pk": w.letter.pk}, {})],
    "generate": lambda w: [
        ({"owner": "disclosure", "record_id": w.record_id, "event_id": w.event_id}, {})
    ],
}
# Open to anyone signed in: they name no unit's data.
UNSCOPED = {"index", "default"}


def test_every_url_is_in_the_sweep() -> None:
    patterns = letter_urls.urlpatterns
    assert all(isinstance(p, URLPattern) for p in patterns)
    assert {p.name for p in patterns} == set(URLS)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def state() -> tuple[Any, ...]:
    return (
        Letter.objects.count(),
        list(LetterTemplate.objects.values_list("pk", "replaced_at")),
        list(LetterProfile.objects.values_list("prefix", flat=True)),
        AuditEvent.objects.count(),
    )


def test_the_neighbours_get_404_on_everything_of_a(world: World) -> None:
    before = state()
    for user in (world.cast.b_clerk, world.b_leader):
        client = _client(user)
        for name, build in URLS.items():
            if name in UNSCOPED:
                continue
            for kwargs, data in build(world):
                url = reverse(f"letters:{name}", kwargs=kwargs)
                got = client.get(url, data)
                assert got.status_code in (404, 405), (user, name, got.status_code)
                assert A_MARK not in got.content.decode(errors="replace")
                posted = client.post(url, data)
                assert posted.status_code in (404, 405), (user, name, posted.status_code)
                assert A_MARK not in posted.content.decode(errors="replace")
    assert state() == before


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    client = Client()
    for name, build in URLS.items():
        for kwargs, data in build(world):
            got = client.get(reverse(f"letters:{name}", kwargs=kwargs), data)
            assert got.status_code == 302 and "/login/" in got["Location"], name


def test_the_positive_control_a_sees_its_own(world: World) -> None:
    clerk = _client(world.cast.a_clerk)
    page = clerk.get(reverse("letters:book", args=["disclosure"]), A).content.decode()
    assert world.letter.number in page and A_MARK in page
    assert clerk.get(reverse("letters:download", args=[world.letter.pk])).status_code == 302
    got = clerk.get(reverse("letters:unit_template", args=[world.template.pk]))
    assert got.status_code == 200 and got.content == GOOD
    supervisor = _client(world.cast.supervisor)
    assert supervisor.get(reverse("letters:download", args=[world.letter.pk])).status_code == 302
    # The supervisor sees A's settings but may not change them.
    posted = supervisor.post(
        reverse("letters:profile", args=["disclosure"]), {**A, "number_prefix": "越权"}, follow=True
    )
    assert "负责人或管理员" in posted.content.decode()
    assert LetterProfile.objects.get(unit=world.cast.street_a).prefix == A_MARK
