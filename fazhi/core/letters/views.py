"""Letter pages: a book's kinds and their fields (for writing a template), a unit's templates
and settings, the letters' downloads and the "生成告知书" button.

Every view resolves the unit or the letter through the tenant door, and a letter's record
through its ledger's own door (`attachments.owners.resolve_record`): another unit's letter
answers exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from fazhi.core.attachments.owners import resolve_record
from fazhi.core.attachments.sniff import DOCX, human_size
from fazhi.core.attachments.views import content_disposition
from fazhi.core.letters import actions
from fazhi.core.letters.models import Letter, LetterTemplate
from fazhi.core.letters.registry import LetterBook, LetterKind, get_book
from fazhi.core.tenancy.access import get_for_user_or_404, get_unit_for_user_or_404, visible_units
from fazhi.core.workflow import ActionError

_MAX_BIGINT = 2**63 - 1


def _book_or_404(owner: str) -> LetterBook:
    book = get_book(owner)
    if book is None:
        raise Http404("未找到该台账")
    return book


def _kind_or_404(book: LetterBook, code: str) -> LetterKind:
    kind = book.kind(code)
    if kind is None:
        raise Http404("未找到该告知书类型")
    return kind


def _docx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX.content_type)
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


class ProfileForm(forms.Form):
    number_prefix = forms.CharField(
        label="文号前缀",
        max_length=actions.PREFIX_MAX,
        required=False,
        help_text="如“东湖街道依申请公开告知”；文号为 前缀〔年度〕第N号，每年从1起按顺序编号",
    )
    issuer = forms.CharField(
        label="落款单位",
        max_length=actions.ISSUER_MAX,
        required=False,
        help_text="告知书落款的单位全称，如“东湖街道办事处”；留空用单位名称",
    )

    def __init__(self, *args: Any, book: LetterBook, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for p in book.profile:
            self.fields[f"v_{p.name}"] = forms.CharField(
                label=p.name,
                max_length=actions.VALUE_MAX,
                required=False,
                help_text=f"{p.help}" + (f"；留空用“{p.default}”" if p.default else ""),
            )


class UploadForm(forms.Form):
    file = forms.FileField(label="本单位模板（.docx）")


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    from fazhi.core.letters.registry import books

    found = books()
    if len(found) == 1:
        return redirect("letters:book", owner=found[0].owner)
    return render(request, "letters/index.html", {"books": found})


@login_required
@require_safe
def book_page(request: HttpRequest, owner: str) -> HttpResponse:
    book = _book_or_404(owner)
    units = list(visible_units(request.user).order_by("path"))
    code = request.GET.get("unit", "")
    unit = get_unit_for_user_or_404(request.user, code) if code else (units[0] if units else None)
    kinds = []
    profile_form = None
    manage = False
    register: list[Letter] = []
    if unit is not None:
        manage = actions.can_manage(request.user, unit)
        current = {
            t.kind: t
            for t in LetterTemplate.objects.visible_to(request.user).filter(
                unit=unit, owner=owner, replaced_at__isnull=True
            )
        }
        kinds = [(k, book.fields(k), current.get(k.code)) for k in book.kinds]
        profile = actions.profile_of(unit, book)
        stored_issuer = "" if profile.issuer == unit.name else profile.issuer
        initial = {"number_prefix": profile.prefix, "issuer": stored_issuer}
        initial.update({f"v_{k}": v for k, v in profile.values.items()})
        profile_form = ProfileForm(initial=initial, book=book)
        register = list(
            Letter.objects.visible_to(request.user)
            .filter(unit=unit, owner=owner)
            .order_by("-year", "-seq")[:100]
        )
    else:
        kinds = [(k, book.fields(k), None) for k in book.kinds]
    names = {k.code: k.name for k in book.kinds}
    context = {
        "book": book,
        "units": units,
        "unit": unit,
        "kinds": kinds,
        "manage": manage,
        "profile_form": profile_form,
        "upload_form": UploadForm(),
        "register": [(letter, names.get(letter.kind, letter.kind)) for letter in register],
        "limit": human_size(_template_limit()),
    }
    return render(request, "letters/book.html", context)


def _template_limit() -> int:
    from django.conf import settings

    return int(settings.FAZHI_LETTER_TEMPLATE_MAX_BYTES)


def _back(book: LetterBook, unit: Any) -> HttpResponse:
    return redirect(f"{reverse('letters:book', args=[book.owner])}?unit={unit.code}")


@login_required
@require_safe
def default_template(request: HttpRequest, owner: str, kind: str) -> HttpResponse:
    book = _book_or_404(owner)
    found = _kind_or_404(book, kind)
    return _docx(book.default_template(found).read_bytes(), f"{found.name}（默认模板）.docx")


@login_required
@require_safe
def unit_template(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_for_user_or_404(LetterTemplate, request.user, pk=pk)
    return _docx(bytes(template.content), template.name)


@login_required
@require_POST
def upload(request: HttpRequest, owner: str, kind: str) -> HttpResponse:
    book = _book_or_404(owner)
    found = _kind_or_404(book, kind)
    unit = get_unit_for_user_or_404(request.user, request.POST.get("unit", ""))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的 .docx 模板文件")
        return _back(book, unit)
    upload_file = form.cleaned_data["file"]
    if upload_file.size > _template_limit():
        messages.error(request, f"模板文件过大，上限为 {human_size(_template_limit())}")
        return _back(book, unit)
    try:
        actions.upload_template(
            unit=unit,
            book=book,
            kind=found,
            by=request.user,
            data=upload_file.read(),
            name=upload_file.name or "",
        )
    except ActionError as exc:
        messages.error(request, f"「{found.name}」模板未采用：{exc.message}")
    else:
        messages.success(request, f"已采用本单位的「{found.name}」模板")
    return _back(book, unit)


@login_required
@require_POST
def revert(request: HttpRequest, owner: str, kind: str) -> HttpResponse:
    book = _book_or_404(owner)
    found = _kind_or_404(book, kind)
    unit = get_unit_for_user_or_404(request.user, request.POST.get("unit", ""))
    try:
        actions.revert_template(unit=unit, book=book, kind=found, by=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"「{found.name}」已恢复为默认模板")
    return _back(book, unit)


@login_required
@require_POST
def profile(request: HttpRequest, owner: str) -> HttpResponse:
    book = _book_or_404(owner)
    unit = get_unit_for_user_or_404(request.user, request.POST.get("unit", ""))
    form = ProfileForm(request.POST, book=book)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return _back(book, unit)
    data = form.cleaned_data
    values = {p.name: data.get(f"v_{p.name}", "") for p in book.profile}
    try:
        actions.save_profile(
            unit=unit,
            book=book,
            by=request.user,
            prefix=data["number_prefix"],
            issuer=data["issuer"],
            values=values,
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已保存告知书设置")
    return _back(book, unit)


def _letter_or_404(request: HttpRequest, pk: int) -> tuple[Letter, Any]:
    letter = get_for_user_or_404(
        Letter.objects.select_related("unit", "attachment"), request.user, pk=pk
    )
    record = resolve_record(letter.owner, request.user, letter.record_id)
    return letter, record


@login_required
@require_safe
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The stored file; if there is none (yet), the same letter rendered now, not stored."""
    letter, _ = _letter_or_404(request, pk)
    if letter.attachment is not None and not letter.attachment.is_removed:
        return redirect("attachments:download", pk=letter.attachment.pk)
    book, kind = _book_or_404(letter.owner), None
    kind = _kind_or_404(book, letter.kind)
    return _docx(actions.letter_file(letter), actions.file_name(kind, letter))


@login_required
@require_POST
def generate(request: HttpRequest, owner: str, record_id: int, event_id: int) -> HttpResponse:
    book = _book_or_404(owner)
    if not 0 < record_id <= _MAX_BIGINT or not 0 < event_id <= _MAX_BIGINT:
        raise Http404("未找到该记录")
    record = resolve_record(owner, request.user, record_id)
    event = record.events.filter(pk=event_id).first()  # type: ignore[attr-defined]
    if event is None:
        raise Http404("未找到该办理环节")
    try:
        letter = actions.generate(book, record, event, by=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已生成 {letter.number}")
    return redirect("web:detail", slug=owner, pk=record_id)
