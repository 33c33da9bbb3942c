"""A NUL character in any form field is refused with a clear Chinese message: Django's own
zh-hans text for it ("不允许是用空字符串") is garbled, so fazhi/locale overrides it."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fazhi.core.reports.models import ReportText

MESSAGE = "不能包含空字符（\\x00）"


def test_every_char_field_says_what_is_wrong() -> None:
    with translation.override("zh-hans"), pytest.raises(forms.ValidationError) as refused:
        forms.CharField().clean("东湖\x00街道")
    assert refused.value.messages == [MESSAGE]


@pytest.mark.django_db
def test_a_page_form_shows_it(cast: Any) -> None:
    client = Client()
    client.force_login(cast.a_leader)
    url = reverse("web:report_edit", args=["fazhi", "A1", 2026])
    page = client.post(url, {"measures": "全年\x00收到"})
    assert page.status_code == 200
    shown = html.unescape(page.content.decode())
    assert MESSAGE in shown and "不允许是用空字符串" not in shown
    assert not ReportText.objects.exists()


def test_the_compiled_catalogue_says_what_the_po_says() -> None:
    import gettext
    import re
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "fazhi/locale/zh_Hans/LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    entries = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', po, re.M)
    assert entries
    with (folder / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for msgid, msgstr in entries:
        assert compiled.gettext(msgid) == msgstr.replace("\\\\", "\\"), msgid
