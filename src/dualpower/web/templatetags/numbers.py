"""``{% load numbers %}``: the one template library for numbers and money, in the active language.

- ``{{ amount|cents }}``: an integer in cents with two decimals: 12345 → "123.45" ("123,45" in
  Spanish); anything but an integer → "".
- ``{{ units|money:currency }}``: an amount in ``currency``, a code/symbol (amount in cents:
  "1,234.56 EUR") or a currency object with ``decimals``/``symbol``/``is_time_bank`` (the ledger's:
  "12.50 R", "1:30 h"); ``None`` → "".
- ``{{ units|money_trim:currency }}``: the same without a zero fraction ("1,000 EUR").
- ``{{ n|number }}``: a whole number or Decimal with the thousands separator ("12,345").
- ``{{ x|decimal:2 }}``: a measure with fixed places ("0.50", Spanish "0,50"); 2 places by default.
- ``{{ share|percent }}``: a fraction as a percentage ("20%", Spanish "20 %"); ``percent:1`` for
  one place.

Dates and times use Django's named formats, one set per language (dualpower/formats):
``{{ x|date:"DATE_FORMAT" }}``, ``{{ x|date:"DATETIME_FORMAT" }}``, ``{{ x|time:"TIME_FORMAT" }}``.

Each calls ``dualpower.formatting``; no other library may define a money or number filter.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from dualpower.formatting import (
    CurrencyLike,
    format_amount,
    format_decimal,
    format_money,
    format_number,
    format_percent,
)

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


def _measure(value: object) -> int | float | Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return value


@register.filter
def decimal(value: object, places: int = 2) -> str:
    measure = _measure(value)
    return "" if measure is None else format_decimal(measure, decimals=int(places))


@register.filter
def percent(value: object, places: int = 0) -> str:
    measure = _measure(value)
    return "" if measure is None else format_percent(measure, decimals=int(places))
