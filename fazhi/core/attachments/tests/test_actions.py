"""Adding and removing attachments: checks first, stored bytes and row together, audited."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.db.models.signals import post_save
from django.http import Http404
from django.utils import timezone

from fazhi.core.attachments.actions import add_attachment, clean_name, remove_attachment
from fazhi.core.attachments.models import Attachment
from fazhi.core.attachments.owners import register_owner
from fazhi.core.attachments.queries import attachments_for
from fazhi.core.attachments.tests import samples as s
from fazhi.core.attachments.tests.casebook import (
    A_OTHER,
    A_RECORD,
    B_RECORD,
    OWNER,
    Casebook,
    stored_files,
)
from fazhi.core.audit.models import AuditEvent
from fazhi.core.tenancy.models import Membership
from fazhi.core.workflow import ActionError

pytestmark = pytest.mark.django_db
STORED = re.compile(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}")
ID_NUMBER = "11010519491231002X"  # a valid GB 11643 number


def add(cast: Any, data: bytes = s.PDF, name: str = "答复书.pdf", **kw: Any) -> Attachment:
    kw.setdefault("unit", cast.street_a)
    kw.setdefault("record_id", A_RECORD)
    kw.setdefault("by", cast.a_clerk)
    return add_attachment(owner=OWNER, upload=data, name=name, **kw)


def counts() -> tuple[int, int]:
    return Attachment.objects.count(), AuditEvent.objects.count()


def test_add_stores_the_bytes_under_a_random_name(
    cast: Any, casebook: Casebook, media: Path
) -> None:
    a = add(cast, s.docx_file(), "../../etc/补正告知书.docx", note="申请人提交的补正材料")
    assert STORED.fullmatch(a.storage_name)
    assert "补正" not in a.storage_name and "etc" not in a.storage_name
    assert stored_files(media) == [media / a.storage_name]
    assert (media / a.storage_name).read_bytes() == s.docx_file()
    assert a.name == "补正告知书.docx"
    assert a.type_label == "Word 文档"
    assert a.content_type.endswith("wordprocessingml.document")
    assert a.size == len(s.docx_file())
    assert a.sha256 == hashlib.sha256(s.docx_file()).hexdigest()
    assert (a.unit, a.owner, a.record_id, a.event_id) == (cast.street_a, OWNER, A_RECORD, None)
    assert a.note == "申请人提交的补正材料"
    assert a.created_by == cast.a_clerk and a.removed_at is None


def test_add_is_audited(cast: Any, casebook: Casebook) -> None:
    a = add(cast, s.PDF, f"{ID_NUMBER}身份证.pdf", event_id=7)
    event = AuditEvent.objects.get(code="attachments.file.added")
    assert (event.unit_code, event.object_type, event.object_id) == (
        "A1",
        f"{OWNER}.record",
        str(A_RECORD),
    )
    assert event.actor == "a_clerk"
    assert event.data["attachment"] == a.pk and event.data["event"] == 7
    assert event.data["sha256"] == a.sha256 and event.data["size"] == a.size
    # The row keeps the full name for the detail page; the log masks the ID number in it.
    assert ID_NUMBER in a.name
    assert event.data["name"] == "110***********002X身份证.pdf"


def test_the_type_comes_from_the_content_not_the_name(
    cast: Any, casebook: Casebook, media: Path
) -> None:
    assert add(cast, s.PDF, "扫描件.jpg").content_type == "application/pdf"
    before = counts()
    with pytest.raises(ActionError, match="不支持该文件类型") as caught:
        add(cast, s.EXE, "答复书.pdf")
    assert caught.value.field == "file"
    assert counts() == before
    assert len(stored_files(media)) == 1


def test_uploaded_files_are_hashed_while_streaming(
    cast: Any, casebook: Casebook, media: Path
) -> None:
    data = s.TEXT * 60_000  # about 5 MB: Django spools this to a temporary file
    upload = TemporaryUploadedFile("记录.txt", "text/html", len(data), "utf-8")
    upload.write(data)
    upload.flush()
    a = add_attachment(
        unit=cast.street_a, owner=OWNER, record_id=A_RECORD, upload=upload, by=cast.a_clerk
    )
    upload.close()  # as the request does; the storage moved the temporary file into place
    assert a.sha256 == hashlib.sha256(data).hexdigest()
    assert (a.name, a.size, a.content_type) == ("记录.txt", len(data), "text/plain; charset=utf-8")
    assert (media / a.storage_name).read_bytes() == data
    small = SimpleUploadedFile("照片.png", s.PNG, content_type="application/pdf")
    b = add_attachment(
        unit=cast.street_a, owner=OWNER, record_id=A_RECORD, upload=small, by=cast.a_clerk
    )
    assert (b.name, b.content_type) == ("照片.png", "image/png")


def test_size_limit(cast: Any, casebook: Casebook, settings: Any, media: Path) -> None:
    settings.FAZHI_MAX_ATTACHMENT_BYTES = 2048
    add(cast, b"%PDF-" + b"x" * 2043)
    upload = SimpleUploadedFile("大文件.pdf", b"%PDF-" + b"x" * 3000)
    with pytest.raises(ActionError, match=r"文件过大（2.9 KB），附件上限为 2 KB"):
        add_attachment(
            unit=cast.street_a, owner=OWNER, record_id=A_RECORD, upload=upload, by=cast.a_clerk
        )
    with pytest.raises(ActionError, match="附件上限为 2 KB"):
        add(cast, b"%PDF-" + b"x" * 2044)
    assert Attachment.objects.count() == 1 and len(stored_files(media)) == 1


@pytest.mark.parametrize(
    ("given", "clean"),
    [
        ("答复书.pdf", "答复书.pdf"),
        ("C:\\Users\\张三\\Desktop\\答复书.pdf", "答复书.pdf"),
        ("../../etc/passwd", "passwd"),
        ("a\x00b\r\n\tc.txt", "abc.txt"),
        ("\u202egpj.exe", "gpj.exe"),  # a right-to-left override would show "exe.jpg"
        ("  .hidden.  ", "hidden"),
        ("", "附件"),
        ("/", "附件"),
        ("长" * 300 + ".docx", "长" * 250 + ".docx"),
        ("长" * 300, "长" * 255),
    ],
)
def test_clean_name(given: str, clean: str) -> None:
    assert clean_name(given) == clean
    assert len(clean_name(given)) <= Attachment._meta.get_field("name").max_length  # type: ignore[operator]


def test_who_may_add(cast: Any, casebook: Casebook, media: Path) -> None:
    add(cast, by=cast.a_reviewer)
    add(cast, by=cast.a_leader)
    before = counts()
    for user in (cast.supervisor, cast.admin, cast.b_clerk):
        with pytest.raises(ActionError, match="没有办理该单位记录的权限"):
            add(cast, by=user)
    # B's clerk naming their own unit cannot reach A's record either.
    with pytest.raises(ActionError, match="未找到该记录"):
        add(cast, unit=cast.street_b, by=cast.b_clerk)
    assert counts() == before and len(stored_files(media)) == 2


def test_the_unit_must_be_the_records(cast: Any, casebook: Casebook) -> None:
    Membership.objects.create(user=cast.a_clerk, unit=cast.street_b, role="clerk")
    with pytest.raises(ActionError, match="不一致"):
        add(cast, unit=cast.street_b, record_id=A_RECORD)
    add(cast, unit=cast.street_b, record_id=B_RECORD)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"record_id": 999}, "未找到该记录"),
        ({"record_id": 0}, "未找到该记录"),
        ({"record_id": 2**63}, "未找到该记录"),
        ({"event_id": -1}, "未找到该记录"),
        ({"note": "长" * 501}, "说明不能超过 500 字"),
    ],
)
def test_bad_input_writes_nothing(
    cast: Any, casebook: Casebook, media: Path, kw: dict[str, Any], message: str
) -> None:
    before = counts()
    with pytest.raises(ActionError, match=message):
        add(cast, **kw)
    assert counts() == before
    assert stored_files(media) == []


def test_unknown_owner_and_voided_record(cast: Any, casebook: Casebook) -> None:
    with pytest.raises(ActionError, match="未知的台账"):
        add_attachment(
            unit=cast.street_a,
            owner="nosuch",
            record_id=A_RECORD,
            upload=s.PDF,
            name="a.pdf",
            by=cast.a_clerk,
        )
    casebook.voided.add(A_RECORD)
    with pytest.raises(ActionError, match="未找到该记录"):
        add(cast)


def test_a_failed_transaction_leaves_no_file(cast: Any, casebook: Casebook, media: Path) -> None:
    def refuse(**_: Any) -> None:
        raise RuntimeError("the database refused the row")

    before = counts()
    post_save.connect(refuse, sender=Attachment)
    try:
        with pytest.raises(RuntimeError):
            add(cast)
    finally:
        post_save.disconnect(refuse, sender=Attachment)
    assert counts() == before
    assert stored_files(media) == []


def test_remove_keeps_the_row_and_deletes_the_bytes_on_commit(
    cast: Any, casebook: Casebook, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    a = add(cast, s.PDF, "申请书.pdf")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        removed = remove_attachment(attachment=a, by=cast.a_leader, reason=f"误传，含 {ID_NUMBER}")
    # Until the transaction commits the bytes are still there: a rollback would need them.
    assert (media / a.storage_name).exists()
    for callback in pending:
        callback()
    assert stored_files(media) == []
    row = Attachment.objects.get(pk=a.pk)
    assert (row.name, row.sha256, row.size) == ("申请书.pdf", a.sha256, a.size)
    assert row.removed_by == cast.a_leader and row.removed_at is not None
    assert row.removed_reason == f"误传，含 {ID_NUMBER}"
    assert removed.removed_at == row.removed_at
    event = AuditEvent.objects.get(code="attachments.file.removed")
    assert (event.unit_code, event.object_type, event.object_id) == (
        "A1",
        f"{OWNER}.record",
        str(A_RECORD),
    )
    assert event.data["sha256"] == a.sha256 and event.data["name"] == "申请书.pdf"
    assert event.data["reason"] == "误传，含 110***********002X"


def test_remove_needs_a_reason_and_happens_once(
    cast: Any, casebook: Casebook, django_capture_on_commit_callbacks: Any
) -> None:
    a = add(cast)
    for reason in ("", "  \n "):
        with pytest.raises(ActionError, match="请填写删除原因") as caught:
            remove_attachment(attachment=a, by=cast.a_clerk, reason=reason)
        assert caught.value.field == "reason"
    with pytest.raises(ActionError, match="不能超过 500 字"):
        remove_attachment(attachment=a, by=cast.a_clerk, reason="长" * 501)
    with django_capture_on_commit_callbacks(execute=True):
        remove_attachment(attachment=a, by=cast.a_clerk, reason="重复上传")
    before = counts()
    with pytest.raises(ActionError, match="该附件已删除"):
        remove_attachment(attachment=a, by=cast.a_clerk, reason="再删一次")
    assert counts() == before
    assert Attachment.objects.get(pk=a.pk).removed_reason == "重复上传"


def test_who_may_remove(cast: Any, casebook: Casebook, media: Path) -> None:
    a = add(cast)
    before = counts()
    for user in (cast.supervisor, cast.admin, cast.b_clerk):
        with pytest.raises(ActionError, match="没有办理该单位记录的权限"):
            remove_attachment(attachment=a, by=user, reason="越权")
    assert counts() == before
    assert Attachment.objects.get(pk=a.pk).removed_at is None
    assert (media / a.storage_name).exists()


def test_removed_by_and_at_are_paired(cast: Any, casebook: Casebook) -> None:
    a = add(cast)
    rows = Attachment.objects.filter(pk=a.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(removed_by=cast.a_clerk, removed_reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(removed_at=timezone.now(), removed_reason="x")


def test_a_removal_carries_its_reason(cast: Any, casebook: Casebook) -> None:
    a = add(cast)
    rows = Attachment.objects.filter(pk=a.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(removed_by=cast.a_clerk, removed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(removed_reason="只有原因")


def test_an_attachment_is_never_empty(cast: Any, casebook: Casebook) -> None:
    a = add(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.filter(pk=a.pk).update(size=0)


def test_attachments_for_a_record(
    cast: Any, casebook: Casebook, django_capture_on_commit_callbacks: Any
) -> None:
    first = add(cast, s.PDF, "一.pdf")
    on_event = add(cast, s.PNG, "二.png", event_id=5)
    gone = add(cast, s.JPEG, "三.jpg")
    add(cast, s.PDF, "别的记录.pdf", record_id=A_OTHER)
    with django_capture_on_commit_callbacks(execute=True):
        remove_attachment(attachment=gone, by=cast.a_clerk, reason="误传")
    listed = attachments_for(OWNER, A_RECORD, cast.a_clerk)
    assert [a.name for a in listed.files] == ["一.pdf", "二.png"]
    assert [a.name for a in listed.removed] == ["三.jpg"]
    assert listed.by_event == {5: [on_event]}
    assert listed.can_handle
    assert first in listed.files
    supervised = attachments_for(OWNER, A_RECORD, cast.supervisor)
    assert [a.name for a in supervised.files] == ["一.pdf", "二.png"] and not supervised.can_handle
    with pytest.raises(Http404):
        attachments_for(OWNER, A_RECORD, cast.b_clerk)


def test_an_owner_slug_is_registered_once(casebook: Casebook) -> None:
    register_owner(OWNER, casebook.resolve)  # the same resolver again: harmless
    with pytest.raises(ImproperlyConfigured):
        register_owner(OWNER, lambda user, pk: casebook.resolve(user, pk))
    with pytest.raises(ImproperlyConfigured):
        register_owner("Bad Slug", casebook.resolve)


def test_uploaders_are_kept(cast: Any, casebook: Casebook) -> None:
    add(cast)
    with pytest.raises(ProtectedError):
        get_user_model().objects.filter(pk=cast.a_clerk.pk).delete()
