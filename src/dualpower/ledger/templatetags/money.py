"""``{{ amount|money:currency }}``: an integer in the smallest unit as people read it."""

from __future__ import annotations

from django import template

from dualpower.ledger.models import Currency

register = template.Library()


@register.filter
def money(units: int | None, currency: Currency) -> str:
    if units is None:
        return ""
    return currency.format(int(units))
