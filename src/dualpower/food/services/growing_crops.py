"""Every write about the crops the gardens grow, and the numbers the community sets for them:
yield per m², weekly need and a household's portion."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.clean import clean_int, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict
from dualpower.food.models.growing import Crop, Unit
from dualpower.food.services.growing_checks import quantity_of, unit_of
from dualpower.members.models import Membership


@transaction.atomic
def crop_create(
    *,
    community: Community,
    name: str,
    days_to_maturity: object,
    unit: str = Unit.KG,
    family: str = "",
    yield_per_m2: object = None,
    by: Membership | None,
) -> Crop:
    """A crop the gardens grow; its yield per m² is the community's to set (or leave blank)."""
    name = clean_text(name, field="name", label=_("A name"), limit=80, required=True)
    if Crop.objects.filter(community=community, name__iexact=name).exists():
        raise Conflict(_("There is already a crop called “%(name)s”.") % {"name": name}, field="name")
    crop = Crop.objects.create(
        community=community,
        name=name,
        family=clean_text(family, field="family", label=_("The family"), limit=80),
        days_to_maturity=clean_int(
            days_to_maturity, field="days_to_maturity", label=_("Days to maturity"), low=1, high=1000
        ),
        unit=unit_of(unit),
        yield_per_m2=quantity_of(
            yield_per_m2, field="yield_per_m2", label=_("The yield per m²"), required=False
        ),
    )
    audit_record(community=community, actor=by, action="food.crop_create", target=crop, summary=name)
    return crop


@transaction.atomic
def crop_set_numbers(
    *,
    crop: Crop,
    yield_per_m2: object,
    weekly_need: object,
    by: Membership | None,
    household_portion: object = None,
) -> Crop:
    """The community sets (or clears, with an empty value) the crop's yield per m², its weekly
    need for the pantry and food aid, and the portion a household asking for food is given."""
    crop.yield_per_m2 = quantity_of(
        yield_per_m2, field="yield_per_m2", label=_("The yield per m²"), required=False
    )
    crop.weekly_need = quantity_of(
        weekly_need, field="weekly_need", label=_("The weekly need"), required=False
    )
    crop.household_portion = quantity_of(
        household_portion, field="household_portion", label=_("The portion"), required=False
    )
    crop.save(update_fields=["yield_per_m2", "weekly_need", "household_portion"])
    audit_record(
        community=crop.community,
        actor=by,
        action="food.crop_set_numbers",
        target=crop,
        summary=crop.name,
        data={
            "yield_per_m2": str(crop.yield_per_m2) if crop.yield_per_m2 is not None else None,
            "weekly_need": str(crop.weekly_need) if crop.weekly_need is not None else None,
            "household_portion": str(crop.household_portion) if crop.household_portion is not None else None,
        },
    )
    return crop
