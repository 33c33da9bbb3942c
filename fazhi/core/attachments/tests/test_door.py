"""The tenant sweep for attachments (DESIGN invariant 1): every URL of the app, tried by the
clerk of the neighbouring 街道, by the district supervisor and by an anonymous visitor.

The URL list is read from `fazhi.core.attachments.urls.urlpatterns`; a new URL without an
entry in `URLS` fails `test_every_url_is_in_the_sweep`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, reverse

from fazhi.core.attachments import urls as attachment_urls
from fazhi.core.attachments.actions import add_attachment, remove_attachment
from fazhi.core.attachments.models import Attachment
from fazhi.core.attachments.owners import register_owner, unregister_owner
from fazhi.core.attachments.tests import samples as s
from fazhi.core.attachments.tests.casebook import (
    A_RECORD,
    B_RECORD,
    OWNER,
    Casebook,
    Record,
    body,
    stored_files,
)
from fazhi.core.audit.models import AuditEvent

A_NAME = "东湖甲申请人答复书.pdf"  # every file of 街道 A is called this


@dataclass
class World:
    cast: Any
    a_file: Attachment
    a_event_file: Attachment
    a_removed: Attachment
    b_file: Attachment


@pytest.fixture
def world(cast: Any, casebook: Casebook, django_capture_on_commit_callbacks: Any) -> World:
    def add(unit: Any, record_id: int, by: Any, name: str, event_id: int | None = None) -> Any:
        return add_attachment(
            unit=unit,
            owner=OWNER,
            record_id=record_id,
            event_id=event_id,
            upload=s.PDF,
            name=name,
            by=by,
        )

    a_file = add(cast.street_a, A_RECORD, cast.a_clerk, A_NAME)
    a_event_file = add(cast.street_a, A_RECORD, cast.a_clerk, A_NAME, event_id=3)
    a_removed = add(cast.street_a, A_RECORD, cast.a_clerk, A_NAME)
    with django_capture_on_commit_callbacks(execute=True):
        remove_attachment(attachment=a_removed, by=cast.a_clerk, reason="误传")
    b_file = add(cast.street_b, B_RECORD, cast.b_clerk, "西城答复书.pdf")
    return World(cast, a_file, a_event_file, a_removed, b_file)


Try = tuple[dict[str, Any], dict[str, Any]]  # (url kwargs, request data)
ADD_A = {"owner": OWNER, "record_id": str(A_RECORD), "next": "/"}

# url name -> what to try it with, each naming a file or a record of 街道 A.
URLS: dict[str, Callable[[World], list[Try]]] = {
    "download": lambda w: [({"pk": f.pk}, {}) for f in (w.a_file, w.a_event_file, w.a_removed)],
    "add": lambda w: [({}, ADD_A), ({}, {**ADD_A, "event_id": "3"})],
    "remove": lambda w: [
        ({"pk": f.pk}, {"reason": "越权删除", "next": "/"})
        for f in (w.a_file, w.a_event_file, w.a_removed)
    ],
}
HANDLING = {"add", "remove"}  # URLs that need HANDLE on the unit


def tries(w: World, names: Callable[[str], bool] = lambda n: True) -> list[tuple[str, str, dict]]:
    return [
        (name, reverse(f"attachments:{name}", kwargs=kwargs), data)
        for name, build in URLS.items()
        if names(name)
        for kwargs, data in build(w)
    ]


def with_file(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "note": "越权上传", "file": SimpleUploadedFile("越权.pdf", s.PDF)}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def state(media: Path) -> dict[str, Any]:
    return {
        "attachments": Attachment.objects.count(),
        "removed": Attachment.objects.filter(removed_at__isnull=False).count(),
        "audit": AuditEvent.objects.count(),
        "files": stored_files(media),
    }


def without_csrf(content: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode())


def test_every_url_is_in_the_sweep() -> None:
    patterns = attachment_urls.urlpatterns
    assert all(isinstance(p, URLPattern) for p in patterns), "an include() escapes the sweep"
    names = {p.name for p in patterns}
    assert None not in names, "every attachment URL needs a name to be swept"
    assert names == set(URLS), f"not in the sweep: {names - set(URLS)}; stale: {set(URLS) - names}"


@pytest.mark.django_db
def test_outsider_gets_404_on_everything_of_a(world: World, media: Path) -> None:
    client = client_for(world.cast.b_clerk)
    before = state(media)
    for name, url, data in tries(world):
        got = client.get(url, data)
        assert got.status_code == 404, (name, url, got.status_code)
        assert A_NAME not in got.content.decode()
        posted = client.post(url, with_file(data))
        assert posted.status_code == 404, (name, url, posted.status_code)
    assert state(media) == before


@pytest.mark.django_db
def test_a_file_of_another_unit_answers_like_a_missing_one(world: World) -> None:
    client = client_for(world.cast.b_clerk)
    missing = Attachment.objects.order_by("-pk")[0].pk + 1000
    for name in ("download", "remove"):
        theirs = client.get(reverse(f"attachments:{name}", args=[world.a_file.pk]))
        nothing = client.get(reverse(f"attachments:{name}", args=[missing]))
        huge = client.get(reverse(f"attachments:{name}", args=[2**70]))
        assert theirs.status_code == nothing.status_code == huge.status_code == 404
        assert without_csrf(theirs.content) == without_csrf(nothing.content)
    own = client.get(reverse("attachments:download", args=[world.b_file.pk]))
    assert own.status_code == 200  # the positive control: B's clerk does reach B's file
    assert body(own) == s.PDF


@pytest.mark.django_db
def test_the_same_urls_serve_a_s_own_clerk(
    world: World, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.cast.a_clerk)
    for f in (world.a_file, world.a_event_file):
        got = client.get(reverse("attachments:download", args=[f.pk]))
        assert got.status_code == 200 and body(got) == s.PDF
    assert client.get(reverse("attachments:add"), ADD_A).status_code == 200
    assert client.post(reverse("attachments:add"), with_file(ADD_A)).status_code == 302
    remove = reverse("attachments:remove", args=[world.a_file.pk])
    assert client.get(remove).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remove, {"reason": "重复上传"}).status_code == 302
    assert Attachment.objects.filter(removed_at__isnull=True, unit=world.cast.street_a).count() == 2


@pytest.mark.django_db
def test_supervisor_may_download_but_not_add_or_remove(world: World, media: Path) -> None:
    client = client_for(world.cast.supervisor)
    before = state(media)
    for f in (world.a_file, world.a_event_file, world.b_file):
        got = client.get(reverse("attachments:download", args=[f.pk]))
        assert got.status_code == 200, f.name
        assert body(got) == s.PDF
    assert client.get(reverse("attachments:download", args=[world.a_removed.pk])).status_code == 404
    gone = reverse("attachments:remove", args=[world.a_removed.pk])
    for name, url, data in tries(world, lambda n: n in HANDLING):
        expected = 404 if url == gone else 403
        for response in (client.get(url, data), client.post(url, with_file(data))):
            assert response.status_code == expected, (name, url, response.status_code)
    refused = client.post(reverse("attachments:add"), with_file(ADD_A))
    assert refused.status_code == 403 and "没有添加或删除附件的权限" in refused.content.decode()
    assert state(media) == before


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_everywhere(world: World, media: Path) -> None:
    client = Client()
    before = state(media)
    login = reverse("login")
    for name, url, data in tries(world):
        for response in (client.get(url, data), client.post(url, with_file(data))):
            assert response.status_code == 302, (name, url)
            assert urlsplit(response["Location"]).path == login, (name, url)
    assert state(media) == before


@pytest.mark.django_db
def test_the_unit_door_holds_even_when_an_owner_lets_everyone_in(cast: Any, media: Path) -> None:
    """Two doors, each enough alone: a ledger whose resolver shows every record to everyone
    still does not expose another unit's files."""
    open_book = Casebook({A_RECORD: cast.street_a})
    register_owner("openbook", lambda user, pk: Record(pk, open_book.units[pk]))
    try:
        a = add_attachment(
            unit=cast.street_a,
            owner="openbook",
            record_id=A_RECORD,
            upload=s.PDF,
            name=A_NAME,
            by=cast.a_clerk,
        )
        client = client_for(cast.b_clerk)
        before = state(media)
        for name in ("download", "remove"):
            url = reverse(f"attachments:{name}", args=[a.pk])
            assert client.get(url).status_code == 404, name
            assert client.post(url, {"reason": "越权删除"}).status_code == 404, name
        assert state(media) == before
    finally:
        unregister_owner("openbook")
