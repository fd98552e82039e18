"""Checks every budgeting service shares: text, choices, whole numbers and money in cents, the phase."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dualpower.budgeting.models import Cycle, Phase
from dualpower.errors import Conflict, InvalidInput

MAX_MONEY = 10**15  # a sanity bound: no budget in cents is larger
PHOTO_TYPES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n", "image/webp": b"RIFF"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def clean_money(value: Any, *, field: str, what: str) -> int:
    """A whole, non-negative amount in cents (bools and floats are refused: money is never a float)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput(_("%(what)s must be a whole number of cents.") % {"what": what}, field=field)
    try:
        amount = int(str(value).strip())
    except ValueError:
        raise InvalidInput(
            _("%(what)s must be a whole number of cents.") % {"what": what}, field=field
        ) from None
    if amount < 0 or amount > MAX_MONEY:
        raise InvalidInput(_("%(what)s cannot be negative or absurdly large.") % {"what": what}, field=field)
    return amount


def clean_text(value: Any, *, field: str, what: str, max_length: int, required: bool = True) -> str:
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise InvalidInput(_("%(what)s is needed.") % {"what": what}, field=field)
    if len(text) > max_length:
        raise InvalidInput(
            _("%(what)s has at most %(n)d characters.") % {"what": what, "n": max_length}, field=field
        )
    return text


def clean_choice(value: Any, choices: Any, *, field: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise InvalidInput(_("Choose one of: %(allowed)s.") % {"allowed": allowed}, field=field)
    return str(value)


def clean_int(value: Any, *, field: str, what: str, allow_none: bool = False) -> int | None:
    if value in (None, "") and allow_none:
        return None
    if isinstance(value, bool):
        raise InvalidInput(_("%(what)s must be a whole number.") % {"what": what}, field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("%(what)s must be a whole number.") % {"what": what}, field=field) from None
    if number < 0:
        raise InvalidInput(_("%(what)s cannot be negative.") % {"what": what}, field=field)
    return number


def require_phase(cycle: Cycle, *phases: str) -> None:
    # Read the phase from the database: the object in hand may predate a move to the next phase.
    cycle.phase = Cycle.objects.filter(pk=cycle.pk).values_list("phase", flat=True).get()
    if cycle.phase not in phases:
        names = ", ".join(str(Phase(p).label) for p in phases)
        raise Conflict(_("This can only be done during: %(phases)s.") % {"phases": names})
