"""Issuing letters, and a unit's letter settings and templates; each change is audited.

When a letter is made: a ledger's action calls `issue` inside the move's own transaction, so
the number is drawn (under the counter's lock) together with the step — a step rolled back
leaves no gap, a step never gets two numbers (one letter per event, a unique constraint). The
.docx is rendered from the values frozen at issue and stored as the event's attachment; if
that fails (a broken unit template), the move still stands and the timeline offers
"生成告知书", which renders the same letter with the same number. Undoing the step leaves the
letter and its number in the register, shown as 已撤销 (it may have been sent).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from fazhi.core.attachments.actions import add_attachment, clean_name
from fazhi.core.audit.models import record_event
from fazhi.core.letters.models import Letter, LetterProfile, LetterTemplate
from fazhi.core.letters.registry import (
    DATE,
    ISSUER,
    NUMBER,
    LetterBook,
    LetterKind,
    get_book,
)
from fazhi.core.letters.render import TemplateRefused, check_template, render_letter, values_for
from fazhi.core.records.numbering import next_in_sequence
from fazhi.core.reports.document import chinese_date
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError
from fazhi.textclean import TextTooLong, clean_text

log = logging.getLogger(__name__)

PREFIX_MAX = 64
ISSUER_MAX = 100
VALUE_MAX = 500


@dataclass(frozen=True)
class Profile:
    prefix: str
    issuer: str
    values: dict[str, str]  # every profile field of the book, defaults filled in


def profile_of(unit: OrgUnit, book: LetterBook) -> Profile:
    stored = LetterProfile.objects.filter(unit=unit, owner=book.owner).first()
    given = stored.values if stored else {}
    values = {p.name: str(given.get(p.name) or p.default) for p in book.profile}
    return Profile(
        prefix=stored.prefix if stored else "",
        issuer=(stored.issuer if stored else "") or unit.name,
        values=values,
    )


def format_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}〔{year}〕第{seq}号"


def can_manage(user: Any, unit: OrgUnit) -> bool:
    """Templates and letter settings are the unit head's or an administrator's to change."""
    access = access_for(user)
    return access.can(unit.pk, Permission.APPROVE) or access.can(unit.pk, Permission.MANAGE)


def _user(by: Any) -> Any:
    return by if getattr(by, "pk", None) else None


def _audit(code: str, by: Any, unit: OrgUnit, owner: str, object_id: Any, **data: Any) -> None:
    record_event(
        f"letters.{code}",
        by=by,
        unit_code=unit.code,
        object_type=f"{owner}.record" if code.startswith("letter.") else "letters.template",
        object_id=str(object_id),
        data=data,
    )


# --- letters -----------------------------------------------------------------------------------


def issue(
    book: LetterBook, record: Any, event: Any, *, by: Any, store: bool = True
) -> Letter | None:
    """The letter `event` produces, numbered now; None if the event produces none. Call inside
    the step's transaction. A second call for the same event returns the same letter. With
    `store`, its file is rendered and attached too (needs a user)."""
    kind = book.kind_for(event)
    if kind is None:
        return None
    existing = Letter.objects.filter(owner=book.owner, event_id=event.pk).first()
    if existing is not None:
        return existing
    unit = record.unit
    profile = profile_of(unit, book)
    year = event.on.year
    with transaction.atomic():
        seq = next_in_sequence(
            unit.pk,
            f"letters:{book.owner}",
            str(year),
            highest=lambda: _highest(unit, book.owner, year),
        )
        number = format_number(profile.prefix, year, seq)
        given = {
            **profile.values,
            **kind.build(record, event, profile.values),
            NUMBER: number,
            ISSUER: profile.issuer,
            DATE: chinese_date(event.on),
        }
        values = {k: clean_text(str(v)) for k, v in given.items()}
        letter = Letter.objects.create(
            unit=unit,
            owner=book.owner,
            kind=kind.code,
            record_id=record.pk,
            event_id=event.pk,
            year=year,
            seq=seq,
            number=number,
            on=event.on,
            values=values_for(book, kind, values),
            created_by=_user(by),
        )
        _audit(
            "letter.issued", by, unit, book.owner, record.pk, letter=letter.pk, kind=kind.code,
            number=number, event=event.pk,
        )  # fmt: skip
    if store and _user(by) is not None:
        _store_file(book, kind, letter, by)
    return letter


def _highest(unit: OrgUnit, owner: str, year: int) -> int:
    found = Letter.objects.filter(unit=unit, owner=owner, year=year).aggregate(m=Max("seq"))["m"]
    return int(found or 0)


def template_for(unit: OrgUnit, book: LetterBook, kind: LetterKind) -> tuple[bytes, str]:
    """The unit's own template of `kind` if it has one, else the default: (bytes, sha256 or "")."""
    own = LetterTemplate.objects.filter(
        unit=unit, owner=book.owner, kind=kind.code, replaced_at__isnull=True
    ).first()
    if own is not None:
        return bytes(own.content), own.sha256
    return Path(book.default_template(kind)).read_bytes(), ""


def letter_file(letter: Letter) -> bytes:
    """The letter's .docx rendered now from its frozen values (the stored file is the record)."""
    book, kind = _book_and_kind(letter)
    template, _ = template_for(letter.unit, book, kind)
    return render_letter(template, values_for(book, kind, letter.values))


def file_name(kind: LetterKind, letter: Letter) -> str:
    return clean_name(f"{kind.name}{letter.number}.docx")


def _book_and_kind(letter: Letter) -> tuple[LetterBook, LetterKind]:
    book = get_book(letter.owner)
    kind = book.kind(letter.kind) if book else None
    if book is None or kind is None:
        raise ActionError("该告知书类型已不存在")
    return book, kind


def _store_file(book: LetterBook, kind: LetterKind, letter: Letter, by: Any) -> None:
    """Render and attach; a failure is recorded on the letter, never undoes the step."""
    try:
        with transaction.atomic():
            template, sha = template_for(letter.unit, book, kind)
            data = render_letter(template, values_for(book, kind, letter.values))
            attachment = add_attachment(
                unit=letter.unit,
                owner=book.owner,
                record_id=letter.record_id,
                event_id=letter.event_id,
                upload=data,
                name=file_name(kind, letter),
                note=f"{kind.name}（系统生成）",
                by=by,
            )
            letter.attachment = attachment
            letter.template_sha256 = sha
            letter.render_error = ""
            letter.save(update_fields=["attachment", "template_sha256", "render_error"])
    except ActionError as exc:
        _failed(letter, exc.message)
    except Exception as exc:  # docxtpl/jinja on a template that passed the checks but fails here
        log.exception("letter %s could not be rendered", letter.pk)
        _failed(letter, f"生成失败（{type(exc).__name__}），请检查本单位的模板")


def _failed(letter: Letter, message: str) -> None:
    letter.render_error = message[:500]
    Letter.objects.filter(pk=letter.pk).update(render_error=letter.render_error)


def generate(book: LetterBook, record: Any, event: Any, *, by: Any) -> Letter:
    """The "生成告知书" button: issue the event's letter if it has none yet, and store its file
    if it has none. A second click finds both and changes nothing."""
    if not access_for(by).can(record.unit.pk, Permission.HANDLE):
        raise ActionError("您没有办理该记录的权限，不能生成告知书")
    if book.kind_for(event) is None:
        raise ActionError("该办理环节不生成告知书")
    if event.undone_at is not None:
        raise ActionError("该办理环节已撤销，不再生成告知书")
    try:
        with transaction.atomic():
            letter = issue(book, record, event, by=by, store=False)
    except IntegrityError:  # a parallel click issued it first
        letter = None
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(owner=book.owner, event_id=event.pk)
        if letter.attachment_id is None or letter.attachment.is_removed:  # type: ignore[union-attr]
            _, kind = _book_and_kind(letter)
            _store_file(book, kind, letter, by)
            letter.refresh_from_db()
            if letter.attachment_id is None:
                raise ActionError(letter.render_error or "告知书生成失败")
            _audit("letter.rendered", by, letter.unit, book.owner, record.pk, letter=letter.pk)
    return letter


# --- settings and templates --------------------------------------------------------------------


def _check_manage(user: Any, unit: OrgUnit) -> None:
    if not can_manage(user, unit):
        raise ActionError("只有本单位负责人或管理员可以修改告知书模板和设置")


def _text(value: str, limit: int, label: str, field: str) -> str:
    try:
        return clean_text(value, max_length=limit, multiline=False, label=label)
    except TextTooLong as exc:
        raise ActionError(str(exc), field=field) from exc


def save_profile(
    *, unit: OrgUnit, book: LetterBook, by: Any, prefix: str, issuer: str, values: dict[str, str]
) -> LetterProfile:
    _check_manage(by, unit)
    prefix = _text(prefix, PREFIX_MAX, "文号前缀", "prefix")
    if any(ch in prefix for ch in "〔〕[]"):
        raise ActionError("文号前缀不含年度和括号，系统自动加上“〔年度〕第N号”", field="prefix")
    issuer = _text(issuer, ISSUER_MAX, "落款单位", "issuer")
    known = {p.name for p in book.profile}
    cleaned = {
        name: _text(str(value), VALUE_MAX, name, name)
        for name, value in values.items()
        if name in known
    }
    with transaction.atomic():
        profile, _ = LetterProfile.objects.select_for_update().get_or_create(
            unit=unit, owner=book.owner
        )
        before = {"prefix": profile.prefix, "issuer": profile.issuer, **profile.values}
        profile.prefix, profile.issuer, profile.values = prefix, issuer, cleaned
        profile.updated_by = _user(by)
        profile.save()
        after = {"prefix": prefix, "issuer": issuer, **cleaned}
        changed = {k: [before.get(k, ""), v] for k, v in after.items() if before.get(k, "") != v}
        _audit("profile.changed", by, unit, book.owner, profile.pk, changes=changed)
    return profile


def upload_template(
    *, unit: OrgUnit, book: LetterBook, kind: LetterKind, by: Any, data: bytes, name: str
) -> LetterTemplate:
    """A unit's own template replaces the default (or its previous one) for this unit only."""
    _check_manage(by, unit)
    try:
        checked = check_template(book, kind, data)
    except TemplateRefused as exc:
        raise ActionError(str(exc), field="file") from exc
    with transaction.atomic():
        now = timezone.now()
        current = LetterTemplate.objects.select_for_update().filter(
            unit=unit, owner=book.owner, kind=kind.code, replaced_at__isnull=True
        )
        current.update(replaced_at=now, replaced_by=by)
        template = LetterTemplate.objects.create(
            unit=unit,
            owner=book.owner,
            kind=kind.code,
            name=clean_name(name or f"{kind.name}.docx"),
            content=data,
            size=checked.size,
            sha256=checked.sha256,
            fields=checked.fields,
            uploaded_by=by,
        )
        _audit(
            "template.uploaded", by, unit, book.owner, template.pk, ledger=book.owner,
            kind=kind.code, name=template.name, sha256=checked.sha256,
        )  # fmt: skip
    return template


def revert_template(*, unit: OrgUnit, book: LetterBook, kind: LetterKind, by: Any) -> None:
    """Back to the default template; the unit's file stays in the history."""
    _check_manage(by, unit)
    with transaction.atomic():
        current = (
            LetterTemplate.objects.select_for_update()
            .filter(unit=unit, owner=book.owner, kind=kind.code, replaced_at__isnull=True)
            .first()
        )
        if current is None:
            raise ActionError("本单位使用的已是默认模板")
        current.replaced_at = timezone.now()
        current.replaced_by = by
        current.save(update_fields=["replaced_at", "replaced_by"])
        _audit(
            "template.reverted", by, unit, book.owner, current.pk, ledger=book.owner,
            kind=kind.code,
        )  # fmt: skip
