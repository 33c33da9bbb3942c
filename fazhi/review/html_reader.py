"""Saved government web pages: keep the report and its tables, drop the site furniture."""

from __future__ import annotations

import re

from fazhi.review.reading import ReadResult, UnreadableReport, table_cell_text, table_row

_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "iframe", "form", "select")
_FURNITURE_ATTR = re.compile(
    r"bread|crumb|position|location|daohang|nav|menu|footer|header|top-?bar|toolbar|share|"
    r"print|wza|barrier|font-?size|zihao|fanti|jianfan|sidebar|related|xgxx|qrcode|erweima",
    re.I,
)
_BLOCK = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "table", "ul", "ol", "blockquote", "pre", "dd", "dt", "center",
}  # fmt: skip
_PUBLISHED = re.compile(
    r"(?:发布(?:时间|日期)|时间|日期)\s*[\]】]?\s*[:：]?\s*(20\d\d[-/.年]\d{1,2}[-/.月]\d{1,2})"
)


def html_to_text(markup: str) -> ReadResult:
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableReport("网页文件无法解析。") from exc
    full_text = root.text_content()
    match = _PUBLISHED.search(full_text)
    published = match.group(1) if match else None
    for element in list(root.iter(*_DROP_TAGS)):
        _drop(element)
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.tag in {"html", "body", "table"}:
            continue
        attrs = " ".join(str(element.get(a, "")) for a in ("class", "id"))
        if attrs.strip() and _FURNITURE_ATTR.search(attrs) and not element.findall(".//table"):
            text = element.text_content()
            if len(text) < 400:
                _drop(element)
    lines: list[str] = []
    _walk(root.body if root.find("body") is not None else root, lines)
    text = "\n".join(line.strip() for line in "".join(lines).split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return ReadResult(text, "html", published)


def _drop(element: object) -> None:
    parent = element.getparent()  # type: ignore[attr-defined]
    if parent is not None:
        tail = element.tail  # type: ignore[attr-defined]
        if tail:
            previous = element.getprevious()  # type: ignore[attr-defined]
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(element)


def _walk(element: object, out: list[str]) -> None:
    tag = element.tag  # type: ignore[attr-defined]
    if not isinstance(tag, str):
        out.append(element.tail or "")  # type: ignore[attr-defined]
        return
    if tag == "table":
        out.append("\n")
        for tr in element.iter("tr"):  # type: ignore[attr-defined]
            cells = [table_cell_text(td.text_content()) for td in tr if td.tag in ("td", "th")]
            if any(cells):
                out.append(table_row(cells) + "\n")
        out.append(element.tail or "")  # type: ignore[attr-defined]
        return
    block = tag in _BLOCK
    if block:
        out.append("\n")
    out.append(re.sub(r"[ \t\r\n]+", " ", element.text or ""))  # type: ignore[attr-defined]
    for child in element:  # type: ignore[attr-defined]
        _walk(child, out)
    if block:
        out.append("\n")
    out.append(re.sub(r"[ \t\r\n]+", " ", element.tail or ""))  # type: ignore[attr-defined]
