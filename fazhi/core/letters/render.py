"""Filling a Word template (docxtpl) and checking a unit's own template before it is kept.

A template is Jinja inside Word XML, and Jinja is a programming language: an uploaded template
could loop a billion times or reach Python internals. So a template may use only what a clerk
needs — `{{ 字段 }}` and `{% if 字段 %}…{% else %}…{% endif %}` (docxtpl's `{%p if 字段 %}` for
whole paragraphs) — over the kind's declared fields, and it is rendered in Jinja's sandbox
besides. The output then grows only linearly with the template and the values.
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import docx
from django.conf import settings
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from fazhi.core.attachments.sniff import DOCX, Refused, human_size, inspect
from fazhi.core.letters.registry import Field, LetterBook, LetterKind
from fazhi.review.sandbox import Budget

__all__ = ["CheckedTemplate", "TemplateRefused", "check_template", "render_letter"]

# python-docx builds an lxml tree of document.xml about ten times its size; the reviewer's
# budget for a report's main part bounds a template's as well.
MAX_DOCUMENT_XML = Budget().max_document_bytes
# A unit's letterhead with a logo is well under a megabyte; the unpacked parts are bounded too.
MAX_UNPACKED = 50 * 1024 * 1024


class TemplateRefused(Exception):
    """A template is not accepted; ``str(exc)`` is the Chinese message."""


@dataclass(frozen=True)
class CheckedTemplate:
    fields: list[str]  # the fields it uses, in the order they first appear
    size: int
    sha256: str


_LOCK = threading.Lock()


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, remembering what it compiled: docxtpl compiles each part of the
    template on every letter, which costs as much as the rest of the rendering."""

    compiled: OrderedDict[str, Any]

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with _LOCK:
            found = self.compiled.get(source)
        if found is None:
            found = super().from_string(source)
            with _LOCK:
                self.compiled[source] = found
                while len(self.compiled) > 256:
                    self.compiled.popitem(last=False)
        return found


def _env() -> SandboxedEnvironment:
    # autoescape: a value is text, never Word XML (a "<" in an applicant's name stays a "<").
    return SandboxedEnvironment(autoescape=True)


_RENDERING = _Sandbox(autoescape=True)
_RENDERING.compiled = OrderedDict()


def render_letter(template: bytes, values: Mapping[str, str]) -> bytes:
    """The filled-in .docx. Line breaks in a value become line breaks in Word."""
    tpl = DocxTemplate(io.BytesIO(template))
    tpl.render(dict(values), jinja_env=_RENDERING, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


# --- checking an upload ----------------------------------------------------------------------

_ALLOWED_NODES = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.If, nodes.Not)
_CONSTRUCTS: list[tuple[type[nodes.Node], str]] = [
    (nodes.For, "循环（for）"),
    (nodes.Macro, "宏（macro）"),
    (nodes.Call, "函数调用"),
    (nodes.Filter, "过滤器（|）"),
    (nodes.Getattr, "属性访问（.）"),
    (nodes.Getitem, "下标访问（[]）"),
    (nodes.Assign, "赋值（set）"),
    (nodes.AssignBlock, "赋值（set）"),
    (nodes.Include, "引用其他模板（include）"),
    (nodes.Import, "导入（import）"),
    (nodes.FromImport, "导入（import）"),
    (nodes.Extends, "继承（extends）"),
    (nodes.Block, "块（block）"),
    (nodes.Const, "常量"),
    (nodes.BinExpr, "运算"),
    (nodes.Compare, "比较"),
    (nodes.Test, "判断（is）"),
]


def _construct_name(node: nodes.Node) -> str:
    for cls, label in _CONSTRUCTS:
        if isinstance(node, cls):
            return label
    return type(node).__name__


def _walk(node: nodes.Node, found: list[str]) -> None:
    """Collect the names used; refuse anything but names, text and if/else over names."""
    if isinstance(node, nodes.Name):
        if node.ctx != "load":
            raise TemplateRefused("模板中不能给字段赋值，只能使用 {{ 字段名 }}")
        if node.name not in found:
            found.append(node.name)
        return
    if isinstance(node, nodes.And | nodes.Or) and isinstance(node.left, nodes.Name | nodes.Not):
        _walk(node.left, found)
        _walk(node.right, found)
        return
    if not isinstance(node, _ALLOWED_NODES):
        raise TemplateRefused(
            "模板中只能使用 {{ 字段名 }} 和 {% if 字段名 %}…{% endif %}，"
            f"不能使用{_construct_name(node)}"
        )
    for child in node.iter_child_nodes():
        _walk(child, found)


def _sources(tpl: DocxTemplate) -> Iterable[str]:
    """Every text docxtpl renders: the body, headers, footers, footnotes, some properties."""
    document = tpl.get_docx()
    yield tpl.patch_xml(tpl.get_xml())
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            yield tpl.patch_xml(tpl.get_part_xml(part))
    for part in document.part.package.parts:
        if part.content_type.endswith("wordprocessingml.footnotes+xml"):
            blob = part.blob
            yield tpl.patch_xml(blob.decode("utf-8") if isinstance(blob, bytes) else blob)
    props = document.core_properties
    for name in ("author", "comments", "identifier", "language", "subject", "title"):
        yield getattr(props, name) or ""


def _names(tpl: DocxTemplate) -> list[str]:
    env = _env()
    found: list[str] = []
    for source in _sources(tpl):
        if "｛｛" in source or "｝｝" in source or "｛%" in source:
            raise TemplateRefused("模板中有全角花括号「｛｛」，占位符须用半角：{{ 字段名 }}")
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as exc:
            raise TemplateRefused(
                f"模板中的占位符写法有误（{exc.message}）；应写作 {{{{ 字段名 }}}}，"
                "条件段落写作 {%p if 字段名 %}…{%p endif %}"
            ) from exc
        _walk(tree, found)
    return found


def _check_package(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        if sum(i.file_size for i in infos) > MAX_UNPACKED:
            raise TemplateRefused(f"模板解压后超过 {human_size(MAX_UNPACKED)}，疑似损坏或恶意文件")
        main = next((i for i in infos if i.filename == "word/document.xml"), None)
        if main is None:
            raise TemplateRefused("模板不是有效的 Word（.docx）文件")
        if main.file_size > MAX_DOCUMENT_XML:
            raise TemplateRefused(f"模板正文部分超过 {human_size(MAX_DOCUMENT_XML)}，未接收")


def check_template(book: LetterBook, kind: LetterKind, data: bytes) -> CheckedTemplate:
    """Accept a unit's template for `kind` or raise TemplateRefused with the reason: a real
    .docx (by content, no macros, within the size budgets), placeholders written the way
    docxtpl reads them, only the kind's fields, every required field present, and a trial
    rendering that opens again in Word's format."""
    limit = settings.FAZHI_LETTER_TEMPLATE_MAX_BYTES
    if len(data) > limit:
        raise TemplateRefused(
            f"模板文件过大（{human_size(len(data))}），上限为 {human_size(limit)}"
        )
    try:
        found = inspect(io.BytesIO(data), limit=limit)
    except Refused as exc:
        raise TemplateRefused(str(exc)) from exc
    if found.type != DOCX:
        raise TemplateRefused(
            f"模板须为 Word 文档（.docx），该文件是{found.type.label}；旧版 .doc 请在 Word 中另存为 .docx"
        )
    _check_package(data)
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        names = _names(tpl)
    except TemplateRefused:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on a malformed package
        raise TemplateRefused("模板文件无法打开，可能已损坏") from exc
    fields: dict[str, Field] = {f.name: f for f in book.fields(kind)}
    unknown = [n for n in names if n not in fields]
    if unknown:
        shown = "、".join(f"{{{{ {n} }}}}" for n in unknown[:5])
        raise TemplateRefused(
            f"模板中的占位符 {shown} 不是「{kind.name}」的字段；可用字段见“告知书模板”页面的字段说明"
        )
    missing = [f.name for f in fields.values() if f.required and f.name not in names]
    if missing:
        shown = "、".join(f"{{{{ {n} }}}}" for n in missing)
        raise TemplateRefused(f"模板缺少「{kind.name}」必须载明的字段：{shown}")
    try:
        docx.Document(io.BytesIO(render_letter(data, book.example_values(kind))))
    except Exception as exc:
        raise TemplateRefused(
            "模板试填写失败，请检查占位符是否完整（如 {% if %} 须有 {% endif %}）"
        ) from exc
    return CheckedTemplate(fields=names, size=found.size, sha256=found.sha256)


def field_names(fields: Iterable[Field]) -> list[str]:
    return [f.name for f in fields]


def values_for(book: LetterBook, kind: LetterKind, given: Mapping[str, Any]) -> dict[str, str]:
    """Every declared field as text (a missing one empty), and nothing undeclared."""
    return {f.name: str(given.get(f.name) or "") for f in book.fields(kind)}
