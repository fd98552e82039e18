"""Checking what people type into requests and offers: a clear sentence for every refusal.

Kept apart from the services so the request and offer services share one definition of a good
neighbourhood, language list, time window and quantity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from dualpower.clean import clean_text
from dualpower.errors import InvalidInput

# These take what arrived at the boundary (a form's text, an API body's value) and return a typed
# value: ``quantity`` and ``urgency`` keep ``Any`` because they hand the raw value to ``int()``
# inside a ``try``, which is how they read text and numbers alike.

MAX_LIST_ITEMS = 12
MAX_ITEM = 40
MAX_DESCRIPTION = 2000
MAX_QUANTITY = 100_000

# Coarse location only: a house number next to a street word, a postcode, or an apartment number
# reads as an address. Cross streets ("Elm & 5th", "Calle 8 y Carrera 3") stay allowed.
_STREET = (
    r"(street|st|road|rd|avenue|ave|av|avenida|lane|ln|boulevard|blvd|drive|dr|way|"
    r"calle|carrera|cra|rua|rue|strasse|straße|plaza|paseo)"
)
_ADDRESS = re.compile(
    rf"(\b\d+[a-z]?\s*,?\s+(\w+\s+){{0,3}}{_STREET}\b)"
    rf"|(\b{_STREET}\.?\s+(\w+\s+){{0,3}}\d+\s*,)"
    r"|(\b(apt|apartment|flat|unit|piso|depto|suite)\.?\s*#?\s*\d+)"
    r"|(#\s*\d+)"
    r"|(\b\d{5}(-\d{4})?\b)"
    r"|(\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b)",
    re.I,
)


def looks_like_address(value: str) -> bool:
    return bool(_ADDRESS.search(value))


def neighbourhood(value: object) -> str:
    value = clean_text(value, field="neighbourhood", label=_("Neighbourhood"), limit=80, required=True)
    if looks_like_address(value):
        raise InvalidInput(
            _(
                "That looks like an exact address. Listings show only a neighbourhood or cross "
                "streets; put the address in the private details, which only the matched volunteer "
                "and dispatchers see."
            ),
            field="neighbourhood",
        )
    return value


def names(value: object, *, field: str, label: str) -> list[str]:
    """A list of short names (languages, skills); a comma-separated string is accepted too."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, Iterable) or isinstance(value, dict):
        raise InvalidInput(_("%(field)s must be a list.") % {"field": label}, field=field)
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise InvalidInput(_("Each of %(field)s must be text.") % {"field": label}, field=field)
        item = item.strip()
        if not item:
            continue
        if len(item) > MAX_ITEM:
            raise InvalidInput(
                _("Each of %(field)s has at most %(n)d characters.") % {"field": label, "n": MAX_ITEM},
                field=field,
            )
        if item.lower() not in {o.lower() for o in out}:
            out.append(item)
    if len(out) > MAX_LIST_ITEMS:
        raise InvalidInput(
            _("Give at most %(n)d %(field)s.") % {"n": MAX_LIST_ITEMS, "field": label}, field=field
        )
    return out


def quantity(value: Any, *, field: str = "quantity", minimum: int = 1) -> int:
    if value is None or value == "":
        return 1 if minimum >= 1 else 0
    if isinstance(value, bool):
        raise InvalidInput(_("A quantity is a whole number."), field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("A quantity is a whole number."), field=field) from None
    if isinstance(value, float) and number != value:
        raise InvalidInput(_("A quantity is a whole number."), field=field)
    if number < minimum:
        raise InvalidInput(_("A quantity is at least %(n)d.") % {"n": minimum}, field=field)
    if number > MAX_QUANTITY:
        raise InvalidInput(_("A quantity is at most %(n)d.") % {"n": MAX_QUANTITY}, field=field)
    return number


def urgency(value: Any) -> int:
    try:
        number = int(value if value not in (None, "") else 1)
    except (TypeError, ValueError):
        number = -1
    if number not in (0, 1, 2, 3) or isinstance(value, bool):
        raise InvalidInput(_("Urgency is low, normal, high or critical (0 to 3)."), field="urgency")
    return number


def window(start: datetime | None, end: datetime | None) -> tuple[datetime | None, datetime | None]:
    if start is not None and end is not None and start >= end:
        raise InvalidInput(_("The time window must start before it ends."), field="window_end")
    return start, end


_HHMM = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")


def availability(value: object) -> list[list[Any]]:
    """Weekly availability as [[day 0-6, "HH:MM", "HH:MM"], ...]."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise InvalidInput(_("Availability is a list of [day, from, until]."), field="availability")
    out: list[list[Any]] = []
    for item in value:
        if not isinstance(item, list | tuple) or len(item) != 3:
            raise InvalidInput(_("Availability is a list of [day, from, until]."), field="availability")
        day, start, end = item
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise InvalidInput(_("A day of the week is 0 (Monday) to 6 (Sunday)."), field="availability")
        for t in (start, end):
            if not isinstance(t, str) or not _HHMM.match(t) or (t.startswith("24") and t != "24:00"):
                raise InvalidInput(_("Times are written HH:MM, e.g. 18:30."), field="availability")
        if _minutes(start) >= _minutes(end):
            raise InvalidInput(_("Each free time must start before it ends."), field="availability")
        out.append([day, start, end])
    if len(out) > 21:
        raise InvalidInput(_("Give at most 21 free times a week."), field="availability")
    return out


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)
