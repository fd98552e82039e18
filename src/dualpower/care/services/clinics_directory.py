"""The referral directory: services outside the network (clinics, counsellors, legal aid) with
cost, languages, hours and accessibility, kept by the health working group."""

from __future__ import annotations

from typing import TypedDict, Unpack

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.care.models.clinics import Referral
from dualpower.clean import clean_choice, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record, changes_save
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.models import Membership

LIMITS = {
    "name": 120,
    "cost": 120,
    "languages": 200,
    "hours": 200,
    "accessibility": 300,
    "contact": 200,
    "notes": 1000,
}


class ReferralFields(TypedDict, total=False):
    name: str
    kind: str
    cost: str
    languages: str
    hours: str
    accessibility: str
    contact: str
    notes: str


def _labels() -> dict[str, str]:
    return {
        "name": _("The name"),
        "cost": _("The cost"),
        "languages": _("The languages"),
        "hours": _("The opening hours"),
        "accessibility": _("The accessibility"),
        "contact": _("How to reach them"),
        "notes": _("The notes"),
    }


def _clean(fields: ReferralFields) -> dict[str, str]:
    unknown = set(fields) - set(LIMITS) - {"kind"}
    if unknown:
        raise InvalidInput(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    labels = _labels()
    out: dict[str, str] = {}
    for name, value in fields.items():
        if name == "kind":
            out["kind"] = clean_choice(value, Referral.Kind, field="kind")
        else:
            out[name] = clean_text(
                value, field=name, label=labels[name], limit=LIMITS[name], required=name == "name"
            )
    return out


def _name_free(community: Community, name: str, but: int | None = None) -> None:
    taken = Referral.objects.filter(community=community, name__iexact=name)
    if but is not None:
        taken = taken.exclude(pk=but)
    if taken.exists():
        raise Conflict(_("The directory already lists “%(name)s”.") % {"name": name}, field="name")


@transaction.atomic
def referral_create(
    *, community: Community, by: Membership | None, **fields: Unpack[ReferralFields]
) -> Referral:
    if "name" not in fields or "kind" not in fields:
        raise InvalidInput(_("Give the service's name and kind."), field="name")
    data = _clean(fields)
    _name_free(community, data["name"])
    referral = Referral.objects.create(community=community, **data)
    audit_record(
        community=community, actor=by, action="care.referral_create", target=referral, summary=referral.name
    )
    return referral


@transaction.atomic
def referral_update(
    *, referral: Referral, by: Membership | None, **fields: Unpack[ReferralFields]
) -> Referral:
    data = _clean(fields)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if "name" in data:
        _name_free(referral.community, data["name"], but=referral.pk)
    changes_save(
        target=referral,
        changes=data,
        community=referral.community,
        actor=by,
        action="care.referral_update",
        summary=data.get("name", referral.name),
    )
    return referral


@transaction.atomic
def referral_remove(*, referral: Referral, by: Membership | None) -> None:
    audit_record(
        community=referral.community,
        actor=by,
        action="care.referral_remove",
        target=None,
        summary=referral.name,
    )
    referral.delete()
