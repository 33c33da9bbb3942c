from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString
from syrupy.assertion import SnapshotAssertion

from fazhi.core.reports.document import Cell, Document, Heading, Paragraph, Table
from fazhi.core.reports.render_html import render_html
from fazhi.core.reports.tests.sample import NEW_REQUESTS_LINK, TITLE, sample_document


def parse(html: str) -> ET.Element:
    # The fragment is well-formed XML as well as HTML, which makes structural checks easy.
    return ET.fromstring(html)


def test_user_text_is_escaped() -> None:
    doc = Document(
        title="A & B <i>",
        blocks=[
            Paragraph("<script>alert(1)</script>", key='k"x'),
            Heading("<b>标题</b>"),
            Table(header=[[Cell("<th>")]], rows=[[Cell("<td>", note="<n>")]], caption="<c>"),
        ],
        issuer="<issuer>",
    )
    html = render_html(doc)
    assert isinstance(html, SafeString)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'data-key="k&quot;x"' in html
    root = parse(html)
    tags = {element.tag for element in root.iter()}
    assert tags == {
        "article",
        "h1",
        "h2",
        "p",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
    } | {
        "td",
        "span",
        "div",
    }
    texts = "".join(root.itertext())
    for raw in ("A & B <i>", "<b>标题</b>", "<th>", "<td>", "<n>", "<c>", "<issuer>"):
        assert raw in texts


def test_unsafe_link_is_dropped_but_figure_kept() -> None:
    doc = Document(title="t", blocks=[Table(header=[], rows=[[Cell(3, link="javascript:x()")]])])
    html = render_html(doc)
    assert "javascript" not in html
    assert '<td class="num">3</td>' in html


@pytest.mark.parametrize(
    ("link", "html"),
    [
        (
            "/l/x/?figure=a%3A2026",
            '<p data-key="fees"><a href="/l/x/?figure=a%3A2026">共<b></a></p>',
        ),
        ("javascript:x()", '<p data-key="fees">共<b></p>'),
    ],
)
def test_a_paragraph_may_link_to_its_records(link: str, html: str) -> None:
    doc = Document(title="t", blocks=[Paragraph("共<b>", key="fees", link=link)])
    assert html.replace("<b>", "&lt;b&gt;") in render_html(doc)


def test_structure_of_sample() -> None:
    root = parse(render_html(sample_document()))
    assert root.tag == "article"
    assert root.get("class") == "report"
    assert root.findtext("h1") == TITLE
    assert [h.tag for h in root if h.tag.startswith("h")][:7] == [
        "h1",
        "h2",
        "h3",
        "h3",
        "h4",
        "h5",
        "h2",
    ]
    tables = root.findall("table")
    assert [t.get("data-key") for t in tables] == ["table2", "table3", "table4"]
    assert all(t.get("class") == "report-table" for t in tables)
    assert [len(t.findall("thead/tr")) for t in tables] == [2, 3, 3]
    assert tables[2].findtext("caption") == "行政复议、行政诉讼情况统计表"


def test_spans_follow_html_semantics() -> None:
    table3 = parse(render_html(sample_document())).findall("table")[1]
    first_header_row = table3.findall("thead/tr")[0]
    corner, applicants = first_header_row.findall("th")
    assert (corner.get("rowspan"), corner.get("colspan")) == ("3", "2")
    assert corner.text is not None
    assert corner.text.startswith("（本列数据的勾稽关系为")
    assert (applicants.text, applicants.get("colspan")) == ("申请人情况", "7")
    group = table3.findall("tbody/tr")[2].find("td")
    assert group is not None
    assert (group.text, group.get("rowspan")) == ("三、本年度办理结果", "7")


def test_links_notes_and_numbers() -> None:
    html = render_html(sample_document())
    escaped_link = NEW_REQUESTS_LINK.replace("&", "&amp;")
    assert f'<td class="num"><a href="{escaped_link}">48</a></td>' in html
    assert '<td class="num">3 <span class="badge provisional">暂定</span></td>' in html
    assert '<td class="align-center bold" colspan="4">第二十条第（五）项</td>' in html


def test_paragraph_attributes_and_signature() -> None:
    html = render_html(sample_document())
    assert (
        '<p class="placeholder" data-key="problems" data-editable="true">'
        "（请填写本年度政府信息公开工作存在的主要问题及改进情况。）</p>"
    ) in html
    assert '<p data-key="intro">' in html
    assert (
        '<div class="report-signature"><p class="issuer">示例市示例区人民政府示例街道办事处</p>'
        '<p class="date">2027年1月20日</p></div>'
    ) in html
    assert '<p class="report-note">注：带“暂定”标记的数据' in html


def test_no_signature_without_issuer_or_date() -> None:
    html = render_html(Document(title="t", subtitle="（副）", blocks=[Heading("x", level=0)]))
    assert '<p class="subtitle">（副）</p>' in html
    assert "<h2>x</h2>" in html
    assert "report-signature" not in html
    assert "report-note" not in html


def test_snapshot(snapshot: SnapshotAssertion) -> None:
    assert str(render_html(sample_document())) == snapshot
