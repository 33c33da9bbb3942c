"""The 法治政府建设情况报告 (kind "fazhi") on the web: a core report, not a ledger's.

Its figures link to the ledger list of their records (`figure_url`), found by the
indicator's model among the registered ledgers; a district's report sums its streets.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from fazhi.core.metrics import get_indicator
from fazhi.core.metrics.passages import kept, passages
from fazhi.core.reports import fazhi
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.web.figures import figure_url
from fazhi.core.web.registry import ReportUI, ledgers, register_report


def _slug_of(code: str) -> str:
    model = get_indicator(code).model
    return next((ui.slug for ui in ledgers() if ui.model is model), "")


def _link(unit: OrgUnit, year: int) -> Callable[..., str]:
    """A figure's records: of the unit and those below it, as the report sums them (a
    district's figures, a street's row); `own` for a unit's own records alone (本级, and the
    第一责任人 item, which is about the unit's own leaders)."""

    def link(code: str, unit_code: str, own: bool = False) -> str:
        try:
            slug = _slug_of(code)
        except KeyError:
            return ""
        if not slug:
            return ""
        where = SimpleNamespace(code=unit_code)
        return figure_url(slug, code, where, year, scope="unit" if own else "under")

    return link


def build(unit: OrgUnit, year: int) -> fazhi.FazhiReport:
    """A unit with units below it reports for its whole subtree (the district's own report)."""
    return fazhi.build(unit, year, subtree=fazhi.has_units_below(unit))


def tokens(unit: OrgUnit, year: int) -> list[tuple[str, str, str]]:
    """The unit-year's figures the editor offers: those of every ledger the unit keeps."""
    report = build(unit, year)
    codes: list[str] = []
    for p in passages():
        if kept(report.figures[p.keeps]):
            codes += [c for c in p.codes() if c not in codes]
    return [(c, get_indicator(c).name, report.figures[c].shown) for c in codes]


def previous_texts(unit: OrgUnit, year: int) -> dict[str, Any]:
    return fazhi.last_year_texts(unit, year)


def submit_warnings(unit: OrgUnit, year: int) -> list[str]:
    """Before the report goes to the supervisor: figures changed under a sentence written
    around them, and sentences carried over word for word from last year's report."""
    return build(unit, year).warnings


FAZHI_REPORT = ReportUI(
    kind=fazhi.KIND,
    name="法治政府建设情况报告",
    build=build,
    link=_link,
    sections=fazhi.SECTIONS,
    hint="各台账段落中的数字可点击，查看其对应的记录；区级报告汇总所辖各单位的数据。",
    edit_hint=(
        "各台账的数据段落由系统按本单位本年度的记录生成，无需填写。文字中可插入“实时数据”："
        "显示时为当前数值，记录变化后自动更新，并提示写作时的数值已变化。"
    ),
    tokens=tokens,
    previous_texts=previous_texts,
    submit_warnings=submit_warnings,
)


def register() -> None:
    register_report(FAZHI_REPORT)
