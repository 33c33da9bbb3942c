"""The tenant sweep for report submissions (DESIGN invariant 1): every URL of
`fazhi.core.submissions.urls` (a new one without an entry below fails), tried by the clerk of
the neighbouring 街道, by 街道 A's own clerk where only its supervisor may act, and anonymously;
and the public page, which shows published reports only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.submissions import actions, freeze
from fazhi.core.submissions import urls as submission_urls
from fazhi.core.submissions.models import Comment, Submission, SubmissionEvent, Version
from fazhi.core.submissions.workflow import MOVES

NOW = dt.datetime(2027, 1, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
YEAR = 2026
A_COMMENT = "甲街道第一段的审阅意见"
POST = {
    "note": "越权尝试",
    "text": "越权意见",
    "paragraph": "1",
    "source": "generated",
    "confirm": "on",
}


@dataclass
class World:
    cast: Any
    a_sub: Submission


@pytest.fixture
def world(cast: Any) -> Iterator[World]:
    with time_machine.travel(NOW, tick=False):
        frozen = freeze.generated(cast.street_a, "xxgk", YEAR)
        sub = actions.submit(
            unit=cast.street_a, kind="xxgk", year=YEAR, frozen=frozen, by=cast.a_clerk
        )
        actions.comment(sub, by=cast.supervisor, paragraph=1, text=A_COMMENT)
        yield World(cast, sub)


URLS: dict[str, Callable[[World], list[dict[str, Any]]]] = {
    "own": lambda w: [{}],
    "submit": lambda w: [{"code": "A1", "kind": k, "year": YEAR} for k in ("xxgk", "fazhi")],
    "detail": lambda w: [{"pk": w.a_sub.pk}],
    "file": lambda w: [{"pk": w.a_sub.pk, "n": 1}],
    "comment": lambda w: [{"pk": w.a_sub.pk}],
    "move": lambda w: [{"pk": w.a_sub.pk, "code": m.code} for m in MOVES],
    "inbox": lambda w: [{}],
}
A_SCOPED = {"submit", "detail", "file", "comment", "move"}
SUPERVISOR_ONLY = {"comment", "move", "inbox"}


def urls(w: World, names: Callable[[str], bool] = lambda n: True) -> list[tuple[str, str]]:
    return [
        (name, reverse(f"submissions:{name}", kwargs=kwargs))
        for name, build in URLS.items()
        if names(name)
        for kwargs in build(w)
    ]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def counts() -> dict[str, int]:
    return {
        "submissions": Submission.objects.count(),
        "versions": Version.objects.count(),
        "events": SubmissionEvent.objects.count(),
        "comments": Comment.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_every_url_is_in_the_sweep() -> None:
    names = {p.name for p in submission_urls.urlpatterns}  # type: ignore[union-attr]
    assert names == set(URLS), f"not swept: {names - set(URLS)}; stale: {set(URLS) - names}"


def test_outsider_gets_404_on_everything_of_a(world: World) -> None:
    client = client_for(world.cast.b_clerk)
    before = counts()
    with time_machine.travel(NOW, tick=False):
        for name, url in urls(world, lambda n: n in A_SCOPED | {"inbox"}):
            got = client.get(url)
            assert got.status_code in (404, 405), (name, url, got.status_code)
            assert A_COMMENT not in got.content.decode()
            posted = client.post(url, POST)
            assert posted.status_code == 404, (name, url, posted.status_code)
        own = client.get(reverse("submissions:own")).content.decode()
        assert "东湖街道" not in own and "西城街道" in own
        home = client.get(reverse("web:home")).content.decode()
        assert "东湖街道" not in home
    assert counts() == before
    assert Submission.objects.get(pk=world.a_sub.pk).status == "submitted"


def test_a_unit_cannot_act_as_its_own_supervisor(world: World) -> None:
    before = counts()
    for user in (world.cast.a_clerk, world.cast.a_leader):
        client = client_for(user)
        for name, url in urls(world, lambda n: n in SUPERVISOR_ONLY):
            assert client.post(url, POST).status_code == 404, (name, url)
        assert client.get(reverse("submissions:inbox")).status_code == 404
        # Its own submission, comments and findings it does see.
        page = client.get(reverse("submissions:detail", args=[world.a_sub.pk])).content.decode()
        assert A_COMMENT in page and 'id="decide"' not in page
    assert counts() == before


def test_the_supervisor_sees_a_in_its_inbox(world: World) -> None:
    client = client_for(world.cast.supervisor)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("submissions:inbox"), {"year": YEAR}).content.decode()
    assert "东湖街道" in page and "西城街道" in page and "未报送" in page
    detail = client.get(reverse("submissions:detail", args=[world.a_sub.pk])).content.decode()
    assert A_COMMENT in detail and 'id="decide"' in detail
    # The supervisor may read A's report but not send one for A.
    submit = reverse("submissions:submit", args=["A1", "xxgk", YEAR])
    assert client.get(submit).status_code == 404


def test_anonymous_is_sent_to_login_everywhere(world: World) -> None:
    client = Client()
    before = counts()
    for name, url in urls(world):
        for response in (client.get(url), client.post(url, POST)):
            assert response.status_code == 302, (name, url)
            assert urlsplit(response["Location"]).path == reverse("login"), (name, url)
    assert counts() == before


def test_the_public_page_shows_published_reports_only(world: World) -> None:
    anonymous = Client()
    listing = reverse("public:reports")
    file_url = reverse("public:report_file", args=[world.a_sub.pk])
    assert "东湖街道" not in anonymous.get(listing).content.decode()
    assert anonymous.get(file_url).status_code == 404  # submitted, not published
    with time_machine.travel(NOW, tick=False):
        sub = actions.accept(world.a_sub, by=world.cast.supervisor)
        assert anonymous.get(file_url).status_code == 404  # accepted, not yet published
        actions.publish(sub, by=world.cast.supervisor)
    page = anonymous.get(listing).content.decode()
    assert "东湖街道" in page and "2027-01-20" in page
    assert A_COMMENT not in page
    got = anonymous.get(file_url)
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert (
        anonymous.get(reverse("public:report_file", args=[world.a_sub.pk + 999])).status_code == 404
    )
