"""What a reply must say besides its outcome (条例 Arts. 36–37): the reasons and the legal basis
of every reply that does not give the information, what is withheld from a partial one, the
competent body for an Art. 36(五) reply, and the remedies of every reply.

The basis offered per outcome is a default the clerk may edit (the reply form shows it; left
empty, the default is used). The article texts were checked against the 条例 (国务院令第711号)
and 《中华人民共和国保守国家秘密法》; 36(五) replies are counted under 无法提供 1 (本机关不掌握),
as the 2021 format's row covers "不掌握" whether the information does not exist (36(四)) or is
another body's to disclose (36(五)).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.conf import settings

from fazhi.ledgers.disclosure.models import Outcome

OC = Outcome
# What a reply's texts may hold, in the form, the action and the import alike.
TEXT_LIMITS = {
    "reasons": 2000,
    "basis": 1000,
    "withheld": 2000,
    "competent_body": 200,
    "competent_contact": 200,
}
REGULATION = "《中华人民共和国政府信息公开条例》"


def _r(articles: str) -> str:
    return f"{REGULATION}{articles}"


# The outcome groups of table 三, each with its own reply letter.
GROUPS: dict[str, tuple[str, frozenset[str]]] = {
    "granted": ("予以公开", frozenset({OC.GRANTED})),
    "partial": ("部分公开", frozenset({OC.PARTIAL})),
    "withheld": ("不予公开", frozenset(o for o in OC.values if o.startswith("withheld_"))),
    "unable": ("无法提供", frozenset(o for o in OC.values if o.startswith("unable_"))),
    "not_processed": (
        "不予处理",
        frozenset(o for o in OC.values if o.startswith("not_processed_")),
    ),
    "other": ("其他处理", frozenset({OC.OTHER_1, OC.OTHER_2, OC.OTHER_3})),
}


def grouped_choices(exclude: Collection[str] = ()) -> list[Any]:
    """The outcomes as the 2021 format groups them (予以公开 and 部分公开 stand alone; 不予公开,
    无法提供, 不予处理 and 其他处理 each head their numbered items), for a <select>."""
    choices: list[Any] = []
    for label, members in GROUPS.values():
        items = [
            (c, f"{n}.{lbl}")
            for n, (c, lbl) in enumerate(((c, lbl) for c, lbl in OC.choices if c in members), 1)
            if c not in exclude
        ]
        if len(members) == 1:
            choices += [(c, label) for c, _ in items]
        elif items:
            choices.append((label, items))
    return choices


def flat_grouped_choices() -> list[tuple[str, str]]:
    """The same, in one level (a list filter): "不予公开 · 1.属于国家秘密"."""
    flat: list[tuple[str, str]] = []
    for choice in grouped_choices():
        if isinstance(choice[1], list):
            flat += [(c, f"{choice[0]} · {label}") for c, label in choice[1]]
        else:
            flat.append(choice)
    return flat


def group_of(outcome: str) -> str:
    return next(code for code, (_, members) in GROUPS.items() if outcome in members)


# Replies that withhold: they must give reasons and the legal basis (Art. 36(三), 37).
NEEDS_REASONS = (
    GROUPS["partial"][1] | GROUPS["withheld"][1] | GROUPS["unable"][1] | GROUPS["not_processed"][1]
)

# Replies that a unit may require a 审核员 to approve before they go out (its REVIEW_WITHHOLDING
# option): those that withhold any of the information asked for (部分公开 withholds part of it,
# on the same grounds: Art. 37).
NEEDS_REVIEW = NEEDS_REASONS

BASIS: dict[str, str] = {
    OC.GRANTED: _r("第三十六条第（一）项、第（二）项"),
    OC.PARTIAL: _r("第三十七条"),
    OC.WITHHELD_1: f"《中华人民共和国保守国家秘密法》；{_r('第十四条、第三十六条第（三）项')}",
    OC.WITHHELD_2: _r("第十四条、第三十六条第（三）项"),
    OC.WITHHELD_3: _r("第十四条、第三十六条第（三）项"),
    OC.WITHHELD_4: _r("第十五条、第三十二条、第三十六条第（三）项"),
    OC.WITHHELD_5: _r("第十六条第一款、第三十六条第（三）项"),
    OC.WITHHELD_6: _r("第十六条第二款、第三十六条第（三）项"),
    OC.WITHHELD_7: _r("第十六条第二款、第三十六条第（三）项"),
    OC.WITHHELD_8: _r("第三十六条第（七）项"),
    OC.UNABLE_1: _r("第三十六条第（四）项"),
    OC.UNABLE_2: _r("第三十八条"),
    OC.UNABLE_3: _r("第三十条"),
    OC.NOT_PROCESSED_1: _r("第三十九条第一款"),
    OC.NOT_PROCESSED_2: _r("第三十六条第（六）项"),
    OC.NOT_PROCESSED_3: _r("第三十九条第二款"),
    OC.NOT_PROCESSED_4: _r("第三十五条"),
    # No article names this case; the clerk writes the basis relied on.
    OC.NOT_PROCESSED_5: "",
    OC.OTHER_1: _r("第三十条"),
    OC.OTHER_2: "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    OC.OTHER_3: "",
}
# Art. 36(五): not this office's to disclose — it says so and names the competent body if known.
NOT_OURS_BASIS = _r("第三十六条第（五）项")

# What the clerk is asked for, per group: the reasons field's label in messages.
REASONS_MISSING = {
    "partial": "请写明不予公开部分的理由（条例第三十七条）",
    "withheld": "请写明不予公开的理由（条例第三十六条第（三）项）",
    "unable": "请写明无法提供的理由",
    "not_processed": "请写明不予处理的理由",
}


def default_basis(outcome: str, *, not_ours: bool = False) -> str:
    if outcome == OC.UNABLE_1 and not_ours:
        return NOT_OURS_BASIS
    return BASIS.get(outcome, "")


REVIEW_BODY = "复议机关"
COURT = "人民法院"
DEFAULT_REVIEW_BODY = "行政复议机关"
DEFAULT_COURT = "人民法院"


def remedies(review_body: str = "", court: str = "") -> str:
    """The remedies sentence every reply carries (setting FAZHI_XXGK_REMEDIES)."""
    return str(settings.FAZHI_XXGK_REMEDIES).format_map(
        {REVIEW_BODY: review_body or DEFAULT_REVIEW_BODY, COURT: court or DEFAULT_COURT}
    )
