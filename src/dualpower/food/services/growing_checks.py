"""What every growing service checks in what it is given: quantities and areas, units, and the
members named.

Quantities are Decimals with at most three places (kilograms to the gram); what people type is
read through ``dualpower.clean`` in the active language (``"2,5"`` in Spanish).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from dualpower.clean import clean_amount, clean_choice
from dualpower.community.models import Community
from dualpower.core.food import forecast
from dualpower.errors import InvalidInput
from dualpower.food.models.growing import Unit
from dualpower.members.models import Membership

TEXT_MAX = 5000
NAME_MAX = 120
MAX_QUANTITY = Decimal("1000000")  # a million kilograms in one log is a typing mistake
MAX_AREA = Decimal("10000000")  # ten square kilometres


def quantity_of(value: object, *, field: str, label: str, required: bool = True) -> Decimal | None:
    """A quantity typed or given: text in the active language ("2.5" / "2,5"), an int or a
    Decimal; zero or more, at most three decimal places, at most a million."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(_("%(label)s is needed.") % {"label": label}, field=field)
        return None
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidInput(_("%(label)s must be a number.") % {"label": label}, field=field)
        try:
            thousandths = value.scaleb(3)
            whole = thousandths == thousandths.to_integral_value()
        except InvalidOperation:
            whole = False
        if not whole:
            raise InvalidInput(_("%(label)s has at most 3 decimal places.") % {"label": label}, field=field)
        result = value
    else:
        units = clean_amount(value, field=field, label=label, decimals=3)
        result = Decimal(units).scaleb(-3)
    if result < 0:
        raise InvalidInput(_("%(what)s cannot be negative.") % {"what": label}, field=field)
    if result > MAX_QUANTITY:
        raise InvalidInput(_("%(what)s is too large.") % {"what": label}, field=field)
    return result.quantize(forecast.PLACES)


def area_of(value: object, *, field: str = "area_m2", label: str | None = None) -> Decimal:
    label = label or _("The area")
    area = quantity_of(value, field=field, label=label)
    assert area is not None
    if area <= 0:
        raise InvalidInput(_("%(what)s must be more than zero.") % {"what": label}, field=field)
    if area > MAX_AREA:
        raise InvalidInput(_("%(what)s is too large.") % {"what": label}, field=field)
    if area != area.quantize(Decimal("0.01")):
        raise InvalidInput(_("%(label)s has at most 2 decimal places.") % {"label": label}, field=field)
    return area


def unit_of(value: object, *, field: str = "unit") -> str:
    return clean_choice(value, Unit, field=field)


def checked_member_or_none(
    community: Community, membership: Membership | None, *, field: str
) -> Membership | None:
    if membership is None:
        return None
    return checked_member(community, membership, field=field)


def checked_member(community: Community, membership: Membership, *, field: str) -> Membership:
    if membership.community_id != community.pk or not membership.is_active:
        raise InvalidInput(_("Choose a member of this community."), field=field)
    return membership
