"""A moment as a page writes it, kept per process: long lists (the audit log's fifty entries)
wrote each moment twice through Django's date formatting (``|date:'c'`` for ``<time datetime>``
and ``|date:"DATETIME_FORMAT"`` for the reader), about 60 µs of CPU each, for the same entries on
every visit.

``moment_texts(value)`` gives both, the same text as those filters (``formatting.format_datetime``
for the reader's), kept under the moment, the language and the time zone: everything the text is
made from, so nothing needs invalidating.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import get_language

from dualpower.formatting import format_datetime

_KEPT_MAX = 5_000  # bounded: a busy log brings new moments all the time
_kept: dict[tuple[dt.datetime, str | None, str], tuple[str, str]] = {}


def moment_texts(value: dt.datetime) -> tuple[str, str]:
    """(``{{ value|date:'c' }}``, ``{{ value|date:"DATETIME_FORMAT" }}``) of an aware or naive
    moment, in the active language and time zone."""
    key = (value, get_language(), timezone.get_current_timezone_name())
    texts = _kept.get(key)
    if texts is None:
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        if len(_kept) >= _KEPT_MAX:
            _kept.clear()
        texts = _kept[key] = (local.isoformat(), format_datetime(value))
    return texts
