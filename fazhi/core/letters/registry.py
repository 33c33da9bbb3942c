"""What a ledger declares about its letters: a `LetterBook` of `LetterKind`s.

A kind names the events that produce it (a reply, a correction notice …), the fields its
template may use, a function that fills them from the record and the event, and the text of
its default template. The kit numbers, renders, stores and serves the letters; the ledger only
says what they contain.

    BOOK = LetterBook(owner="disclosure", name="政府信息公开", kinds=(...), template_dir=...)
    register_book(BOOK)  # in the ledger's AppConfig.ready()
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The fields every letter has, filled by the kit.
NUMBER = "文号"
ISSUER = "发文机关"
DATE = "日期"


@dataclass(frozen=True)
class Field:
    """A placeholder a template may use, written `{{ 申请人 }}` in the Word file."""

    name: str  # e.g. "申请人"
    help: str  # what it holds, for the field list
    required: bool = False  # statutory content: a unit's own template must use it
    example: str = ""  # shown in the field list; the trial rendering of an upload uses it


@dataclass(frozen=True)
class ProfileField:
    """A value each unit sets once for all its letters of a ledger (e.g. the 复议机关)."""

    name: str  # the placeholder it fills
    help: str
    default: str = ""


Build = Callable[[Any, Any, Mapping[str, str]], Mapping[str, str]]


@dataclass(frozen=True)
class LetterKind:
    code: str  # e.g. "correction_notice"; the default template is <code>.docx
    name: str  # e.g. "补正告知书"
    events: frozenset[str]  # event kinds that produce it
    fields: tuple[Field, ...]
    build: Build  # (record, event, profile values) -> field values
    title: str  # the default template's title
    body: tuple[str, ...]  # the default template's paragraphs, see skeleton.py
    when: Callable[[Any], bool] = lambda event: True  # for kinds sharing an event kind


COMMON = (
    Field(
        NUMBER, "文号，如 东湖街道依申请公开告知〔2026〕第12号（单位设置的前缀＋年度＋序号）", True
    ),
    Field(ISSUER, "落款单位（单位设置，默认为单位名称）", True, "东湖街道办事处"),
    Field(DATE, "成文日期，即该办理环节的日期，如 2026年3月5日", True, "2026年3月5日"),
)


@dataclass(frozen=True)
class LetterBook:
    owner: str  # the ledger's slug; also the owner of the attachments the letters become
    name: str  # e.g. "政府信息公开"
    kinds: tuple[LetterKind, ...]
    template_dir: Path  # where <kind code>.docx, the default templates, live
    profile: tuple[ProfileField, ...] = ()

    def __post_init__(self) -> None:
        codes = [k.code for k in self.kinds]
        if len(set(codes)) != len(codes):
            raise ValueError(f"letter book {self.owner}: two kinds share a code")
        for kind in self.kinds:
            names = [f.name for f in self.fields(kind)]
            if len(set(names)) != len(names):
                raise ValueError(f"letter kind {kind.code}: two fields share a name")

    def kind(self, code: str) -> LetterKind | None:
        return next((k for k in self.kinds if k.code == code), None)

    def kind_for(self, event: Any) -> LetterKind | None:
        """The letter an event produces, if any."""
        return next((k for k in self.kinds if event.kind in k.events and k.when(event)), None)

    def fields(self, kind: LetterKind) -> tuple[Field, ...]:
        profile = tuple(Field(p.name, p.help, False, p.default) for p in self.profile)
        return (*COMMON, *profile, *kind.fields)

    def default_template(self, kind: LetterKind) -> Path:
        return self.template_dir / f"{kind.code}.docx"

    def example_values(self, kind: LetterKind) -> dict[str, str]:
        return {f.name: f.example or f"（{f.name}）" for f in self.fields(kind)}


_BOOKS: dict[str, LetterBook] = {}


def register_book(book: LetterBook) -> LetterBook:
    existing = _BOOKS.get(book.owner)
    if existing is not None and existing is not book:
        raise ValueError(f"letter book {book.owner} registered twice")
    _BOOKS[book.owner] = book
    return book


def unregister_book(owner: str) -> None:
    """For tests that declare a throwaway book."""
    _BOOKS.pop(owner, None)


def books() -> list[LetterBook]:
    return list(_BOOKS.values())


def get_book(owner: str) -> LetterBook | None:
    return _BOOKS.get(owner)
