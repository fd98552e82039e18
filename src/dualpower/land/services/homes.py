"""The trust's property: parcels, homes on them, stewardship notes."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.clean import clean_int, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.land.models import Home, Parcel, StewardshipNote
from dualpower.members.models import Membership

TEXT_MAX = 5000  # a description or a note


@transaction.atomic
def parcel_create(
    *,
    community: Community,
    name: str,
    description: str = "",
    address: str = "",
    acquired_on: date | None = None,
    by: Membership | None,
) -> Parcel:
    name = clean_text(name, field="name", label=_("A name"), limit=120, required=True)
    if Parcel.objects.filter(community=community, name__iexact=name).exists():
        raise Conflict(_("The trust already has a parcel called “%(name)s”.") % {"name": name})
    parcel = Parcel.objects.create(
        community=community,
        name=name,
        description=clean_text(description, field="description", label=_("A description"), limit=TEXT_MAX),
        address=clean_text(address, field="address", label=_("An address"), limit=300),
        acquired_on=acquired_on,
    )
    # The address is not written to the audit log's summary: the log is read more widely.
    audit_record(community=community, actor=by, action="land.parcel_create", target=parcel, summary=name)
    return parcel


@transaction.atomic
def home_create(
    *,
    parcel: Parcel,
    label: str,
    address: str = "",
    bedrooms: int = 1,
    min_household: int = 1,
    max_household: int = 2,
    description: str = "",
    by: Membership | None,
) -> Home:
    label = clean_text(label, field="label", label=_("A label"), limit=120, required=True)
    bedrooms = clean_int(bedrooms, field="bedrooms", label=_("Bedrooms"), low=0, high=50)
    low = clean_int(min_household, field="min_household", label=_("The smallest household"), low=1, high=100)
    high = clean_int(max_household, field="max_household", label=_("The largest household"), low=1, high=100)
    if low > high:
        raise InvalidInput(
            _("The smallest household cannot be larger than the largest."), field="min_household"
        )
    if Home.objects.filter(community=parcel.community, label__iexact=label).exists():
        raise Conflict(_("The trust already has a home called “%(label)s”.") % {"label": label})
    home = Home.objects.create(
        community=parcel.community,
        parcel=parcel,
        label=label,
        address=clean_text(address, field="address", label=_("An address"), limit=300),
        bedrooms=bedrooms,
        min_household=low,
        max_household=high,
        description=clean_text(description, field="description", label=_("A description"), limit=TEXT_MAX),
    )
    audit_record(community=parcel.community, actor=by, action="land.home_create", target=home, summary=label)
    return home


@transaction.atomic
def note_add(*, home: Home, body: str, by: Membership) -> StewardshipNote:
    body = clean_text(body, field="body", label=_("A note"), limit=TEXT_MAX, required=True)
    note = StewardshipNote.objects.create(home=home, author=by, body=body)
    audit_record(community=home.community, actor=by, action="land.note_add", target=home, summary=home.label)
    return note
