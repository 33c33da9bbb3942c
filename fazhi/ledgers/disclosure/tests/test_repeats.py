"""Possible repeated applications (条例 Art. 36(6)) shown when an application is registered:
the same applicant's earlier alike applications, with the reply each got."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from fazhi.ledgers.disclosure import actions, repeats
from fazhi.ledgers.disclosure.models import Application

D = dt.date
pytestmark = pytest.mark.django_db
CONTENT = "本街道2025年老旧小区改造项目清单及资金安排"


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False):
        yield


def _app(cast: Any, on: dt.date, content: str = CONTENT, unit: Any = None, **who: Any) -> Any:
    fields = {"applicant_name": "钱某", "contact": "13900000001", **who}
    return actions.register(
        unit=unit or cast.street_a,
        by=cast.b_clerk if unit is cast.street_b else cast.a_clerk,
        received_on=on,
        applicant_category="natural_person",
        content=content,
        **fields,
    )


def test_earlier_alike_applications_of_the_same_applicant_are_found(cast: Any) -> None:
    first = _app(cast, D(2026, 3, 2))
    actions.reply(app=first, by=cast.a_clerk, on=D(2026, 3, 20), outcome="granted")
    pending = _app(cast, D(2026, 4, 1), "2025年老旧小区改造项目清单和资金安排情况")
    # Not counted: another applicant, other content, another unit, a voided one, a later one.
    _app(cast, D(2026, 3, 3), applicant_name="孙某", contact="13900000002")
    _app(cast, D(2026, 3, 4), "街道党工委会议纪要")
    _app(cast, D(2026, 3, 5), unit=cast.street_b)
    actions.void(app=_app(cast, D(2026, 3, 6)), by=cast.a_leader, reason="录重了")
    new = _app(cast, D(2026, 5, 6))
    _app(cast, D(2026, 5, 20))

    found = repeats.earlier_similar(new)
    assert [m.item.pk for m in found] == [first.pk, pending.pk]
    assert found[0].percent == 100 and 50 <= found[1].percent < 100
    lines = [repeats.describe(m) for m in found]
    assert "2026-03-20 答复：予以公开" in lines[0]
    assert "尚未办结（办理中）" in lines[1]


def test_the_same_id_number_matches_despite_another_contact(cast: Any) -> None:
    ident = {"id_type": "resident_id", "id_number": "110101199003074514"}
    first = _app(cast, D(2026, 3, 2), **ident)
    new = _app(cast, D(2026, 5, 6), contact="另一个电话", **ident)
    assert [m.item.pk for m in repeats.earlier_similar(new)] == [first.pk]


def test_the_threshold_is_a_setting(cast: Any, settings: Any) -> None:
    _app(cast, D(2026, 3, 2), "2025年老旧小区改造项目清单和资金安排情况")
    new = _app(cast, D(2026, 5, 6))
    assert repeats.earlier_similar(new)
    settings.FAZHI_XXGK_REPEAT_SIMILARITY_PERCENT = 99
    assert not repeats.earlier_similar(new)


def test_registering_warns_and_the_detail_and_reply_form_show_the_earlier_ones(cast: Any) -> None:
    first = _app(cast, D(2026, 3, 2))
    actions.reply(
        app=first, by=cast.a_clerk, on=D(2026, 3, 20), outcome="not_processed_2", reasons="重复"
    )
    client = Client()
    client.force_login(cast.a_clerk)
    response = client.post(
        "/l/disclosure/new/",
        {
            "unit": "A1",
            "received_on": "2026-05-06",
            "channel": "in_person",
            "applicant_category": "natural_person",
            "applicant_name": "钱某",
            "id_type": "resident_id",
            "id_number": "110101199003074514",
            "contact": "13900000001",
            "content": CONTENT,
        },
        follow=True,
    )
    page = response.content.decode()
    new = Application.objects.exclude(pk=first.pk).get()
    assert "可能属于重复申请" in page and first.number in page
    assert "可能的重复申请" in page and f'href="/l/disclosure/{first.pk}/"' in page
    assert "不予处理：重复申请" not in page  # the label as the format writes it:
    assert "答复：重复申请" in page
    form = client.get(f"/l/disclosure/{new.pk}/m/reply/").content.decode()
    assert first.number in form and "第三十六条第（六）项" in form


def test_a_first_application_shows_nothing(cast: Any) -> None:
    client = Client()
    client.force_login(cast.a_clerk)
    app = _app(cast, D(2026, 5, 6))
    assert repeats.earlier_similar(app) == []
    page = client.get(f"/l/disclosure/{app.pk}/").content.decode()
    assert "可能的重复申请" not in page


def test_the_outsider_never_sees_the_other_units_applications(cast: Any) -> None:
    a = _app(cast, D(2026, 3, 2))
    b = _app(cast, D(2026, 5, 6), unit=cast.street_b)
    assert repeats.earlier_similar(b) == []
    client = Client()
    client.force_login(cast.b_clerk)
    page = client.get(f"/l/disclosure/{b.pk}/").content.decode()
    assert f"/l/disclosure/{a.pk}/" not in page and "可能的重复申请" not in page
