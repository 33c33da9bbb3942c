"""The attachment pages: download, add, remove, and the list included on a detail page."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from fazhi.core.attachments.actions import add_attachment, remove_attachment
from fazhi.core.attachments.models import Attachment
from fazhi.core.attachments.queries import attachments_for
from fazhi.core.attachments.tests import samples as s
from fazhi.core.attachments.tests.casebook import A_RECORD, OWNER, Casebook, body, stored_files

pytestmark = pytest.mark.django_db
DETAIL = f"/l/{OWNER}/{A_RECORD}/?tab=files"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add(cast: Any, data: bytes = s.PDF, name: str = "答复书.pdf") -> Attachment:
    return add_attachment(
        unit=cast.street_a, owner=OWNER, record_id=A_RECORD, upload=data, name=name, by=cast.a_clerk
    )


def post_file(client: Client, data: bytes, name: str, **fields: Any) -> Any:
    body = {"owner": OWNER, "record_id": A_RECORD, "next": DETAIL, **fields}
    body["file"] = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("attachments:add"), body)


def test_download(cast: Any, casebook: Casebook) -> None:
    a = add(cast, s.PDF, '东湖"答复"书 2026.jpg')
    got = client_for(cast.a_clerk).get(reverse("attachments:download", args=[a.pk]))
    assert got.status_code == 200
    assert body(got) == s.PDF
    assert got["Content-Type"] == "application/pdf"  # what it is, not what it is called
    assert got["Content-Disposition"] == (
        'attachment; filename="_______ 2026.jpg"; '
        "filename*=UTF-8''%E4%B8%9C%E6%B9%96%22%E7%AD%94%E5%A4%8D%22%E4%B9%A6%202026.jpg"
    )
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Cache-Control"] == "no-store"
    assert "sandbox" in got["Content-Security-Policy"]
    assert got["Content-Length"] == str(len(s.PDF))


def test_text_is_served_with_its_charset(cast: Any, casebook: Casebook) -> None:
    a = add(cast, s.TEXT.decode().encode("gb18030"), "说明.txt")
    got = client_for(cast.a_clerk).get(reverse("attachments:download", args=[a.pk]))
    assert got["Content-Type"] == "text/plain; charset=gb18030"
    assert body(got) == s.TEXT.decode().encode("gb18030")


def test_a_removed_file_is_gone(
    cast: Any, casebook: Casebook, django_capture_on_commit_callbacks: Any
) -> None:
    a = add(cast)
    with django_capture_on_commit_callbacks(execute=True):
        remove_attachment(attachment=a, by=cast.a_clerk, reason="误传")
    client = client_for(cast.a_clerk)
    for url in (
        reverse("attachments:download", args=[a.pk]),
        reverse("attachments:remove", args=[a.pk]),
    ):
        got = client.get(url)
        assert got.status_code == 404
        assert "该附件已被删除" in got.content.decode()


def test_the_owner_door_closes_a_record_s_files(cast: Any, casebook: Casebook) -> None:
    a = add(cast)
    client = client_for(cast.a_clerk)
    casebook.voided.add(A_RECORD)
    assert client.get(reverse("attachments:download", args=[a.pk])).status_code == 404
    assert client.get(reverse("attachments:remove", args=[a.pk])).status_code == 404
    assert post_file(client, s.PDF, "a.pdf").status_code == 404
    assert Attachment.objects.count() == 1


def test_add(cast: Any, casebook: Casebook, media: Path) -> None:
    client = client_for(cast.a_clerk)
    form = client.get(reverse("attachments:add"), {"owner": OWNER, "record_id": A_RECORD})
    assert form.status_code == 200 and 'type="file"' in form.content.decode()
    got = post_file(client, s.docx_file(), "补正告知书.docx", note="第一次补正", event_id="9")
    assert got.status_code == 302 and got["Location"] == DETAIL
    a = Attachment.objects.get()
    assert (a.name, a.type_label, a.note, a.event_id) == (
        "补正告知书.docx",
        "Word 文档",
        "第一次补正",
        9,
    )
    assert stored_files(media) == [media / a.storage_name]
    shown = client.get(reverse("attachments:add"), {"owner": OWNER, "record_id": A_RECORD})
    assert "已添加附件「补正告知书.docx」" in shown.content.decode()


def test_add_refuses_with_a_chinese_message(cast: Any, casebook: Casebook, media: Path) -> None:
    client = client_for(cast.a_clerk)
    got = post_file(client, s.HTML, "通知.txt")
    assert got.status_code == 200
    page = got.content.decode()
    assert "不支持上传网页、SVG 或 XML 等标记文件" in page and "可上传的类型" in page
    assert Attachment.objects.count() == 0 and stored_files(media) == []


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_add_goes_back_only_to_this_site(cast: Any, casebook: Casebook, target: str) -> None:
    got = post_file(client_for(cast.a_clerk), s.PDF, "a.pdf", next=target)
    assert got.status_code == 302 and got["Location"] == "/"


@pytest.mark.parametrize(
    "params",
    [
        {"owner": OWNER, "record_id": "abc"},
        {"owner": OWNER, "record_id": str(2**63)},
        {"owner": "nosuch", "record_id": A_RECORD},
        {"owner": OWNER, "record_id": A_RECORD, "event_id": "x"},
        {"owner": OWNER},
    ],
)
def test_add_for_no_such_record_is_404(
    cast: Any, casebook: Casebook, params: dict[str, Any]
) -> None:
    assert client_for(cast.a_clerk).get(reverse("attachments:add"), params).status_code == 404


def test_remove(
    cast: Any, casebook: Casebook, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    a = add(cast)
    client = client_for(cast.a_clerk)
    url = reverse("attachments:remove", args=[a.pk])
    confirm = client.get(url, {"next": DETAIL})
    assert confirm.status_code == 200
    assert 'name="reason"' in confirm.content.decode() and "答复书.pdf" in confirm.content.decode()
    no_reason = client.post(url, {"reason": " ", "next": DETAIL})
    assert no_reason.status_code == 200 and "删除原因" in no_reason.content.decode()
    assert Attachment.objects.get().removed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        got = client.post(url, {"reason": "申请人撤回", "next": DETAIL})
    assert got.status_code == 302 and got["Location"] == DETAIL
    assert Attachment.objects.get().removed_reason == "申请人撤回"
    assert stored_files(media) == []


def test_stored_files_have_no_url(cast: Any, casebook: Casebook) -> None:
    a = add(cast)
    client = client_for(cast.a_clerk)
    for url in (f"/{a.storage_name}", f"/media/{a.storage_name}", f"/static/{a.storage_name}"):
        assert client.get(url).status_code == 404, url


def render_list(user: Any) -> str:
    request = RequestFactory().get(DETAIL)
    request.user = user
    context = {"attachments": attachments_for(OWNER, A_RECORD, user)}
    return render_to_string("attachments/_list.html", context, request=request)


def test_the_list_include(
    cast: Any, casebook: Casebook, django_capture_on_commit_callbacks: Any
) -> None:
    kept = add(cast, s.PDF, "答复书.pdf")
    gone = add(cast, s.PNG, "误传.png")
    with django_capture_on_commit_callbacks(execute=True):
        remove_attachment(attachment=gone, by=cast.a_clerk, reason="传错了")
    html = render_list(cast.a_clerk)
    assert reverse("attachments:download", args=[kept.pk]) in html
    assert "答复书.pdf" in html and "PDF 文档" in html and "a_clerk" in html
    assert (
        reverse("attachments:remove", args=[kept.pk]) + "?next=" + quote(DETAIL, safe="/") in html
    )
    assert reverse("attachments:add") in html and 'enctype="multipart/form-data"' in html
    assert "误传.png" in html and "传错了" in html
    assert reverse("attachments:download", args=[gone.pk]) not in html
    supervised = render_list(cast.supervisor)
    assert reverse("attachments:download", args=[kept.pk]) in supervised
    assert reverse("attachments:remove", args=[kept.pk]) not in supervised
    assert reverse("attachments:add") not in supervised
