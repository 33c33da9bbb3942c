"""Is the report finished? Placeholders left in the text and a missing 落款 (signature) date.

A report assembled from a template often goes out with "XX街道", "（待填写）" or a generator's
"（尚未填写：…）" still in it, and without the date that closes an official document (成文日期,
GB/T 9704). Both are found here, in any report kind.
"""

from __future__ import annotations

import re

from fazhi.review.metadata import Metadata
from fazhi.review.model import Finding
from fazhi.review.text import Text

# Markers of text nobody filled in. Each is specific enough not to match finished prose:
# a run of two or more X/× stands for a missing name or number ("XX街道", "××件").
_PLACEHOLDERS = re.compile(
    r"（尚未填写[：:][^）]{0,60}）"
    r"|[（(【\[]\s*(?:待|请)(?:填写|补充|完善|核实|更新)[^）)】\]]{0,30}[）)】\]]"
    r"|(?:此处|在此)(?:填写|补充|插入)"
    r"|[XＸ×xｘ]{2,}(?=[\u4e00-\u9fff\d年月日件项次人个元%])"
    r"|(?<=[\u4e00-\u9fff])[XＸ×]{2,}(?![A-Za-z0-9-])"
    r"|\{\{[^{}]{0,60}\}\}|\{%[^{}]{0,60}%\}"
    r"|□{2,}|_{4,}"
)


_DRAFT = re.compile(r"^\s*(?:草稿[：:（(]|[（(【]?(?:草稿|征求意见稿|送审稿|讨论稿)[）)】]?\s*$)")


def check_completeness(text: Text, meta: Metadata) -> list[Finding]:
    findings: list[Finding] = []
    for number, line in text.body_lines()[:5]:
        if _DRAFT.match(line):
            findings.append(
                Finding(
                    "draft_mark",
                    "warning",
                    f"第{number}行标注为草稿（“{line.strip()[:40]}”），不是定稿，不宜公开发布。",
                    (text.line_span(number),),
                )
            )
            break
    for number, line in text.body_lines():
        hits = list(_PLACEHOLDERS.finditer(line))
        if not hits:
            continue
        base = text.offset_of(number)
        shown = "、".join(dict.fromkeys(f"“{h.group(0)}”" for h in hits[:3]))
        findings.append(
            Finding(
                "unfilled_placeholder",
                "error",
                f"第{number}行有未填写的占位内容{shown}，发布前应填写完整。",
                tuple(text.span(base + h.start(), base + h.end()) for h in hits[:3]),
            )
        )
    if meta.signed is None:
        published = meta.published is not None
        findings.append(
            Finding(
                "missing_signature_date",
                "warning" if published else "error",
                "报告末尾没有落款日期（成文日期，如“2027年1月20日”）"
                + ("；网页上有发布日期，但正式文稿应在落款处写明成文日期。" if published else "。"),
            )
        )
    return findings
