"""The toy ledger's records carry attachments through the kit's registration (no ledger code):
upload on the detail page, download through the record's own door, removal with a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core.attachments.actions import add_attachment, remove_attachment
from fazhi.core.attachments.models import Attachment
from fazhi.core.records import corrections
from fazhi.core.records.tests.helpers import LEDGER, new_case
from fazhi.core.workflow import ActionError

pytestmark = pytest.mark.usefixtures("now")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_toy_record_carries_a_file_behind_its_own_door(cast: Any) -> None:
    case = new_case(cast)
    event = case.events.get(kind="registered")
    file = add_attachment(
        unit=cast.street_a,
        owner="toy",
        record_id=case.pk,
        event_id=event.pk,  # attached to the registration step
        upload=PDF,
        name="申请书.pdf",
        by=cast.a_clerk,
    )
    detail = client_for(cast.a_clerk).get(reverse("web:detail", args=["toy", case.pk]))
    assert "申请书.pdf" in detail.content.decode()
    download = reverse("attachments:download", args=[file.pk])
    got = client_for(cast.a_clerk).get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF  # type: ignore[attr-defined]
    assert client_for(cast.b_clerk).get(download).status_code == 404
    # A voided record closes its files too: the ledger's door is the attachment's.
    corrections.void(LEDGER, case, by=cast.a_leader, reason="测试数据")
    assert client_for(cast.a_clerk).get(download).status_code == 404
    with pytest.raises(ActionError):
        add_attachment(
            unit=cast.street_a,
            owner="toy",
            record_id=case.pk,
            upload=PDF,
            name="x.pdf",
            by=cast.a_clerk,
        )
    removed = remove_attachment(attachment=file, by=cast.a_clerk, reason="上传错了")
    assert Attachment.objects.get(pk=removed.pk).removed_reason == "上传错了"
