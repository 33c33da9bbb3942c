"""Passages: the sentences a ledger contributes to the 法治政府建设情况报告.

A ledger registers, in its own `passages.py`, sentences for the five items of the
督察工作规定 (section keys below). A template names indicator codes in braces
(`{hotline.orders}`), plus `{year}` and `{next_year}`; the report fills them with the unit's
figures through `fazhi.core.metrics`, each figure linking to its records. `keeps` is the
indicator whose records decide whether the unit keeps the ledger that year: a unit with
none of them gets nothing from the ledger (not a sentence of zeros). `when` may narrow a
passage further (a 不足 sentence only when a rate falls short).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from fazhi.core.metrics import Figure, get_indicator

# The five items of the 督察工作规定, in the order a report gives them.
SECTIONS: tuple[str, ...] = ("measures", "problems", "leaders", "next", "other")

# `{code}` in a template: an indicator code (dotted, lower case) or year / next_year.
FIELD = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)\}")
YEAR_FIELDS = frozenset({"year", "next_year"})


@dataclass(frozen=True)
class Passage:
    key: str  # unique, e.g. "hotline.measures"
    section: str  # one of SECTIONS
    order: int  # place within the section (ledgers interleave by it)
    template: str  # Chinese sentence with {indicator.code}, {year}, {next_year}
    keeps: str  # indicator code: the unit keeps the ledger that year when it counts any record
    when: Callable[[Mapping[str, Figure]], bool] | None = None

    def codes(self) -> list[str]:
        """The indicator codes the passage needs (its `keeps` first), each once."""
        found = [self.keeps]
        for name in FIELD.findall(self.template):
            if name not in YEAR_FIELDS and name not in found:
                found.append(name)
        return found


_PASSAGES: dict[str, Passage] = {}


def register_passage(
    key: str,
    section: str,
    order: int,
    template: str,
    keeps: str,
    when: Callable[[Mapping[str, Figure]], bool] | None = None,
) -> Passage:
    """Register a passage (idempotent for the same definition; a second, different one with
    the same key is refused). Its codes must be registered indicators already."""
    if section not in SECTIONS:
        raise ValueError(f"passage {key}: unknown section {section!r} (one of {SECTIONS})")
    passage = Passage(key, section, order, template, keeps, when)
    for code in passage.codes():
        get_indicator(code)  # KeyError for a typo, at import time rather than in a report
    existing = _PASSAGES.get(key)
    if existing is not None and (existing.section, existing.order, existing.template) != (
        section,
        order,
        template,
    ):
        raise ValueError(f"passage {key} registered twice")
    _PASSAGES[key] = passage
    return passage


def unregister_passage(key: str) -> None:
    """Remove a passage (tests register their own and clean up)."""
    _PASSAGES.pop(key, None)


def passages(section: str | None = None) -> list[Passage]:
    """The registered passages of `section` (all when None), in report order."""
    found = [p for p in _PASSAGES.values() if section is None or p.section == section]
    return sorted(found, key=lambda p: (SECTIONS.index(p.section), p.order, p.key))


def kept(figure: Figure) -> bool:
    """Whether a `keeps` figure counts any record (a rate: any record in its denominator)."""
    if figure.denominator is not None or figure.numerator_q is not None:
        return bool(figure.denominator)
    return bool(figure.value)


__all__ = [
    "FIELD",
    "SECTIONS",
    "Passage",
    "kept",
    "passages",
    "register_passage",
    "unregister_passage",
]
