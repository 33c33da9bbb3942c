"""The supervisor's review page: upload, findings in the text, batch table, Excel export."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.reports.models import ReviewRun
from fazhi.review.tests.synthetic import FAZHI_CLEAN, FAZHI_DEFECTIVE

pytestmark = pytest.mark.django_db


def upload(client: Client, *files: tuple[str, str]) -> Any:
    return client.post(
        reverse("web:review"),
        {"reports": [SimpleUploadedFile(name, text.encode("gb18030")) for name, text in files]},
    )


def test_supervisor_reviews_a_batch_and_exports_the_findings(cast: Any) -> None:
    client = Client()
    client.force_login(cast.supervisor)
    assert client.get(reverse("web:review")).status_code == 200
    response = upload(client, ("青石街道.txt", FAZHI_CLEAN), ("白沙乡.txt", FAZHI_DEFECTIVE))
    run = ReviewRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:review_run", args=[run.pk])
    assert AuditEvent.objects.filter(code="review.batch.completed", object_id=str(run.pk)).exists()

    page = client.get(response["Location"]).content.decode()
    assert "青石街道" in page and "白沙乡" in page
    assert "100%以上" in page  # the offending passage is shown in the text …
    assert "mark-error" in page  # … on a highlighted line
    assert "rate_over_100" not in page  # users see Chinese messages, not codes
    assert "比率不可能超过100%" in page

    export = client.get(reverse("web:review_export", args=[run.pk]))
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:7] == ["文件", "单位", "年度", "类型", "级别", "代码", "问题"]
    codes = {r[5] for r in rows[1:] if r[0] == "白沙乡.txt"}
    assert {"rate_over_100", "unit_mismatch", "wrong_year", "missing_item:leader_duty"} <= codes
    assert not [r for r in rows[1:] if r[0] == "青石街道.txt" and r[4] == "错误"]


def test_clerks_cannot_review_and_runs_are_private(cast: Any) -> None:
    clerk = Client()
    clerk.force_login(cast.a_clerk)
    assert clerk.get(reverse("web:review")).status_code == 404
    owner = Client()
    owner.force_login(cast.supervisor)
    upload(owner, ("a.txt", FAZHI_CLEAN))
    run = ReviewRun.objects.get()
    admin = Client()
    admin.force_login(cast.admin)  # may review too, but not read someone else's run
    assert admin.get(reverse("web:review_run", args=[run.pk])).status_code == 404
    assert admin.get(reverse("web:review_export", args=[run.pk])).status_code == 404


def test_unreadable_and_oversized_uploads_get_chinese_messages(cast: Any, settings: Any) -> None:
    client = Client()
    client.force_login(cast.supervisor)
    response = upload(client, ("scan.pdf", "%PDF-1.4 not really a pdf"))
    page = client.get(response["Location"]).content.decode()
    assert "unreadable" not in page
    assert "无法" in page or "不能" in page
    settings.FAZHI_MAX_UPLOAD_BYTES = 100
    response = upload(client, ("big.txt", "法" * 200))
    assert response.status_code == 200
    assert "过大" in response.content.decode()
    assert ReviewRun.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"reports": ""},  # the form sent without choosing a file
        {"previous": SimpleUploadedFile("上年.txt", FAZHI_CLEAN.encode("gb18030"))},
    ],
)
def test_a_submission_without_reports_is_refused_and_not_audited(
    cast: Any, data: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(cast.supervisor)
    response = client.post(reverse("web:review"), data)
    assert response.status_code == 200
    assert "请选择至少一份待审查的报告" in response.content.decode()
    assert not ReviewRun.objects.exists()
    assert not AuditEvent.objects.filter(code="review.batch.completed").exists()


def test_a_crafted_previous_year_file_fails_alone(cast: Any) -> None:
    from fazhi.review.tests import craft

    client = Client()
    client.force_login(cast.supervisor)
    response = client.post(
        reverse("web:review"),
        {
            "reports": [
                SimpleUploadedFile("good.txt", FAZHI_CLEAN.encode("gb18030")),
                SimpleUploadedFile("deep.pdf", craft.pdf_deep_tree(150)),
            ],
            "previous": SimpleUploadedFile("last.pdf", craft.pdf_deep_tree(150)),
        },
    )
    assert response.status_code == 302
    reports = ReviewRun.objects.get().result["reports"]
    unreadable = [[f["code"] for f in r["findings"] if f["code"] == "unreadable"] for r in reports]
    assert unreadable == [[], ["unreadable"]]
