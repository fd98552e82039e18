"""Values crossing the boundary (a form, an API body, a file) cleaned once, the same way everywhere.

Each function takes what arrived, returns a typed value, or raises
``InvalidInput(sentence, field=field)``: ``field`` is the name of the input the sentence belongs
to (a form shows it beside that field and in the error summary; the API returns it as ``field``),
``label`` is how a person calls that input, at the start of a sentence ("A co-op's name",
"The share price"). Sentences are translated in the active language.

A base module: it imports only ``dualpower.errors``, ``django.utils`` and the standard library,
so every app (and ``web``) may use it.

- ``clean_text``: stripped text, a length limit, optionally required; NUL and control characters
  refused (tab and line breaks are text).
- ``clean_int`` / ``clean_int_or_none``: whole numbers (ASCII digits), optionally bounded.
- ``clean_amount``: an amount of money typed in the active language ("1,250.50" in English,
  "1 250,50" in Spanish) → an integer in the smallest unit (cents), exactly, never a float.
- ``clean_minutes``: a time typed as hours ("1:30", "1h30", "90m", "1.5") → whole minutes.
- ``clean_date`` / ``clean_datetime``: ISO text or the Python value; datetimes must be aware.
- ``clean_choice``: one of a set of values (a ``TextChoices`` class or any iterable of strings).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualpower.errors import InvalidInput

# Large enough for any community's economy, small enough that sums stay inside a 64-bit column.
MAX_AMOUNT = 10**15

# Text people type may carry tabs and line breaks; no other control character (C0, DEL, C1).
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_INT = re.compile(r"[+-]?[0-9]+")


def _has_control(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS for c in text)


def clean_text(value: object, *, field: str, label: str, limit: int, required: bool = False) -> str:
    """``value`` stripped of surrounding white space, at most ``limit`` characters.

    ``None`` is the empty text. Anything but text (a number, a list) is refused rather than
    turned into text. ``required`` refuses the empty text.
    """
    if value is None:
        value = ""
    if not isinstance(value, str | Promise):
        raise InvalidInput(_("%(field)s must be text.") % {"field": label}, field=field)
    text = str(value).strip()
    if "\x00" in text:
        raise InvalidInput(_("Text may not contain the NUL character (U+0000)."), field=field)
    if _has_control(text):
        raise InvalidInput(_("%(label)s may not contain control characters.") % {"label": label}, field=field)
    if required and not text:
        raise InvalidInput(_("%(label)s is needed.") % {"label": label}, field=field)
    if len(text) > limit:
        raise InvalidInput(
            ngettext(
                "%(label)s has at most %(n)d character.",
                "%(label)s has at most %(n)d characters.",
                limit,
            )
            % {"label": label, "n": limit},
            field=field,
        )
    return text


def _int_refusal(label: str, low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return _("%(what)s must be a whole number from %(low)s to %(high)s.") % {
            "what": label,
            "low": low,
            "high": high,
        }
    return _("%(what)s must be a whole number.") % {"what": label}


def clean_int(
    value: object, *, field: str, label: str, low: int | None = None, high: int | None = None
) -> int:
    """A whole number from an ``int`` or from text of ASCII digits (an optional sign, no separators).

    Booleans, floats and other digits ("٣") are refused. ``low`` and ``high`` are inclusive bounds;
    with both, every refusal says the range ("must be a whole number from 1 to 500").
    """
    if isinstance(value, bool):
        raise InvalidInput(_int_refusal(label, low, high), field=field)
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INT.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise InvalidInput(_int_refusal(label, low, high), field=field)
    if low is not None and high is not None:
        if not low <= number <= high:
            raise InvalidInput(_int_refusal(label, low, high), field=field)
    elif low is not None and number < low:
        if low == 0:
            raise InvalidInput(_("%(what)s cannot be negative.") % {"what": label}, field=field)
        raise InvalidInput(_("%(what)s must be at least %(low)s.") % {"what": label, "low": low}, field=field)
    elif high is not None and number > high:
        raise InvalidInput(
            _("%(what)s must be at most %(high)s.") % {"what": label, "high": high}, field=field
        )
    return number


def clean_int_or_none(
    value: object, *, field: str, label: str, low: int | None = None, high: int | None = None
) -> int | None:
    """Like ``clean_int``, but ``None`` and empty text are ``None`` (an optional number)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return clean_int(value, field=field, label=label, low=low, high=high)


def _separators() -> tuple[str, frozenset[str], int]:
    """The active language's decimal separator, thousands separators and group size."""
    decimal = str(formats.get_format("DECIMAL_SEPARATOR"))
    thousand = str(formats.get_format("THOUSAND_SEPARATOR"))
    grouping = formats.get_format("NUMBER_GROUPING")
    size = grouping if isinstance(grouping, int) and grouping > 0 else 3
    # A language that groups with a space is read with any of the spaces people's keyboards make.
    spaces = {" ", "\u00a0", "\u202f"}
    thousands = frozenset(spaces) if thousand in spaces else frozenset({thousand})
    return decimal, thousands - {decimal}, size


def _example(decimals: int) -> str:
    """1250.50 as this language writes it ("1,250.50" / "1.250,50"), with ``decimals`` places."""
    value = Decimal(125050).scaleb(-2) if decimals else Decimal(1250)
    return formats.number_format(value, decimal_pos=decimals, force_grouping=True)


def _not_an_amount(label: str, field: str, decimals: int) -> InvalidInput:
    return InvalidInput(
        _("%(what)s must be written as a number, such as %(example)s.")
        % {"what": label, "example": _example(decimals)},
        field=field,
    )


def clean_amount(
    value: object,
    *,
    field: str,
    label: str,
    decimals: int = 2,
    allow_negative: bool = False,
    limit: int = MAX_AMOUNT,
) -> int:
    """An amount typed in the active language → an integer in the smallest unit.

    With 2 decimals, "12.50" (English) or "12,50" (Spanish) → 1250; "1,250" → 125000. Only ASCII
    digits, an optional leading sign, the language's decimal separator and its thousands separator
    (between groups of three) are read; anything else is refused, never guessed: "12,50" in English
    is refused, not read as 1250. Too many decimals are refused, never rounded. An ``int`` is that
    many whole units (5 → 500 with 2 decimals), for callers that already hold a number.
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _not_an_amount(label, field, decimals)
    if isinstance(value, int):
        amount = Decimal(value)
    else:
        text = value.strip()
        if not text:
            raise InvalidInput(_("%(label)s is needed.") % {"label": label}, field=field)
        amount = _read_amount(text, label=label, field=field, decimals=decimals)
    scaled = amount.scaleb(decimals)
    if scaled != scaled.to_integral_value():
        if decimals == 0:
            raise InvalidInput(_("%(what)s must be a whole number.") % {"what": label}, field=field)
        raise InvalidInput(
            ngettext(
                "%(what)s has at most %(n)d decimal place.",
                "%(what)s has at most %(n)d decimal places.",
                decimals,
            )
            % {"what": label, "n": decimals},
            field=field,
        )
    units = int(scaled)
    if units < 0 and not allow_negative:
        raise InvalidInput(_("%(what)s cannot be negative.") % {"what": label}, field=field)
    if abs(units) > limit:
        raise InvalidInput(_("%(what)s is too large.") % {"what": label}, field=field)
    return units


def _read_amount(text: str, *, label: str, field: str, decimals: int) -> Decimal:
    decimal_sep, thousands, size = _separators()
    sign = ""
    if text[0] in "+-":
        sign, text = text[0], text[1:]
    whole, _sep, fraction = text.partition(decimal_sep)
    if not whole and not fraction:
        raise _not_an_amount(label, field, decimals)
    groups = [whole]
    if whole and thousands:
        groups = re.split("|".join(re.escape(t) for t in sorted(thousands)), whole)
    digits = [g for g in groups if whole] + ([fraction] if fraction else [])
    if any(not re.fullmatch(r"[0-9]+", d) for d in digits):
        raise _not_an_amount(label, field, decimals)  # a letter, a second decimal separator, a space...
    if len(groups) > 1 and (len(groups[0]) > size or any(len(g) != size for g in groups[1:])):
        raise _not_an_amount(label, field, decimals)  # "12,50" in English: refused, never guessed
    return Decimal(f"{sign}{''.join(groups) or '0'}.{fraction or '0'}")


_MINUTES = re.compile(r"([0-9]+)\s*(?:m|min|mins|minutes)", re.IGNORECASE)
_HOURS_MINUTES = re.compile(r"([0-9]+)\s*[:h]\s*([0-9]{1,2})?\s*m?", re.IGNORECASE)


def clean_minutes(
    value: object, *, field: str, label: str, allow_negative: bool = False, limit: int = MAX_AMOUNT
) -> int:
    """A time people type → whole minutes: "1:30", "1h30", "90m" and "1.5" ("1,5" in Spanish) → 90.

    For a time bank, whose amounts are minutes. An ``int`` is whole hours. Minutes past 59 and
    fractions of a minute are refused, never rounded.
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _not_a_time(label, field)
    if isinstance(value, int):
        minutes = value * 60
    else:
        text = value.strip()
        if not text:
            raise InvalidInput(_("%(label)s is needed.") % {"label": label}, field=field)
        sign = -1 if text.startswith("-") else 1
        body = text.lstrip("+-").strip()
        if match := _MINUTES.fullmatch(body):
            minutes = sign * int(match.group(1))
        elif match := _HOURS_MINUTES.fullmatch(body):
            extra = int(match.group(2) or 0)
            if extra >= 60:
                raise InvalidInput(_("Minutes go up to 59: write 1:30 for an hour and a half."), field=field)
            minutes = sign * (int(match.group(1)) * 60 + extra)
        else:
            try:
                hours = _read_amount(text, label=label, field=field, decimals=2)
            except InvalidInput:
                raise _not_a_time(label, field) from None
            exact = hours * 60
            if exact != exact.to_integral_value():
                raise InvalidInput(
                    _("%(what)s is counted in whole minutes: a quarter of an hour is 15 minutes.")
                    % {"what": label},
                    field=field,
                )
            minutes = int(exact)
    if minutes < 0 and not allow_negative:
        raise InvalidInput(_("%(what)s cannot be negative.") % {"what": label}, field=field)
    if abs(minutes) > limit:
        raise InvalidInput(_("%(what)s is too large.") % {"what": label}, field=field)
    return minutes


def _not_a_time(label: str, field: str) -> InvalidInput:
    example = formats.number_format(Decimal("1.5"), decimal_pos=1)
    return InvalidInput(
        _("%(what)s must be written as hours, such as %(example)s or 1:30.")
        % {"what": label, "example": example},
        field=field,
    )


def clean_date(value: object, *, field: str, label: str) -> date:
    """A calendar day from a ``date`` or ISO text ("2026-12-06"). A ``datetime`` is refused."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            parsed = parse_date(value.strip())
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed
    raise InvalidInput(_("%(what)s must be a date such as 2026-03-31.") % {"what": label}, field=field)


def clean_datetime(value: object, *, field: str, label: str) -> datetime:
    """A moment from an aware ``datetime`` or ISO text with its offset ("2026-12-06T18:00+01:00").

    A time without its time zone is refused: it would mean different moments to different people.
    """
    parsed: datetime | None = None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        raise InvalidInput(
            _("%(what)s must be a date and time such as 2026-03-31T18:00+01:00.") % {"what": label},
            field=field,
        )
    if timezone.is_naive(parsed):
        raise InvalidInput(_("Give the times with their time zone."), field=field)
    return parsed


def clean_choice(value: object, choices: Any, *, field: str) -> str:
    """``value`` if it is one of ``choices`` (a ``TextChoices`` class or an iterable of strings)."""
    allowed: Iterable[str] = getattr(choices, "values", choices)
    values = [str(v) for v in allowed]
    if not isinstance(value, str) or value not in values:
        raise InvalidInput(_("Choose one of: %(allowed)s.") % {"allowed": ", ".join(values)}, field=field)
    return value
