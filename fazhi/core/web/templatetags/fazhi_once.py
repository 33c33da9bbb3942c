from __future__ import annotations

from django import template
from django.utils.html import format_html

from fazhi.core.web import once

register = template.Library()


@register.simple_tag
def once_token() -> str:
    """A hidden one-time token: the form it is in is done once (see fazhi.core.web.once)."""
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, once.new_token())
