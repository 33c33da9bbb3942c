"""一案一册: the dossier holds the registration, every session, the agreement and the follow-up,
in 公文 dress, through the door; and it renders (LibreOffice) when it is installed."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
from django.test import Client
from django.urls import reverse

from fazhi.ledgers.mediation import actions
from fazhi.ledgers.mediation.tests.test_actions import assigned, session
from fazhi.ledgers.mediation.tests.world import Med, d


def _text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def agreed_case(med: Med) -> Any:
    case = assigned(med)
    session(case, med.c_clerk, on=d(11, 4))
    session(case, med.c_clerk, on=d(11, 5))
    case = actions.written_agreement(
        case, by=med.c_clerk, on=d(11, 6), agreement="楼上住户承担维修费用2800元，于11月20日前付清"
    )
    return actions.follow_up(case, by=med.c_clerk, on=d(11, 24), performance="done", note="已付清")


def test_dossier_holds_the_four_parts(med: Med) -> None:
    case = agreed_case(med)
    client = Client()
    client.force_login(med.c_clerk)
    got = client.get(reverse("mediation:dossier", args=[case.pk]))
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert "attachment" in got["Content-Disposition"]
    text = _text(got.content)
    for part in (
        "一、人民调解受理登记表",
        "二、调解记录",
        "第2次调解",
        "三、人民调解协议书",
        "四、回访记录",
    ):
        assert part in text, part
    assert "楼上住户承担维修费用2800元" in text
    assert "2026年12月7日前" in text  # the 司法确认 window, in 公文 date form
    assert "已履行" in text and "东湖物业服务有限公司" in text
    # Another street's clerk gets a 404, like a missing case.
    other = Client()
    other.force_login(med.cast.b_clerk)
    assert other.get(reverse("mediation:dossier", args=[case.pk])).status_code == 404
    assert other.get(reverse("mediation:dossier", args=[case.pk + 999])).status_code == 404


def test_dossier_of_a_failed_case_tells_the_routes(med: Med) -> None:
    case = actions.fail(assigned(med), by=med.c_clerk, on=d(11, 9), routes=["arbitration"])
    client = Client()
    client.force_login(med.c_clerk)
    text = _text(client.get(reverse("mediation:dossier", args=[case.pk])).content)
    assert "三、调解终止记录" in text and "仲裁" in text and "第二十六条" in text


def test_dossier_renders_through_libreoffice(med: Med, tmp_path: Path) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        from conftest import require_in_ci

        require_in_ci("LibreOffice is not installed")
    case = agreed_case(med)
    client = Client()
    client.force_login(med.c_clerk)
    path = tmp_path / "dossier.docx"
    path.write_bytes(client.get(reverse("mediation:dossier", args=[case.pk])).content)
    subprocess.run(
        [str(office), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = tmp_path / "dossier.pdf"
    assert pdf.exists() and pdf.stat().st_size > 5000
    keep = os.environ.get("FAZHI_KEEP_PREVIEW")
    if keep:
        shutil.copy(pdf, keep)


def test_dossier_after_applying_for_confirmation_keeps_the_window_and_files_it_with_the_agreement(
    med: Med,
) -> None:
    case = agreed_case(med)
    case = actions.apply_confirmation(case, by=med.c_clerk, on=d(11, 25), court="示例区人民法院")
    client = Client()
    client.force_login(med.c_clerk)
    text = _text(client.get(reverse("mediation:dossier", args=[case.pk])).content)
    assert "三十日内（2026年12月7日前）" in text and "（—前）" not in text
    agreement, visits = text.split("三、人民调解协议书", 1)[1].split("四、回访记录", 1)
    assert "向示例区人民法院申请司法确认" in agreement
    assert "司法确认" not in visits and "已履行" in visits
