"""``{{ amount|cents }}``: an integer amount in the smallest unit shown with two decimals
(12345 → "123.45"), exactly, without floats. Used by the co-op and land trust pages."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def cents(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        return ""
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(value), 100)
    return f"{sign}{number_format(whole, force_grouping=True)}.{part:02d}"
