"""Form pieces every ledger uses: date inputs, Chinese label colons, the step fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from fazhi.textclean import strip_controls

DATE_HELP = "格式：2026-03-01"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def date_field(label: str, *, required: bool = True, help_text: str = DATE_HELP) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        error_messages={"invalid": "请输入有效日期，如 2026-03-01"},
    )


class FazhiForm(forms.Form):
    """Full-width colon after labels, as Chinese forms write them; every text value passes the
    input-cleaning layer (control characters removed) before an action sees it."""

    # What a move form shows above its fields, e.g. the records a figure was counted from
    # (markup built with format_html from escaped values).
    preamble: str = ""
    # Why the form cannot be filled in at all and what to do first (markup, like preamble): the
    # page then shows this instead of the fields, e.g. no committee to take a case over.
    unavailable: str = ""

    def __init__(self, *args: Any, record: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "：")
        if args and hasattr(args[0], "lists"):
            # NUL is removed like every control character, before Django's own check refuses
            # it (forms outside the ledgers show that refusal, worded in fazhi/locale).
            data = args[0].copy()
            for key, values in list(data.lists()):
                data.setlist(
                    key, [v.replace("\x00", "") if isinstance(v, str) else v for v in values]
                )
            args = (data, *args[1:])
        super().__init__(*args, **kwargs)
        self.record = record  # the record a move form is for, when it needs to know

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in data.items():
            if isinstance(value, str):
                multiline = isinstance(self.fields[name].widget, forms.Textarea)
                data[name] = strip_controls(value, multiline=multiline).strip()
        return data


def note_form(date_label: str, date_help: str = DATE_HELP) -> type[forms.Form]:
    """A move that needs only its date (labelled for what happened) and a remark."""
    return type(
        "NoteForm",
        (FazhiForm,),
        {
            "on": date_field(date_label, help_text=date_help),
            "note": forms.CharField(
                label="说明",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=2000,
            ),
        },
    )


def backdate_field() -> forms.CharField:
    days = settings.FAZHI_BACKDATE_DAYS
    return forms.CharField(
        label="补录原因",
        required=False,
        max_length=500,
        help_text=f"所填日期早于今天{days}日以上（补录）时必填，将显示在办理过程中"
        if days is not None
        else "补录历史环节时可填写",
    )


class ReasonForm(FazhiForm):
    reason = forms.CharField(label="原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=500)
