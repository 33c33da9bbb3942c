"""The register, the 指南 and the 目录 in the web and on the command line; the tenant door swept
over every page of the register's own (B's clerk gets 404, nothing of A leaks, nothing is written)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import URLPattern, reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure.proactive import actions, guide
from fazhi.ledgers.disclosure.proactive import urls as xxgk_urls
from fazhi.ledgers.disclosure.proactive.models import Guide, ProactiveEvent, ProactiveItem
from fazhi.ledgers.disclosure.proactive.workflow import MOVES

D = dt.date
pytestmark = pytest.mark.django_db
SLUG = "proactive"
A_TITLE = "甲街道独有的信息"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        yield


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


@pytest.fixture
def a_items(cast: Any) -> list[ProactiveItem]:
    published = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        title=f"{A_TITLE}（已公开）",
        category="art20_07",
        made_on=D(2026, 3, 2),
        summary="2026年部门预算",
        published_on=D(2026, 3, 5),
        channel="website",
        location="区政府网站",
    )
    pending = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        title=f"{A_TITLE}（待公开）",
        category="art20_02",
        made_on=D(2026, 10, 20),
    )
    actions.register(
        unit=cast.street_b,
        by=cast.b_clerk,
        title="乙街道的信息",
        category="art20_07",
        made_on=D(2026, 3, 2),
        published_on=D(2026, 3, 3),
        channel="notice_board",
    )
    return [published, pending]


def state() -> tuple[int, int, int, int]:
    return (
        ProactiveItem.with_voided.count(),
        ProactiveEvent.objects.count(),
        Guide.objects.count(),
        AuditEvent.objects.count(),
    )


# url name -> kwargs; every page of the register's own names the unit A1.
URLS: dict[str, Callable[[], list[dict[str, Any]]]] = {
    "index": lambda: [{}],
    "guide": lambda: [{"code": "A1"}],
    "guide_edit": lambda: [{"code": "A1"}],
    "guide_docx": lambda: [{"code": "A1"}],
    "catalogue": lambda: [{"code": "A1"}],
    "catalogue_xlsx": lambda: [{"code": "A1"}],
}
A_SCOPED = set(URLS) - {"index"}


def test_every_url_is_in_the_sweep() -> None:
    patterns = xxgk_urls.urlpatterns
    assert all(isinstance(p, URLPattern) for p in patterns)
    assert {p.name for p in patterns} == set(URLS)


def urls(names: set[str]) -> list[tuple[str, str]]:
    return [(n, reverse(f"xxgk:{n}", kwargs=kw)) for n in sorted(names) for kw in URLS[n]()]


POST = dict.fromkeys(guide.FIELDS, "越权") | {
    "postcode": "100000",
    "on": "2026-11-20",
    "channel": "website",
    "reason": "越权",
    "title": "越权",
}


def test_outsider_gets_404_on_everything_of_a(cast: Any, a_items: list[ProactiveItem]) -> None:
    guide.save_guide(
        unit=cast.street_a,
        by=cast.a_clerk,
        **(guide.defaults(cast.street_a) | {"address": "甲地址", "phone": "1"}),
    )
    client = client_for(cast.b_clerk)
    before = state()
    for name, url in urls(A_SCOPED):
        for got in (client.get(url), client.post(url, POST)):
            assert got.status_code == 404, (name, url, got.status_code)
            assert A_TITLE not in text(got) and "甲地址" not in text(got)
    for item in a_items:
        for name in ("detail", "correct", "void", "undo"):
            url = reverse(f"web:{name}", args=[SLUG, item.pk])
            assert client.get(url).status_code == 404, name
            assert client.post(url, POST).status_code == 404, name
        for move in MOVES:
            url = reverse("web:move", args=[SLUG, item.pk, move.code])
            assert client.post(url, POST).status_code == 404
    assert state() == before
    index = text(client.get(reverse("xxgk:index")))
    assert "东湖街道" not in index and "西城街道" in index
    for query in ({}, {"unit": "A1"}, {"q": A_TITLE}, {"figure": "xxgk.proactive.published:2026"}):
        listing = text(client.get(reverse("web:list", args=[SLUG]), query))
        shown = re.search(r"<tbody>(.*?)</tbody>", listing, re.S)  # the page echoes the search
        assert shown is None or A_TITLE not in shown.group(1), query
        assert "东湖街道" not in listing, query
        exported = client.get(reverse("web:export", args=[SLUG]), query).content
        assert A_TITLE.encode() not in exported


def test_the_same_pages_show_a_to_its_own_clerk(cast: Any, a_items: list[ProactiveItem]) -> None:
    client = client_for(cast.a_clerk)
    listing = text(client.get(reverse("web:list", args=[SLUG])))
    assert A_TITLE in listing and "政府信息公开指南和目录" in listing
    # The entry made on 10-20 was due on 11-17: 逾期 on the list and in 待办.
    assert '2026-11-17 <span class="badge overdue">逾期</span>' in listing
    assert f"{A_TITLE}（待公开）" in text(client.get(reverse("web:home")))
    assert A_TITLE in text(client.get(reverse("xxgk:catalogue", args=["A1"])))
    assert client.get(reverse("web:detail", args=[SLUG, a_items[0].pk])).status_code == 200


def test_anonymous_is_sent_to_login(cast: Any) -> None:
    client = Client()
    for name, url in urls(set(URLS)):
        got = client.get(url)
        assert got.status_code == 302 and got["Location"].startswith(reverse("login")), name


def test_the_guide_starts_from_defaults_and_is_saved_through_an_audited_action(cast: Any) -> None:
    client = client_for(cast.a_clerk)
    page = text(client.get(reverse("xxgk:guide", args=["A1"])))
    assert "东湖街道政府信息公开指南" in page
    assert "本单位尚未保存指南" in page and "尚未填写：办公地址、联系电话" in page
    assert "东湖街道党政办公室" in page and "示例区人民政府" in page  # defaults from the unit
    form = text(client.get(reverse("xxgk:guide_edit", args=["A1"])))
    assert "以下为默认内容" in form
    fields, _ = guide.current(cast.street_a)
    filled = fields | {"address": "示例区东湖路1号", "phone": "0000-1234567"}
    bad = client.post(reverse("xxgk:guide_edit", args=["A1"]), filled | {"postcode": "10000x"})
    assert bad.status_code == 200 and "邮政编码应为6位数字" in text(bad)
    missing = client.post(reverse("xxgk:guide_edit", args=["A1"]), fields)
    assert missing.status_code == 200 and "这个字段是必填项" in text(missing)
    assert not Guide.objects.exists()
    posted = fields | {"address": "示例区东湖路1号", "phone": "0000-1234567", "postcode": "100000"}
    saved = client.post(reverse("xxgk:guide_edit", args=["A1"]), posted)
    assert saved.status_code == 302
    page = text(client.get(saved["Location"]))
    assert "政府信息公开指南已保存" in page and "示例区东湖路1号（邮政编码：100000）" in page
    assert "本单位尚未保存指南" not in page and "2026年11月25日" in page
    event = AuditEvent.objects.get(code="disclosure.guide.saved")
    assert (event.actor, event.unit_code) == ("a_clerk", "A1")
    assert {"address", "phone", "postcode"} <= set(event.data["changed"])
    # The leader edits too; the 审核员 and the supervisor only read.
    assert client_for(cast.a_leader).get(reverse("xxgk:guide_edit", args=["A1"])).status_code == 200
    for reader in (cast.a_reviewer, cast.supervisor):
        c = client_for(reader)
        assert c.get(reverse("xxgk:guide", args=["A1"])).status_code == 200
        assert c.get(reverse("xxgk:guide_edit", args=["A1"])).status_code == 404
        assert c.post(reverse("xxgk:guide_edit", args=["A1"]), posted).status_code == 404
    assert AuditEvent.objects.filter(code="disclosure.guide.saved").count() == 1


@pytest.mark.parametrize(
    ("field", "written"),
    [
        ("address", "示例区东湖路1号（联系人王某，身份证号11010519491231002X）"),
        ("how_to_apply", "可向经办人王某（证件号 110105 1949 1231 002X）咨询"),
    ],
)
def test_the_guide_never_carries_an_id_number(cast: Any, field: str, written: str) -> None:
    """The guide is published (DESIGN invariant 8), with the same guard as a report's texts."""
    fields = guide.defaults(cast.street_a) | {
        "address": "示例区东湖路1号",
        "phone": "0571-88889999",
    }
    with pytest.raises(ActionError) as refused:
        guide.save_guide(unit=cast.street_a, by=cast.a_clerk, **(fields | {field: written}))
    assert refused.value.field == field
    assert "含有身份证号码（110***********002X），公开发布的指南不得载有个人身份信息" in (
        refused.value.message
    )
    assert not Guide.objects.exists()
    assert not AuditEvent.objects.filter(code="disclosure.guide.saved").exists()
    guide.save_guide(unit=cast.street_a, by=cast.a_clerk, **fields)  # phone numbers pass
    assert Guide.objects.get().phone == "0571-88889999"


def test_the_guide_downloads_as_docx(cast: Any) -> None:
    guide.save_guide(
        unit=cast.street_a,
        by=cast.a_leader,
        **(guide.defaults(cast.street_a) | {"address": "示例区东湖路1号", "phone": "0000-1234567"}),
    )
    got = client_for(cast.supervisor).get(reverse("xxgk:guide_docx", args=["A1"]))
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert "attachment" in got["Content-Disposition"]
    document = docx.Document(io.BytesIO(got.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "东湖街道政府信息公开指南"
    for heading in (
        "一、政府信息公开工作机构",
        "二、主动公开",
        "三、依申请公开",
        "四、收费",
        "五、监督和救济",
    ):
        assert heading in paragraphs
    assert "办公地址：示例区东湖路1号" in paragraphs
    assert any("六十日" in p and "六个月" in p for p in paragraphs)
    assert "2026年11月25日" in paragraphs


def test_the_table_2_input_page_says_what_the_register_fills_in(cast: Any) -> None:
    page = text(
        client_for(cast.a_clerk).get(
            reverse("web:report_input", args=["xxgk", "A1", 2026, "table2"])
        )
    )
    assert "取自主动公开政府信息台账" in page and "现行有效件数始终以此处填报为准" in page


def test_the_catalogue_lists_the_published_entries(cast: Any, a_items: list[ProactiveItem]) -> None:
    client = client_for(cast.a_clerk)
    page = text(client.get(reverse("xxgk:catalogue", args=["A1"])))
    assert f"{A_TITLE}（已公开）" in page and f"{A_TITLE}（待公开）" not in page
    assert "2026年部门预算" in page and "乙街道的信息" not in page
    assert "共 1 条" in page
    none = text(client.get(reverse("xxgk:catalogue", args=["A1"]), {"category": "art20_02"}))
    assert "共 0 条" in none
    assert "共 0 条" in text(client.get(reverse("xxgk:catalogue", args=["A1"]), {"year": "99999"}))
    sheet = client.get(reverse("xxgk:catalogue_xlsx", args=["A1"]))
    rows = list(
        openpyxl.load_workbook(io.BytesIO(sheet.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert rows[0][:6] == ("索引号", "名称", "文号", "类别", "内容概述", "生成日期")
    assert [r[1] for r in rows[1:]] == [f"{A_TITLE}（已公开）"]


def test_registering_and_publishing_through_the_forms(cast: Any) -> None:
    client = client_for(cast.a_clerk)
    new = reverse("web:new", args=[SLUG])
    bad = client.post(
        new,
        {
            "unit": "A1",
            "title": "x",
            "category": "art20_02",
            "change_kind": "made",
            "made_on": "2026-11-02",
            "table2_kind": "penalty",
        },
    )
    assert bad.status_code == 200 and "不计入年报表二" in text(bad)
    assert not ProactiveItem.objects.exists()
    got = client.post(
        new,
        {
            "unit": "A1",
            "title": "关于印发《网格化管理办法》的通知",
            "category": "art20_01",
            "change_kind": "made",
            "made_on": "2026-11-02",
            "table2_kind": "normative_documents",
            "doc_action": "issued",
            "doc_number": "东街发〔2026〕5号",
        },
    )
    assert got.status_code == 302, text(got)
    item = ProactiveItem.objects.get()
    assert item.publish_due_on == D(2026, 11, 30)
    move = reverse("web:move", args=[SLUG, item.pk, "publish"])
    assert "公开途径" in text(client.get(move))
    published = client.post(move, {"on": "2026-11-24", "channel": "website", "location": "专栏"})
    assert published.status_code == 302
    detail = text(client.get(published["Location"]))
    assert (
        "已完成「登记公开」" in detail
        and "按期公开" in detail
        and "是，公开期限 2026-11-30" in detail
    )
    assert "政府网站：专栏" in detail


def test_the_guide_and_catalogue_on_the_command_line(
    cast: Any, a_items: list[ProactiveItem], tmp_path: Path
) -> None:
    out = io.StringIO()
    call_command("xxgk_guide", "--unit", "A1", stdout=out)
    data = json.loads(out.getvalue())
    assert data["saved"] is False and data["missing"] == ["办公地址", "联系电话"]
    call_command(
        "xxgk_guide",
        "--unit",
        "A1",
        "--set",
        "address=示例区东湖路1号",
        "--set",
        "phone=0000-1234567",
        stdout=io.StringIO(),
    )
    saved = Guide.objects.get(unit=cast.street_a)
    assert (saved.address, saved.updated_by) == ("示例区东湖路1号", None)
    assert AuditEvent.objects.get(code="disclosure.guide.saved").actor == "系统"
    target = tmp_path / "guide.docx"
    call_command(
        "xxgk_guide", "--unit", "A1", "--format", "docx", "-o", str(target), stdout=io.StringIO()
    )
    assert target.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match="字段=内容"):
        call_command("xxgk_guide", "--unit", "A1", "--set", "nonsense", stdout=io.StringIO())
    with pytest.raises(CommandError, match="邮政编码"):
        call_command("xxgk_guide", "--unit", "A1", "--set", "postcode=abc", stdout=io.StringIO())
    out = io.StringIO()
    call_command("xxgk_catalogue", "--unit", "A1", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["名称"] for line in lines] == [f"{A_TITLE}（已公开）"]
    sheet = tmp_path / "目录.xlsx"
    call_command("xxgk_catalogue", "--unit", "A1", "-o", str(sheet), stdout=io.StringIO())
    assert re.search(r"PK", sheet.read_bytes()[:2].decode())


@pytest.mark.render
def test_the_guide_renders_through_libreoffice(cast: Any, tmp_path: Path) -> None:
    """The .docx as units open it (LibreOffice → PDF): the headings and the 落款 are there."""
    import shutil
    import subprocess

    from pypdf import PdfReader

    from conftest import require_in_ci
    from fazhi.core.reports.render_docx import render_docx

    soffice = shutil.which("soffice")
    if soffice is None:
        require_in_ci("LibreOffice (soffice) is not installed")
    filled = {"address": "示例区东湖路1号", "phone": "0000-1234567"}
    guide.save_guide(
        unit=cast.street_a, by=cast.a_clerk, **(guide.defaults(cast.street_a) | filled)
    )
    source = tmp_path / "guide.docx"
    source.write_bytes(render_docx(guide.document(cast.street_a)))
    subprocess.run(
        [
            str(soffice),
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = PdfReader(str(tmp_path / "guide.pdf"))
    content = (
        "".join((p.extract_text() or "") for p in pdf.pages).replace(" ", "").replace("\n", "")
    )
    assert 3 <= len(pdf.pages) <= 8
    for heading in ("东湖街道政府信息公开指南", "一、政府信息公开工作机构", "五、监督和救济"):
        assert heading in content
    assert "办公地址：示例区东湖路1号" in content  # the page footer — 5 — follows the 落款
    assert content.rstrip("—0123456789").endswith("东湖街道2026年11月25日")
