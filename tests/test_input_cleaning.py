"""One input-cleaning layer (fazhi.textclean) for forms, actions, imports, report texts and the
calendar: control characters never reach the database or a Word file, lengths are held to the
model's limits with a Chinese message, and SQLite and PostgreSQL behave the same."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import docx
import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from fazhi.core.calendar.models import CalendarDay, CalendarYear
from fazhi.core.reports.actions import save_texts
from fazhi.core.reports.models import ReportText
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure import actions
from fazhi.ledgers.disclosure.bulk import import_file
from fazhi.ledgers.disclosure.models import Application
from fazhi.ledgers.disclosure.tests.importcase import base_row, csv_bytes
from fazhi.textclean import TextTooLong, clean_text, strip_controls

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC)
JUNK = ["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\x7f", "\ufffe", "\uffff", "\ud800"]


@pytest.mark.parametrize("junk", JUNK)
def test_control_characters_are_removed_and_line_breaks_kept(junk: str) -> None:
    assert strip_controls(f"第一行{junk}\r\n第二行\t末尾") == "第一行\n第二行\t末尾"
    assert strip_controls(f"一{junk}行\n两行", multiline=False) == "一行 两行"


def test_too_long_text_is_refused_with_its_label_and_lengths() -> None:
    assert clean_text("  好  ", max_length=1) == "好"
    with pytest.raises(TextTooLong, match="「申请人」过长（最多3个字符，实际4个字符）"):
        clean_text("一二三四", max_length=3, label="申请人")


@pytest.mark.parametrize("junk", JUNK)
def test_a_narrative_with_control_characters_saves_and_the_docx_still_downloads(
    cast: Any, junk: str
) -> None:
    save_texts(
        unit=cast.street_a,
        kind="xxgk",
        year=2026,
        texts={"problems": f"存在的问题{junk}：公开不够及时"},
        by=cast.a_clerk,
    )
    stored = ReportText.objects.get(unit=cast.street_a, key="problems").text
    assert stored == "存在的问题：公开不够及时"
    client = Client()
    client.force_login(cast.a_clerk)
    response = client.get(reverse("web:report_docx", args=["xxgk", "A1", 2026]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "存在的问题：公开不够及时" in text


def test_the_docx_renderer_survives_junk_stored_before_the_cleaning_layer(cast: Any) -> None:
    ReportText.objects.create(
        unit=cast.street_a, kind="xxgk", year=2026, key="other", text="旧数据\x0b\x0c\x01仍在"
    )
    client = Client()
    client.force_login(cast.a_clerk)
    response = client.get(reverse("web:report_docx", args=["xxgk", "A1", 2026]))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


@pytest.mark.parametrize(
    "url",
    [
        reverse("web:report_docx", args=["xxgk", "A1", 2026]),
        reverse("xxgk:guide_docx", args=["A1"]),
    ],
)
def test_a_unit_name_stored_with_junk_still_gives_its_documents(cast: Any, url: str) -> None:
    """The unit's name is the documents' title, in the text and in the file's properties."""
    OrgUnit.objects.filter(pk=cast.street_a.pk).update(name="东湖\x0b街道\x01")
    client = Client()
    client.force_login(cast.a_clerk)
    response = client.get(url)
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    assert "东湖街道" in document.core_properties.title


def test_a_narrative_over_the_limit_is_refused(cast: Any) -> None:
    with pytest.raises(ActionError, match="过长"):
        save_texts(
            unit=cast.street_a,
            kind="xxgk",
            year=2026,
            texts={"other": "字" * 20_001},
            by=cast.a_clerk,
        )
    assert not ReportText.objects.exists()


def test_a_nul_in_a_registered_field_is_stored_the_same_on_both_databases(cast: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        app = actions.register(
            unit=cast.street_a,
            by=cast.a_clerk,
            received_on=dt.date(2026, 11, 24),
            applicant_category="natural_person",
            applicant_name="王\x00某",
            content="申请\x00内容\x0b",
            number="YSQ\x00-1",
        )
    app.refresh_from_db()
    assert (app.applicant_name, app.content, app.number) == ("王某", "申请内容", "YSQ-1")


def test_an_over_long_field_is_refused_by_the_action_as_by_the_form(cast: Any) -> None:
    with time_machine.travel(NOW, tick=False), pytest.raises(ActionError, match="最多5000个字符"):
        actions.register(
            unit=cast.street_a,
            by=cast.a_clerk,
            received_on=dt.date(2026, 11, 24),
            applicant_category="natural_person",
            applicant_name="王某",
            content="长" * 5001,
        )
    assert not Application.with_voided.exists()


@pytest.mark.usefixtures("historical_entry")
def test_imports_hold_every_field_to_the_forms_limits(cast: Any) -> None:
    """A 190 MB cell was once stored as an application's content: the import now applies the
    model's limits, as the form does."""
    row = base_row(1, dt.date(2026, 6, 1), 申请内容="长" * 5001, 申请人="名" * 201)
    with time_machine.travel(NOW, tick=False):
        outcome = import_file(
            unit=cast.street_a,
            by=cast.a_clerk,
            data=csv_bytes([row], "utf-8-sig"),
            filename="x.csv",
        )
    assert not outcome.ok
    assert any("第2行「申请人」过长（最多200个字符" in e for e in outcome.errors), outcome.errors
    assert not Application.with_voided.exists()


def _calendar_csv(tmp_path: Path, name: str, filename: str = "days.csv") -> Path:
    path = tmp_path / filename
    path.write_text(f"date,kind,name\n2030-01-01,holiday,{name}\n", encoding="utf-8")
    return path


def test_a_calendar_day_name_over_its_limit_is_refused_and_nothing_written(
    cast: Any, tmp_path: Path
) -> None:
    path = _calendar_csv(tmp_path, "节" * 65)
    with pytest.raises(CommandError, match="节假日名称」过长（最多64个字符"):
        call_command("calendar", "load", str(path), stdout=io.StringIO())
    assert not CalendarDay.objects.filter(date__year=2030).exists()
    assert not CalendarYear.objects.filter(year=2030).exists()
    client = Client()
    client.force_login(cast.admin)
    with path.open("rb") as upload:
        page = client.post(
            reverse("web:calendar_year", args=[2030]),
            {"form": "csv", "csv-file": upload},
            follow=True,
        )
    assert page.status_code == 200 and "过长" in page.content.decode()
    assert not CalendarDay.objects.filter(date__year=2030).exists()


def test_a_long_file_name_is_shortened_into_the_source(tmp_path: Path) -> None:
    path = _calendar_csv(tmp_path, "元旦", "日" * 80 + ".csv")  # 83 characters, 241 bytes
    call_command("calendar", "load", str(path), stdout=io.StringIO())
    loaded = CalendarYear.objects.get(year=2030)
    assert loaded.source.startswith("CSV：日日") and len(loaded.source) <= 200
    assert CalendarDay.objects.get(date=dt.date(2030, 1, 1)).name == "元旦"


def test_a_nul_deep_in_a_reviewed_text_is_stored_the_same_on_both_databases(cast: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fazhi.core.reports.models import ReviewRun

    text = ("某街道2026年法治政府建设情况报告\n" + "一、主要举措和成效。\n" * 400).encode()
    data = text + b"\x00\x01" + "二、存在的不足和原因。".encode()  # past byte 4096
    assert len(text) > 4096
    client = Client()
    client.force_login(cast.supervisor)
    response = client.post(
        reverse("web:review"), {"reports": [SimpleUploadedFile("报告.txt", data)]}
    )
    assert response.status_code == 302
    lines = ReviewRun.objects.get().result["reports"][0]["lines"]
    assert "二、存在的不足和原因。" in lines[-1] and "\x00" not in "".join(lines)


@pytest.mark.usefixtures("historical_entry")
@pytest.mark.parametrize("column", ["申请编号", "申请人", "申请内容"])
def test_a_control_character_in_an_imported_cell_is_a_row_error(cast: Any, column: str) -> None:
    """Excel writes a control character as _x0000_, which the reader decodes to a NUL: the
    same Chinese row error on both databases, nothing written."""
    from fazhi.ledgers.disclosure.tests.importcase import xlsx_bytes

    row = base_row(1, dt.date(2026, 6, 1))
    row[column] = f"{row[column]}_x0000_"
    with time_machine.travel(NOW, tick=False):
        outcome = import_file(
            unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes([row]), filename="x.xlsx"
        )
    assert outcome.errors == [f"第2行「{column}」含有控制字符（文件可能已损坏），请删除后重新导入"]
    assert not Application.with_voided.exists()


def test_a_nul_typed_into_a_form_is_removed_like_any_control_character(cast: Any) -> None:
    client = Client()
    client.force_login(cast.a_clerk)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("web:new", args=["disclosure"]),
            {
                "unit": "A1",
                "received_on": "2026-11-24",
                "channel": "in_person",
                "applicant_category": "natural_person",
                "applicant_name": "王\x00某",
                "id_number": "110101199003070011",
                "contact": "1380000\x000000",
                "content": "申请\x00内容",
            },
        )
    assert response.status_code == 302
    assert Application.objects.get().applicant_name == "王某"
    assert Application.objects.get().contact == "13800000000"


@pytest.mark.parametrize(
    "url",
    [
        reverse("web:list", args=["disclosure"]),
        reverse("web:list", args=["petitions"]),
        reverse("web:manage_users"),
        reverse("web:manage_units"),
        reverse("web:audit"),
        reverse("xxgk:index"),
        reverse("xxgk:catalogue", args=["A1"]),
    ],
)
def test_a_nul_in_a_search_or_filter_is_ignored_on_both_databases(cast: Any, url: str) -> None:
    """PostgreSQL refuses a NUL in a query parameter (a 500), SQLite searches for it: every
    list page reads its search and filters without it."""
    client = Client()
    client.force_login(cast.admin)
    params = dict.fromkeys(("q", "unit", "state", "status", "category", "actor"), "东湖\x00")
    response = client.get(url, {**params, "year": "2026\x00"})
    assert response.status_code == 200


def test_every_imported_text_is_held_to_a_limit() -> None:
    """A text column either fills a model field (held to its max_length when written) or
    declares the limit its form applies; none is bounded only by Excel's 32 767 characters."""
    from fazhi.core.imports.parsers import ImportValueError
    from fazhi.core.web.registry import ledgers

    unbounded = []
    for ui in ledgers():
        declaration = ui.import_declaration
        if declaration is None or ui.import_view:
            # A ledger with its own (streaming, columnar) import holds every text to its
            # field's max_length there (hotline: columnar.py; its import tests try it).
            continue
        model = ui.ledger.model
        for column in declaration.spec.columns:
            if column.max_length is not None:
                continue
            try:
                if getattr(model._meta.get_field(column.key), "max_length", None):
                    continue
            except Exception:  # not a model field: the step's data
                pass
            try:
                parsed = column.parse("文字")
            except ImportValueError:
                continue  # a date, a number or a choice
            if parsed == "文字":
                unbounded.append(f"{ui.ledger.slug}: {column.header}")
    assert not unbounded


def _reply_row(column: str, length: int) -> dict[str, object]:
    outcome = "本机关不掌握相关政府信息" if column.startswith("负责") else "属于国家秘密"
    if column == "不予公开的部分":
        outcome = "部分公开"
    return base_row(
        1,
        dt.date(2026, 6, 1),
        答复日期=dt.date(2026, 6, 10),
        办理结果=outcome,
        **({"答复理由": "涉及国家秘密"} | {column: "字" * length}),
    )


REPLY_COLUMNS = [
    ("答复理由", "reasons"),
    ("法律依据", "basis"),
    ("不予公开的部分", "withheld"),
    ("负责公开的机关", "competent_body"),
    ("负责机关联系方式", "competent_contact"),
]


@pytest.mark.usefixtures("historical_entry")
@pytest.mark.parametrize(("column", "field"), REPLY_COLUMNS)
def test_an_imported_reply_text_is_held_to_the_reply_forms_limit(
    cast: Any, column: str, field: str
) -> None:
    from fazhi.ledgers.disclosure.forms import ReplyForm
    from fazhi.ledgers.disclosure.models import ApplicationEvent
    from fazhi.ledgers.disclosure.tests.importcase import HEADERS, xlsx_bytes

    limit = ReplyForm.base_fields[field].max_length
    assert limit is not None
    headers = [*HEADERS, *(c for c, _ in REPLY_COLUMNS)]
    with time_machine.travel(NOW, tick=False):
        over = import_file(
            unit=cast.street_a,
            by=cast.a_clerk,
            data=xlsx_bytes([_reply_row(column, limit + 1)], headers),
            filename="x.xlsx",
        )
        assert over.errors == [f"第2行「{column}」过长（最多{limit}个字符，实际{limit + 1}个字符）"]
        assert not Application.with_voided.exists()
        at_limit = import_file(
            unit=cast.street_a,
            by=cast.a_clerk,
            data=xlsx_bytes([_reply_row(column, limit)], headers),
            filename="x.xlsx",
        )
    assert at_limit.ok, at_limit.errors
    reply = ApplicationEvent.objects.get(kind="replied")
    assert reply.data[field] == "字" * limit


@pytest.mark.usefixtures("historical_entry")
@pytest.mark.parametrize(
    ("values", "column", "limit"),
    [
        ({"处理方式": "转送", "转送/交办机关": "机" * 201}, "转送/交办机关", 200),
        (
            {"处理方式": "受理", "答复日期": dt.date(2026, 6, 1), "处理结果": "支持"}
            | {"处理依据": "依" * 2001},
            "处理依据",
            2000,
        ),
        (
            {"处理方式": "受理", "延期批准日期": dt.date(2026, 5, 20), "延长日数": 10}
            | {"延期批准人": "人" * 101},
            "延期批准人",
            100,
        ),
    ],
)
def test_an_imported_petition_step_text_is_held_to_its_forms_limit(
    cast: Any, values: dict[str, object], column: str, limit: int
) -> None:
    from fazhi.ledgers.petitions.forms import OpinionForm, TransferForm
    from fazhi.ledgers.petitions.models import Petition
    from fazhi.ledgers.petitions.tests import importcase

    assert TransferForm.base_fields["to"].max_length == 200
    assert OpinionForm.base_fields["basis"].max_length == 2000
    row = importcase.bad_row(处理日期=dt.date(2026, 5, 8), **values)
    with time_machine.travel(NOW, tick=False):
        outcome = importcase.imp(cast, importcase.xlsx_bytes([row]))
    assert outcome.errors == [f"第2行「{column}」过长（最多{limit}个字符，实际{limit + 1}个字符）"]
    assert not Petition.with_voided.exists()


@pytest.mark.usefixtures("historical_entry")
def test_an_imported_approver_over_the_limit_is_refused_not_cut(cast: Any) -> None:
    from fazhi.core.records.bulk import APPROVER_MAX_LENGTH
    from fazhi.ledgers.disclosure.tests.importcase import HEADERS, xlsx_bytes

    row = base_row(1, dt.date(2026, 6, 1), 延期日期=dt.date(2026, 6, 20))
    row["延期批准人"] = "人" * (APPROVER_MAX_LENGTH + 1)
    with time_machine.travel(NOW, tick=False):
        outcome = import_file(
            unit=cast.street_a,
            by=cast.a_clerk,
            data=xlsx_bytes([row], [*HEADERS, "延期批准人"]),
            filename="x.xlsx",
        )
    assert outcome.errors == ["第2行「延期批准人」过长（最多100个字符，实际101个字符）"]
    assert not Application.with_voided.exists()
