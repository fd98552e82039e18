"""``{% load numbers %}``: the one template library for numbers and money, in the active language.

- ``{{ amount|cents }}``: an integer in cents with two decimals: 12345 → "123.45" ("123,45" in
  Spanish); anything but an integer → "".
- ``{{ units|money:currency }}``: an amount in ``currency``, a code/symbol (amount in cents:
  "1,234.56 EUR") or a currency object with ``decimals``/``symbol``/``is_time_bank`` (the ledger's:
  "12.50 R", "1:30 h"); ``None`` → "".
- ``{{ units|money_trim:currency }}``: the same without a zero fraction ("1,000 EUR").
- ``{{ n|number }}``: a whole number or Decimal with the thousands separator ("12,345").

Each calls ``dualpower.formatting``; no other library may define a money or number filter.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from dualpower.formatting import CurrencyLike, format_amount, format_money, format_number

register = template.Library()


@register.filter
def cents(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        return ""
    return format_amount(value, decimals=2)


@register.filter
def money(units: int | Decimal | None, currency: str | CurrencyLike = "") -> str:
    if units is None or isinstance(units, bool):
        return ""
    return format_money(int(units), currency)


@register.filter
def money_trim(units: int | Decimal | None, currency: str | CurrencyLike = "") -> str:
    if units is None or isinstance(units, bool):
        return ""
    return format_money(int(units), currency, trim=True)


@register.filter
def number(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return ""
    return format_number(value)
