"""Result types shared by the reviewer's stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Span:
    """A stretch of the normalised text: 1-based lines and 0-based character offsets."""

    line_start: int
    line_end: int
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {
            "line_start": self.line_start,
            "line_end": self.line_end,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    spans: tuple[Span, ...] = ()
    data: tuple[tuple[str, Any], ...] = ()

    @property
    def lines(self) -> tuple[int, ...]:
        return tuple(s.line_start for s in self.spans)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "evidence": [s.to_json() for s in self.spans],
            "data": dict(self.data),
        }


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str
    label: str
    qualifier: str
    span: Span

    def to_json(self) -> dict[str, Any]:
        value: float | int = int(self.value) if self.value.is_integer() else self.value
        return {
            "value": value,
            "unit": self.unit,
            "label": self.label,
            "qualifier": self.qualifier,
            "line": self.span.line_start,
            "start": self.span.start,
            "end": self.span.end,
            "text": self.span.text,
        }


@dataclass(frozen=True)
class Heading:
    level: int
    marker: str
    style: str
    number: int
    title: str
    line: int
    children: tuple[Heading, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "marker": self.marker,
            "style": self.style,
            "number": self.number,
            "title": self.title,
            "line": self.line,
            "children": [c.to_json() for c in self.children],
        }
