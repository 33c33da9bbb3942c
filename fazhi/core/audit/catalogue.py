"""What the audit trail's codes and object types mean, in Chinese.

Most codes follow from declarations that already exist: a ledger's moves, event labels and
child rows (`fazhi.core.records.ledger`), the task kinds, the reports. The few codes written by
core's own actions are listed here. An app whose actions write codes of their own names them
once, at start-up (its AppConfig.ready):

    register_labels("账号", {"accounts.password.changed": "修改密码"})

A code nobody named is shown as it is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from fazhi.core.attachments.models import audit_object_type
from fazhi.core.records.ledger import Ledger, ledgers
from fazhi.core.records.models import KIT_EVENT_LABELS
from fazhi.core.tasks.registry import kinds

__all__ = [
    "CodeGroup",
    "code_groups",
    "code_label",
    "ledger_of_object",
    "object_label",
    "object_types",
    "record_audit_url",
    "register_labels",
]

CORE_CODES: dict[str, dict[str, str]] = {
    "单位与用户": {
        "tenancy.unit.added": "新增单位",
        "tenancy.unit.renamed": "单位改名",
        "tenancy.unit.moved": "调整上级单位",
        "tenancy.unit.deactivated": "停用单位",
        "tenancy.unit.activated": "启用单位",
        "tenancy.user.created": "新增用户",
        "tenancy.user.renamed": "修改姓名",
        "tenancy.user.moved": "调整所属单位",
        "tenancy.user.deactivated": "停用账号",
        "tenancy.user.activated": "启用账号",
        "tenancy.membership.added": "授予角色",
        "tenancy.membership.removed": "撤销角色",
    },
    "账号与登录": {
        "accounts.password.changed": "修改密码",
        "accounts.password.reset": "重置密码",
        "accounts.lock.locked": "登录被锁定",
        "accounts.lock.lifted": "解除登录锁定",
        "directory.user.created": "目录账号首次登录",
        "directory.user.updated": "目录账号信息同步",
        "directory.membership.added": "目录授予角色",
        "directory.membership.removed": "目录撤销角色",
    },
    "告知书": {
        "letters.letter.issued": "生成告知书",
        "letters.letter.rendered": "重新生成告知书",
        "letters.template.uploaded": "上传告知书模板",
        "letters.template.reverted": "恢复默认模板",
        "letters.profile.changed": "修改告知书设置",
    },
    "备份": {
        "backup.archive.created": "备份",
        "backup.archive.failed": "备份失败",
        "backup.archive.restored": "从备份恢复",
    },
    "附件": {
        "attachments.file.added": "上传附件",
        "attachments.file.removed": "删除附件",
    },
    "工作日历": {
        "calendar.year.loaded": "载入全年工作日历",
        "calendar.day.changed": "修改单日工作日历",
    },
    "报告审查": {"review.batch.completed": "审查报告"},
}
CORE_OBJECTS: dict[str, str] = {
    "unit": "单位",
    "user": "用户",
    "report": "年度报告",
    "calendar_year": "工作日历年度",
    "calendar_day": "工作日历日期",
    "task_run": "后台任务",
    "review_run": "报告审查",
    "import": "导入文件",
}

_registered: dict[str, dict[str, str]] = {}
_registered_objects: dict[str, str] = {}


@dataclass(frozen=True)
class CodeGroup:
    label: str
    codes: tuple[tuple[str, str], ...]  # (code, Chinese label)
    qualified: bool = False  # out of the list, a code reads with its group: "信访事项：受理"


def register_labels(
    group: str, codes: Mapping[str, str], objects: Mapping[str, str] | None = None
) -> None:
    """Name an app's own codes (and object types) for the audit page; idempotent."""
    _registered.setdefault(group, {}).update(codes)
    _registered_objects.update(objects or {})


def _ledger_codes(ledger: Ledger) -> tuple[tuple[str, str], ...]:
    obj = ledger.audit_object
    # perform.register audits "registered" whatever the ledger calls its first step.
    codes = [(f"{obj}.registered", ledger.event_label(ledger.registered_event))]
    codes += [(f"{obj}.{m.event_kind}", ledger.event_label(m.event_kind)) for m in ledger.moves]
    codes += [(f"{obj}.{k}", KIT_EVENT_LABELS[k]) for k in ("fields_corrected", "voided", "undone")]
    for spec in ledger.children:
        codes += [
            (f"{obj}.{spec.code}.added", f"添加{spec.label}"),
            (f"{obj}.{spec.code}.removed", f"删除{spec.label}"),
        ]
    codes += [(f"{obj}.{code}", label) for code, label in ledger.audit_codes.items()]
    codes += [
        (f"{obj}.imported", "Excel 导入登记"),
        (f"{ledger.slug}.import.completed", "Excel 导入完成"),
    ]
    if ledger.options:
        codes.append((f"{ledger.slug}.option.set", "更改台账设置"))
    return tuple(dict(codes).items())


def _report_codes() -> tuple[tuple[str, str], ...]:
    from fazhi.core.web.registry import ledgers as ledger_uis  # the web layer declares reports

    codes = []
    for ui in ledger_uis():
        for report in ui.reports:
            codes += [
                (f"reports.{report.kind}.texts_saved", f"保存报告文字：{report.name}"),
                (f"reports.{report.kind}.input_saved", f"保存报告手工数据：{report.name}"),
            ]
    return tuple(codes)


def code_groups() -> list[CodeGroup]:
    """Every known code, grouped as the page's choice list shows them."""
    groups = [CodeGroup(ledger.name, _ledger_codes(ledger), True) for ledger in ledgers()]
    groups += [CodeGroup(label, tuple(codes.items())) for label, codes in CORE_CODES.items()]
    groups.append(CodeGroup("年度报告", _report_codes()))
    groups.append(
        CodeGroup(
            "后台任务", tuple((f"tasks.{k.code}.started", f"启动：{k.title}") for k in kinds())
        )
    )
    groups += [CodeGroup(label, tuple(codes.items())) for label, codes in _registered.items()]
    return [g for g in groups if g.codes]


def code_label(code: str, groups: list[CodeGroup] | None = None) -> str:
    """The Chinese name of a code ("" when nobody named it)."""
    for group in groups if groups is not None else code_groups():
        for known, label in group.codes:
            if known == code:
                return f"{group.label}：{label}" if group.qualified else label
    return ""


def ledger_of_object(object_type: str) -> Ledger | None:
    """The ledger whose records an object type names: its own events' or its attachments'."""
    for ledger in ledgers():
        if object_type in (ledger.audit_object, audit_object_type(ledger.slug)):
            return ledger
    return None


def object_types() -> list[tuple[str, str]]:
    """(object type, Chinese) for the page's choice list. A ledger's records appear once: the
    type of their own events, which the filter widens to their attachments' events."""
    found = [(ledger.audit_object, ledger.name) for ledger in ledgers()]
    found += list(CORE_OBJECTS.items()) + list(_registered_objects.items())
    return found


def object_label(object_type: str) -> str:
    ledger = ledger_of_object(object_type)
    if ledger is not None:
        return ledger.name
    return CORE_OBJECTS.get(object_type) or _registered_objects.get(object_type, "")


def record_audit_url(ledger: Ledger, pk: int) -> str:
    """The audit page showing one record's full trail (its attachments' events included)."""
    query = urlencode({"object_type": ledger.audit_object, "object_id": pk})
    return f"{reverse('web:audit')}?{query}"
