"""A unit's own template is checked before it is kept: a real .docx within its budgets, no
macros, placeholders over the kind's fields only, the statutory ones present, nothing but
names and if/else — and it is rendered in Jinja's sandbox besides."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from jinja2.exceptions import SecurityError

from fazhi.core.attachments.tests import samples
from fazhi.core.audit.models import AuditEvent
from fazhi.core.letters import actions as letter_actions
from fazhi.core.letters.models import LetterTemplate
from fazhi.core.letters.render import render_letter
from fazhi.core.letters.skeleton import build_template
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure.letters import BOOK
from fazhi.ledgers.disclosure.tests.lettercase import docx_text

pytestmark = pytest.mark.django_db
KIND = BOOK.kind("reply_withheld")
assert KIND is not None


def with_body(*lines: str, keep: Callable[[str], bool] = lambda line: True) -> bytes:
    assert KIND is not None
    body = tuple(line for line in KIND.body if keep(line)) + lines
    return build_template(BOOK, replace(KIND, body=body))


def repacked(data: bytes, extra: dict[str, bytes], types: str = "") -> bytes:
    """The package with members added (and a content type declared)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename == "[Content_Types].xml" and types:
                member = member.replace(b"</Types>", types.encode() + b"</Types>")
            target.writestr(info.filename, member)
        for name, member in extra.items():
            target.writestr(name, member)
    return out.getvalue()


GOOD = with_body()
MACRO = repacked(
    GOOD,
    {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 600},
    '<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>',
)
BOMB = repacked(GOOD, {"word/media/big.bin": b"\0" * (60 * 1024 * 1024)})

REFUSED: list[tuple[str, Callable[[], bytes], str]] = [
    ("pdf", lambda: samples.PDF, "须为 Word 文档"),
    ("xlsx", samples.xlsx_file, "须为 Word 文档"),
    ("not a file at all", lambda: b"\x00\x01garbage" * 100, "不支持"),
    ("broken zip", lambda: b"PK\x03\x04" + b"\x00" * 300, "损坏"),
    ("macros", lambda: MACRO, "宏"),
    ("zip bomb", lambda: BOMB, "解压后过大"),
    ("unknown field", lambda: with_body("{{ 身份证号码 }}"), "{{ 身份证号码 }} 不是「答复告知书（不予公开）」的字段"),
    ("statutory field missing", lambda: with_body(keep=lambda line: "救济途径" not in line), "缺少「答复告知书（不予公开）」必须载明的字段：{{ 救济途径 }}"),
    ("a loop", lambda: with_body("{% for x in 理由 %}{{ x }}{% endfor %}"), "循环"),
    ("attribute access", lambda: with_body("{{ 理由.__class__ }}"), "属性访问"),
    ("a filter", lambda: with_body("{{ 理由|upper }}"), "过滤器"),
    ("a call", lambda: with_body("{{ 理由() }}"), "函数调用"),
    ("assignment", lambda: with_body("{% set 理由 = 1 %}"), "赋值"),
    ("unclosed", lambda: with_body("{{ 理由 "), "写法有误"),
    ("if without endif", lambda: with_body("{% if 理由 %}x"), "写法有误"),
    ("full-width braces", lambda: with_body("｛｛ 理由 ｝｝"), "全角"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "make", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_a_bad_template_is_refused_with_a_chinese_reason(
    cast: Any, case: str, make: Callable[[], bytes], message: str
) -> None:
    assert KIND is not None
    before = AuditEvent.objects.count()
    with pytest.raises(ActionError) as info:
        letter_actions.upload_template(
            unit=cast.street_a, book=BOOK, kind=KIND, by=cast.a_leader, data=make(), name="x.docx"
        )
    assert message in info.value.message, info.value.message
    assert not LetterTemplate.objects.exists()
    assert AuditEvent.objects.count() == before


def test_an_oversized_template_is_refused(cast: Any, settings: Any) -> None:
    assert KIND is not None
    settings.FAZHI_LETTER_TEMPLATE_MAX_BYTES = 4096
    with pytest.raises(ActionError, match="过大"):
        letter_actions.upload_template(
            unit=cast.street_a, book=BOOK, kind=KIND, by=cast.a_leader, data=GOOD, name="x.docx"
        )


def test_a_good_template_with_conditions_is_kept_and_audited(cast: Any) -> None:
    assert KIND is not None
    data = with_body("{%p if 联系电话 %}", "电话：{{ 联系电话 }}{% if not 联系地址 %}（无地址）{% endif %}", "{%p endif %}")  # fmt: skip
    template = letter_actions.upload_template(
        unit=cast.street_a, book=BOOK, kind=KIND, by=cast.a_leader, data=data, name="我的模板.docx"
    )
    assert template.sha256 and "救济途径" in template.fields and "联系电话" in template.fields
    assert AuditEvent.objects.filter(code="letters.template.uploaded").count() == 1
    with pytest.raises(ActionError, match="负责人或管理员"):
        letter_actions.upload_template(
            unit=cast.street_a, book=BOOK, kind=KIND, by=cast.a_clerk, data=data, name="x.docx"
        )


def test_rendering_runs_in_the_sandbox_and_values_stay_text() -> None:
    # Past the checks (e.g. a template stored before them), Jinja's sandbox still holds.
    with pytest.raises(SecurityError):
        render_letter(with_body("{{ 理由.__class__.__mro__ }}"), {"理由": "x"})
    text = docx_text(render_letter(GOOD, {"理由": "<w:p>注入</w:p>", "申请人": "张&三"}))
    assert "<w:p>注入</w:p>" in text and "张&三" in text


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_template_page_lists_every_kinds_fields_and_takes_an_upload(cast: Any) -> None:
    assert KIND is not None
    url = reverse("letters:book", args=["disclosure"])
    page = _client(cast.a_clerk).get(url).content.decode()
    for kind in BOOK.kinds:
        assert kind.name in page
        for field in BOOK.fields(kind):
            assert f"{{{{ {field.name} }}}}" in page
    assert "上传并采用" not in page  # a clerk may not change templates
    leader = _client(cast.a_leader)
    assert "上传并采用" in leader.get(url).content.decode()
    upload = io.BytesIO(GOOD)
    upload.name = "东湖不予公开.docx"
    posted = leader.post(
        reverse("letters:upload", args=["disclosure", KIND.code]),
        {"unit": "A1", "file": upload},
        follow=True,
    )
    assert "已采用本单位的「答复告知书（不予公开）」模板" in posted.content.decode()
    bad = io.BytesIO(samples.PDF)
    bad.name = "x.docx"
    posted = leader.post(
        reverse("letters:upload", args=["disclosure", KIND.code]),
        {"unit": "A1", "file": bad},
        follow=True,
    )
    assert "模板未采用：模板须为 Word 文档" in posted.content.decode()
    assert LetterTemplate.objects.filter(replaced_at__isnull=True).count() == 1
    default = leader.get(reverse("letters:default", args=["disclosure", KIND.code]))
    assert (
        default.status_code == 200 and default.content == BOOK.default_template(KIND).read_bytes()
    )
