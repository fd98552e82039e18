"""Reading and writing amounts: text people type ↔ integers in the smallest unit.

Pure functions, no Django. Money is never a float: "12.50" in a currency with 2 decimals is 1250,
read with exact Decimal arithmetic; "12.505" has too many decimals and is refused, never rounded.
A time bank counts minutes: "1:30", "1.5" and "90m" are all 90 minutes; "0.01" hours is not a
whole minute and is refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Large enough for any community's economy, small enough that sums stay inside a 64-bit column.
MAX_AMOUNT = 10**15


class AmountError(ValueError):
    """The text is not an amount in this currency; the message says why, in plain words."""


def _decimal(text: str) -> Decimal:
    cleaned = text.strip()
    for space in (" ", "\u00a0", "\u202f", "_"):
        cleaned = cleaned.replace(space, "")
    # A comma is a decimal separator for much of the world ("12,50"); a comma and a point together
    # ("1,250.00") is a thousands separator. "1,000" alone could be either: refused, never guessed.
    if "," in cleaned and "." not in cleaned and re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", cleaned):
        raise AmountError("Write the amount without a thousands separator, for example 1000 or 1.5.")
    cleaned = cleaned.replace(",", "") if "," in cleaned and "." in cleaned else cleaned.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
        raise AmountError("Write the amount as a number, for example 12.50.")
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only valid decimals
        raise AmountError("Write the amount as a number, for example 12.50.") from None


def parse_amount(text: str | int, decimals: int) -> int:
    """``"12.50"`` with 2 decimals → 1250. Refuses too many decimals rather than rounding."""
    if isinstance(text, bool):
        raise AmountError("Write the amount as a number, for example 12.50.")
    value = Decimal(text) if isinstance(text, int) else _decimal(str(text))
    scaled = value.scaleb(decimals)
    if scaled != scaled.to_integral_value():
        if decimals == 0:
            raise AmountError("This currency has no fractions: write a whole number.")
        raise AmountError(f"This currency has at most {decimals} decimal places.")
    result = int(scaled)
    if abs(result) > MAX_AMOUNT:
        raise AmountError("This amount is too large.")
    return result


def format_amount(units: int, decimals: int) -> str:
    """1250 with 2 decimals → ``"12.50"``; negative amounts keep their sign."""
    sign = "-" if units < 0 else ""
    units = abs(units)
    if decimals == 0:
        return f"{sign}{_grouped(units)}"
    whole, frac = divmod(units, 10**decimals)
    return f"{sign}{_grouped(whole)}.{frac:0{decimals}d}"


def _grouped(n: int) -> str:
    # A narrow no-break space between thousands: unambiguous in every locale, unlike "," or ".".
    return f"{n:,}".replace(",", "\u202f")


_HM = re.compile(r"^\s*(\d+)\s*[:h]\s*(\d{1,2})?\s*m?\s*$", re.I)
_MIN = re.compile(r"^\s*(\d+)\s*(m|min|mins|minutes)\s*$", re.I)


def parse_minutes(text: str | int) -> int:
    """Hours as people write them → minutes: ``"1:30"``, ``"1h30"``, ``"1.5"``, ``"90m"`` → 90."""
    if isinstance(text, bool):
        raise AmountError("Write the time as hours, for example 1.5 or 1:30.")
    if isinstance(text, int):
        return parse_amount(text, 0) * 60
    if m := _MIN.match(text):
        return parse_amount(m.group(1), 0)
    if m := _HM.match(text):
        minutes = int(m.group(2) or 0)
        if minutes >= 60:
            raise AmountError("Minutes go up to 59: write 1:30 for an hour and a half.")
        return parse_amount(m.group(1), 0) * 60 + minutes
    try:
        hours = _decimal(text)
    except AmountError:
        raise AmountError("Write the time as hours, for example 1.5 or 1:30.") from None
    minutes_exact = hours * 60
    if minutes_exact != minutes_exact.to_integral_value():
        raise AmountError("Time is counted in whole minutes: 0.25 hours is 15 minutes.")
    result = int(minutes_exact)
    if abs(result) > MAX_AMOUNT:
        raise AmountError("This amount is too large.")
    return result


def format_minutes(minutes: int) -> str:
    """90 → ``"1:30"``; -45 → ``"-0:45"``."""
    sign = "-" if minutes < 0 else ""
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{_grouped(hours)}:{mins:02d}"
