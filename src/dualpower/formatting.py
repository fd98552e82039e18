"""Numbers, amounts of money and moments written for people, in the active language.

The one formatter: Python code (selectors, emails, CSV, PDF) calls these functions, and the
template filters in ``dualpower.web.templatetags.numbers`` (``{% load numbers %}``) call them too.
The decimal separator, the thousands separator and the grouping come from Django's formats for
the active language: 123456 cents is "1,234.56" in English and "1.234,56" in Spanish. Amounts are
integers in the smallest unit (cents, or minutes for a time bank) and are shifted exactly, with
``Decimal``: money is never a float.

Moments use the named formats of ``dualpower/formats`` (one set per language): ``format_date``
"Sat 12 Dec 2026", ``format_time`` "13:40", ``format_datetime`` "Sat 12 Dec 2026, 13:40" (Spanish
"sáb 12 dic 2026, 13:40"), in the current time zone. Templates write the same with
``{{ x|date:"DATE_FORMAT" }}``, ``{{ x|date:"DATETIME_FORMAT" }}`` and ``{{ x|time:"TIME_FORMAT" }}``.

A base module: it imports only ``django.utils`` and the standard library.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import get_language, pgettext


class CurrencyLike(Protocol):
    """What ``format_money`` needs of a currency (the ledger's ``Currency`` is one)."""

    @property
    def decimals(self) -> int: ...

    @property
    def symbol(self) -> str: ...

    @property
    def is_time_bank(self) -> bool: ...


def format_number(value: int | Decimal, *, decimals: int | None = None, grouping: bool = True) -> str:
    """``value`` with the active language's separators: 12345 → "12,345"; ``decimals`` fixes the places.

    ``grouping=False`` leaves out the thousands separator, for text a person will edit in a form
    (what ``clean.clean_amount`` reads back).
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=grouping)
    return _number(value, decimals, grouping)


def _number(value: int | Decimal, decimals: int | None, grouping: bool) -> str:
    """What Django's ``formats.number_format`` writes for an int or a Decimal (the same rules: the
    fraction cut, not rounded, to ``decimals`` places; groups by the language's ``NUMBER_GROUPING``),
    in a fifth of its time: pages write a hundred numbers each (tests/test_formatting_fast.py
    compares the two)."""
    lang = get_language()
    group = formats.get_format("NUMBER_GROUPING", lang, use_l10n=True)
    if not isinstance(group, int):  # a sequence of group sizes: Django's own code
        return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=grouping)
    grouped = (grouping or settings.USE_THOUSAND_SEPARATOR) and group != 0
    if isinstance(value, int):
        if not grouped and not decimals:
            return str(value)
        text = str(value)
    else:
        if decimals is not None and abs(value) < Decimal("0." + "1".rjust(decimals, "0")):
            value = Decimal(0)
        _sign, digits, exponent = value.as_tuple()
        if not isinstance(exponent, int) or abs(exponent) + len(digits) > 200:
            return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=grouping)
        text = f"{value:f}"
    sign = ""
    if text[0] == "-":
        sign, text = "-", text[1:]
    whole, _dot, fraction = text.partition(".")
    if decimals is not None:
        fraction = fraction[:decimals] + "0" * (decimals - len(fraction[:decimals]))
    if fraction:
        fraction = formats.get_format("DECIMAL_SEPARATOR", lang, use_l10n=True) + fraction
    if grouped and len(whole) > group:
        sep = formats.get_format("THOUSAND_SEPARATOR", lang, use_l10n=True)
        head = len(whole) % group or group
        whole = sep.join([whole[:head], *(whole[i : i + group] for i in range(head, len(whole), group))])
    return sign + whole + fraction


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


def format_decimal(value: int | float | Decimal, *, decimals: int = 2) -> str:
    """A measure with a fixed number of places: 0.5 → "0.50" ("0,50" in Spanish). Floats are
    rounded through their shortest text, so 0.1 + 0.2 gives "0.30"."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return format_number(exact.quantize(Decimal(1).scaleb(-decimals)), decimals=decimals)


def format_percent(fraction: int | float | Decimal, *, decimals: int = 0) -> str:
    """A share as people read it: 0.2 → "20%" (Spanish "20 %"); ``decimals`` places."""
    exact = Decimal(repr(fraction)) if isinstance(fraction, float) else Decimal(fraction)
    number = format_decimal(exact * 100, decimals=decimals)
    # Translators: a percentage; Spanish puts a no-break space before the sign ("20 %").
    return pgettext("percent", "%(number)s%%") % {"number": number}


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def format_date(value: dt.date | None) -> str:
    """A day: "Sat 12 Dec 2026" ("sáb 12 dic 2026"); a datetime gives its local day; None → ""."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return formats.date_format(value, "DATE_FORMAT")


def format_time(value: dt.datetime | dt.time | None) -> str:
    """A time of day on the 24-hour clock: "13:40"; None → ""."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return formats.time_format(value, "TIME_FORMAT")


def format_datetime(value: dt.datetime | None) -> str:
    """A moment, local: "Sat 12 Dec 2026, 13:40" ("sáb 12 dic 2026, 13:40"); None → ""."""
    if value is None:
        return ""
    return formats.date_format(_local(value), "DATETIME_FORMAT")
