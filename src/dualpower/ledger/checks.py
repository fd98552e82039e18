"""Small input checks shared by the ledger's services: whole numbers and bounded text."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dualpower.errors import InvalidInput
from dualpower.ledger.amounts import MAX_AMOUNT


def _int(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(_("This must be a whole number."), field=field)
    if abs(value) > MAX_AMOUNT:
        raise InvalidInput(_("This number is too large."), field=field)
    return value


def _clean_text(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise InvalidInput(_("This is needed."), field=field)
    if len(text) > limit:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return text
