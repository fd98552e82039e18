"""``{{ amount|cents }}``: an integer amount in the smallest unit shown with two decimals
(12345 → "123.45"; "123,45" in Spanish), exactly, without floats. Used by the co-op and land
trust pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def cents(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        return ""
    # A Decimal shifted two places is exact; the active language picks both separators.
    return number_format(Decimal(value).scaleb(-2), decimal_pos=2, force_grouping=True)
