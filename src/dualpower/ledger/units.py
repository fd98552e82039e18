"""Amounts at the boundary (a form, the API) → integers in a currency's smallest unit.

People type amounts in their language ("12.50", or "12,50" in Spanish; "1:30" or "1.5" hours in a
time bank): ``dualpower.clean`` reads them exactly, never rounding. An API client may also send an
integer, which is already in the smallest unit (cents, minutes), as the API documents. The
services take the integers only.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from dualpower.clean import MAX_AMOUNT, clean_amount, clean_minutes
from dualpower.errors import InvalidInput
from dualpower.ledger.models import Currency
from dualpower.ledger.services.posting import check_amount


def units_of(
    currency: Currency,
    value: object,
    *,
    field: str = "amount",
    label: str | None = None,
    allow_zero: bool = False,
) -> int:
    """``value`` in ``currency``'s smallest unit: more than zero (a payment), or, with
    ``allow_zero``, zero or more (a limit). ``label`` begins the sentence of a refusal."""
    label = label or _("The amount")
    if value is None or isinstance(value, bool):
        raise InvalidInput(_("Give an amount."), field=field)
    if isinstance(value, int):
        units = value
    elif currency.is_time_bank:
        units = clean_minutes(value, field=field, label=label, allow_negative=not allow_zero)
    else:
        units = clean_amount(
            value, field=field, label=label, decimals=currency.decimals, allow_negative=not allow_zero
        )
    if not allow_zero:
        return check_amount(units)
    if units < 0:
        raise InvalidInput(_("%(what)s cannot be negative.") % {"what": label}, field=field)
    if units > MAX_AMOUNT:
        raise InvalidInput(_("%(what)s is too large.") % {"what": label}, field=field)
    return units
