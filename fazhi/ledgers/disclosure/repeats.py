"""Possible repeated applications (条例 Art. 36(6): "申请人重复申请公开相同政府信息").

When an application is registered, the same applicant's earlier applications to the same
office whose content is alike are shown beside it, each with the reply it got, so that the
clerk who replies 重复申请 does so knowingly (and one who does not, too). fazhi only points:
whether it is the same information is the clerk's judgement.

"The same applicant" is matched as for the 按件 count (fees.same_applicant_q); "alike" is the
bigram similarity of core.records.similar at FAZHI_XXGK_REPEAT_SIMILARITY_PERCENT.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db.models import Q

from fazhi.core.records.similar import Match, most_similar
from fazhi.ledgers.disclosure.fees import same_applicant_q
from fazhi.ledgers.disclosure.models import Application

# Enough to judge by; an applicant with more earlier applications than this is shown the most
# recent ones compared.
CANDIDATES = 200


def earlier_similar(app: Application, limit: int = 5) -> Sequence[Match[Application]]:
    """The applicant's earlier applications to this unit alike to `app`, most alike first. The
    caller has passed the door to `app`; these are records of the same unit."""
    if not app.content.strip():
        return []
    earlier = (
        Application.objects.filter(unit_id=app.unit_id)
        .filter(same_applicant_q(app))
        .filter(Q(received_on__lt=app.received_on) | Q(received_on=app.received_on, pk__lt=app.pk))
        .order_by("-received_on", "-pk")[:CANDIDATES]
    )
    threshold = settings.FAZHI_XXGK_REPEAT_SIMILARITY_PERCENT / 100
    return most_similar(
        app.content, list(earlier), lambda a: a.content, threshold=threshold, limit=limit
    )


def describe(match: Match[Application]) -> str:
    """One line: number, received, how alike, and the reply it got (or that it is pending)."""
    a = match.item
    if a.outcome:
        got = f"{a.replied_on:%Y-%m-%d} 答复：{a.get_outcome_display()}"
    else:
        got = f"尚未办结（{a.get_status_display()}）"
    return f"{a.number}（{a.received_on:%Y-%m-%d} 收到，内容相近 {match.percent}%）— {got}"
