"""Numbers and amounts of money written for people, in the active language.

The one formatter: Python code (selectors, emails, CSV, PDF) calls these functions, and the
template filters in ``dualpower.web.templatetags.numbers`` (``{% load numbers %}``) call them too.
The decimal separator, the thousands separator and the grouping come from Django's formats for
the active language: 123456 cents is "1,234.56" in English and "1.234,56" in Spanish. Amounts are
integers in the smallest unit (cents, or minutes for a time bank) and are shifted exactly, with
``Decimal``: money is never a float.

A base module: it imports only ``django.utils`` and the standard library.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from django.utils import formats


class CurrencyLike(Protocol):
    """What ``format_money`` needs of a currency (the ledger's ``Currency`` is one)."""

    decimals: int
    symbol: str

    @property
    def is_time_bank(self) -> bool: ...


def format_number(value: int | Decimal, *, decimals: int | None = None, grouping: bool = True) -> str:
    """``value`` with the active language's separators: 12345 → "12,345"; ``decimals`` fixes the places.

    ``grouping=False`` leaves out the thousands separator, for text a person will edit in a form
    (what ``clean.clean_amount`` reads back).
    """
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=grouping)


def format_amount(
    units: int, *, decimals: int = 2, currency: str = "", trim: bool = False, grouping: bool = True
) -> str:
    """An integer in the smallest unit as people read it: 123456 → "1,234.56", with ``currency``
    (a code or a symbol) after it: "1,234.56 EUR".

    ``trim`` drops a zero fraction: 100000 → "1,000 EUR". ``grouping=False`` writes "1234.56" for a
    form's initial value. A negative amount keeps its sign.
    """
    value = Decimal(int(units)).scaleb(-decimals) if decimals else Decimal(int(units))
    places = 0 if trim and units % 10**decimals == 0 else decimals
    text = format_number(value, decimals=places, grouping=grouping)
    return f"{text} {currency}".strip()


def format_minutes(minutes: int, *, grouping: bool = True) -> str:
    """A time in minutes as hours and minutes: 90 → "1:30"; -45 → "-0:45"."""
    sign = "-" if minutes < 0 else ""
    hours, mins = divmod(abs(int(minutes)), 60)
    return f"{sign}{format_number(hours, grouping=grouping)}:{mins:02d}"


def format_money(
    units: int | None, currency: str | CurrencyLike = "", *, trim: bool = False, empty: str = ""
) -> str:
    """An amount in ``currency``: a code or symbol (then the amount is in cents) or a currency object
    with ``decimals``, ``symbol`` and ``is_time_bank`` (then "12.50 R", or "1:30 h" for a time bank).

    ``None`` gives ``empty`` ("" by default; "—" where a table needs a mark).
    """
    if units is None:
        return empty
    if isinstance(currency, str):
        return format_amount(units, decimals=2, currency=currency, trim=trim)
    if currency.is_time_bank:
        return f"{format_minutes(units)} h"
    return format_amount(units, decimals=currency.decimals, currency=currency.symbol, trim=trim)
