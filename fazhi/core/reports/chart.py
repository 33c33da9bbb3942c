"""A report's bar chart, laid out once and drawn twice: as SVG for the web page (links on the
bars, no script, nothing inline that a strict CSP refuses) and as a PNG for the .docx
(Pillow, with a CJK font from the system). Both read the same `layout`, so the picture in the
file and the chart on the page have the same bars, labels and figures.

Fonts: a Chinese label needs a CJK face. `FAZHI_CHART_FONT` names one; otherwise the usual
Debian/Noto, WenQuanYi and Windows paths are tried. With none, `png` returns None and the
.docx shows the chart's figures as a table instead of a picture of empty boxes.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from functools import cache

from .document import Chart

WIDTH = 640  # px of the drawing (the .docx scales it to the text width)
ROW = 30
PAD = 12
FONT_PX = 16
BAR_COLOUR = "#2f6db5"
EMPTY_COLOUR = "#999999"
TEXT_COLOUR = "#222222"
AXIS_COLOUR = "#bbbbbb"

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    anchor: str = "start"  # "start" | "end" | "middle"
    bold: bool = False


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    colour: str
    link: str = ""
    title: str = ""


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    shapes: list[Text | Rect]


def _text_width(text: str) -> float:
    """Approximate width at FONT_PX: a CJK character is a square, Latin and digits half."""
    return sum(FONT_PX if ord(c) > 0x2E7F else FONT_PX * 0.55 for c in text)


def layout(chart: Chart) -> Layout:
    labels = max((_text_width(b.label) for b in chart.bars), default=0)
    label_w = min(max(labels, 4 * FONT_PX), 12 * FONT_PX)
    value_w = max((_text_width(b.shown) for b in chart.bars), default=0) + 8
    x0 = PAD + label_w + 8
    span = WIDTH - x0 - value_w - PAD
    top = max((b.value or 0) for b in chart.bars) if chart.bars else 0
    # The title is the caption above the picture (the page's <figcaption>, the file's 黑体
    # caption), not drawn again inside it.
    shapes: list[Text | Rect] = []
    y = PAD
    shapes.append(Rect(x0 - 1, y - 4, 1, ROW * len(chart.bars) + 4, AXIS_COLOUR))
    for bar in chart.bars:
        label = bar.label
        while _text_width(label) > label_w and len(label) > 1:
            label = label[:-2] + "…"
        baseline = y + ROW / 2 + FONT_PX * 0.35
        shapes.append(Text(x0 - 8, baseline, label, "end"))
        length = 0.0 if not bar.value or top <= 0 else span * bar.value / top
        colour = BAR_COLOUR if bar.value is not None else EMPTY_COLOUR
        shapes.append(Rect(x0, y + 6, max(length, 1.0), ROW - 12, colour, bar.link, bar.label))
        shapes.append(Text(x0 + max(length, 1.0) + 6, baseline, bar.shown))
        y += ROW
    return Layout(WIDTH, int(y + PAD), shapes)


def svg(chart: Chart, *, links: bool = True) -> str:
    """The chart as an <svg> element (escaped text; a bar with a link opens its records)."""
    from django.utils.html import escape

    out = layout(chart)
    parts = [
        f'<svg class="report-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {out.width} {out.height}" width="{out.width}" height="{out.height}" '
        f'aria-label="{escape(chart.title)}" font-size="{FONT_PX}" '
        f'font-family="Noto Sans CJK SC, Microsoft YaHei, SimSun, sans-serif">'
    ]
    for shape in out.shapes:
        if isinstance(shape, Text):
            weight = ' font-weight="bold"' if shape.bold else ""
            parts.append(
                f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" text-anchor="{shape.anchor}" '
                f'fill="{TEXT_COLOUR}"{weight}>{escape(shape.text)}</text>'
            )
            continue
        rect = (
            f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.w:.1f}" '
            f'height="{shape.h:.1f}" fill="{shape.colour}">'
            + (f"<title>{escape(shape.title)}</title>" if shape.title else "")
            + "</rect>"
        )
        safe = shape.link.startswith(("/", "?", "#"))
        if links and shape.link and safe:
            rect = f'<a href="{escape(shape.link)}">{rect}</a>'
        parts.append(rect)
    parts.append("</svg>")
    return "".join(parts)


@cache
def _font_path() -> str | None:
    named = os.environ.get("FAZHI_CHART_FONT", "")
    for path in (named, *FONT_CANDIDATES):
        if path and os.path.exists(path):
            return path
    return None


def png(chart: Chart, *, scale: int = 2) -> bytes | None:
    """The chart as PNG bytes at `scale`× its layout (sharp when Word scales it to 15.6 cm), or
    None when no CJK font is installed (the caller falls back to a table)."""
    from PIL import Image, ImageDraw, ImageFont

    path = _font_path()
    if path is None:
        return None
    out = layout(chart)
    image = Image.new("RGB", (out.width * scale, out.height * scale), "white")
    draw = ImageDraw.Draw(image)
    regular = ImageFont.truetype(path, FONT_PX * scale)
    heavy = path.replace("Regular", "Bold")
    bold = ImageFont.truetype(heavy, FONT_PX * scale) if os.path.exists(heavy) else regular
    for shape in out.shapes:
        if isinstance(shape, Rect):
            x, y = shape.x * scale, shape.y * scale
            draw.rectangle(
                (x, y, x + shape.w * scale - 1, y + shape.h * scale - 1), fill=shape.colour
            )
            continue
        anchor = {"start": "ls", "end": "rs", "middle": "ms"}[shape.anchor]
        draw.text(
            (shape.x * scale, shape.y * scale),
            shape.text,
            fill=TEXT_COLOUR,
            font=bold if shape.bold else regular,
            anchor=anchor,
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
