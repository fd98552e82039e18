"""Every write about the land trust's property: settings, parcels, homes, ground leases, notes.

The waitlist and allocations are in waitlist.py. Who may call each verb is decided in rules.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.core.economy import Criterion
from dualpower.errors import Conflict, InvalidInput, NotFound
from dualpower.land import resale
from dualpower.land.models import GroundLease, Home, Parcel, StewardshipNote, TrustSettings
from dualpower.members.models import Membership

TEXT_MAX = 5000
# The criteria a new trust starts with (it may change them); each reads one whole-number fact.
DEFAULT_CRITERIA: list[dict[str, Any]] = [
    {
        "key": "years_waiting",
        "description": gettext_noop("2 points for each full year on the waitlist, at most 5 years"),
        "points_per_unit": 2,
        "max_units": 5,
    },
    {
        "key": "lives_or_works_locally",
        "description": gettext_noop(
            "3 points if someone in the household lives or works in the neighbourhood"
        ),
        "points_per_unit": 3,
        "max_units": 1,
    },
    {
        "key": "displaced",
        "description": gettext_noop(
            "4 points if the household was displaced (eviction, unfit home) in the last 3 years"
        ),
        "points_per_unit": 4,
        "max_units": 1,
    },
]
# Computed by dualpower from the application date, never answered by the household.
COMPUTED_FACTS = frozenset({"years_waiting"})


def _text(value: Any, field: str, what: str, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    value = str(value if value is not None else "").strip()
    if required and not value:
        raise InvalidInput(_("%(what)s is needed.") % {"what": what}, field=field)
    if len(value) > limit:
        raise InvalidInput(
            _("%(what)s has at most %(n)d characters.") % {"what": what, "n": limit}, field=field
        )
    return value


def _whole(value: Any, field: str, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(
            _("%(what)s must be a whole number from %(low)s to %(high)s.")
            % {"what": what, "low": low, "high": high},
            field=field,
        )
    return value


def settings_for(community: Community) -> TrustSettings:
    """The trust's settings, created with the default criteria the first time they are read."""
    found = TrustSettings.objects.filter(community=community).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            # Published in the language active when the trust starts (the node's, from the command line).
            criteria = [{**c, "description": _(c["description"])} for c in DEFAULT_CRITERIA]
            return TrustSettings.objects.create(community=community, criteria=criteria)
    except IntegrityError:
        return TrustSettings.objects.get(community=community)


def criteria_of(settings: TrustSettings) -> list[Criterion]:
    return [
        Criterion(
            key=c["key"],
            description=c["description"],
            points_per_unit=c["points_per_unit"],
            max_units=c.get("max_units"),
        )
        for c in settings.criteria
    ]


def clean_criteria(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise InvalidInput(_("The criteria are a list."), field="criteria")
    cleaned, keys = [], set()
    for item in raw:
        if not isinstance(item, dict):
            raise InvalidInput(_("Each criterion is an object."), field="criteria")
        key = _text(item.get("key"), "criteria", _("A criterion's key"), required=True, limit=40)
        if not key.replace("_", "").isalnum() or key in keys:
            raise InvalidInput(_("Each criterion has its own key of letters and _."), field="criteria")
        keys.add(key)
        max_units = item.get("max_units")
        cleaned.append(
            {
                "key": key,
                "description": _text(
                    item.get("description"), "criteria", _("A description"), required=True, limit=300
                ),
                "points_per_unit": _whole(item.get("points_per_unit"), "criteria", _("Points"), 0, 1000),
                "max_units": None
                if max_units is None
                else _whole(max_units, "criteria", _("The cap"), 0, 1000),
            }
        )
    return cleaned


@transaction.atomic
def trust_settings_update(
    *,
    community: Community,
    by: Membership | None,
    coordinators_may_allocate: bool | None = None,
    criteria: Any = None,
    decision_ref: str = "",
) -> TrustSettings:
    settings = settings_for(community)
    settings = TrustSettings.objects.select_for_update().get(pk=settings.pk)
    before = {"coordinators_may_allocate": settings.coordinators_may_allocate, "criteria": settings.criteria}
    if coordinators_may_allocate is not None:
        if not isinstance(coordinators_may_allocate, bool):
            raise InvalidInput(_("Say true or false."), field="coordinators_may_allocate")
        settings.coordinators_may_allocate = coordinators_may_allocate
    if criteria is not None:
        settings.criteria = clean_criteria(criteria)
    settings.save()
    audit_record(
        community=community,
        actor=by,
        action="land.settings_update",
        target=settings,
        data={
            "before": before,
            "after": {
                "coordinators_may_allocate": settings.coordinators_may_allocate,
                "criteria": settings.criteria,
            },
        },
        decision_ref=decision_ref,
    )
    return settings


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
    name = _text(name, "name", _("A name"), required=True, limit=120)
    if Parcel.objects.filter(community=community, name__iexact=name).exists():
        raise Conflict(_("The trust already has a parcel called “%(name)s”.") % {"name": name})
    parcel = Parcel.objects.create(
        community=community,
        name=name,
        description=_text(description, "description", _("A description")),
        address=_text(address, "address", _("An address"), limit=300),
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
    label = _text(label, "label", _("A label"), required=True, limit=120)
    bedrooms = _whole(bedrooms, "bedrooms", _("Bedrooms"), 0, 50)
    low = _whole(min_household, "min_household", _("The smallest household"), 1, 100)
    high = _whole(max_household, "max_household", _("The largest household"), 1, 100)
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
        address=_text(address, "address", _("An address"), limit=300),
        bedrooms=bedrooms,
        min_household=low,
        max_household=high,
        description=_text(description, "description", _("A description")),
    )
    audit_record(community=parcel.community, actor=by, action="land.home_create", target=home, summary=label)
    return home


@transaction.atomic
def lease_create(
    *,
    home: Home,
    leaseholder: Membership,
    start: date,
    monthly_fee: int,
    formula: str,
    formula_params: Any,
    term_years: int = 99,
    by: Membership | None,
) -> GroundLease:
    """Sign a ground lease for a home: the home becomes leased."""
    home = Home.objects.select_for_update(of=("self",)).select_related("community").get(pk=home.pk)
    if leaseholder.community_id != home.community_id or not leaseholder.is_active:
        raise InvalidInput(_("The leaseholder must be a member of this community."), field="leaseholder")
    if not isinstance(start, date):
        raise InvalidInput(_("The start must be a date."), field="start")
    monthly_fee = _whole(monthly_fee, "monthly_fee", _("The monthly fee (cents)"), 0, 10**9)
    term_years = _whole(term_years, "term_years", _("The term"), 1, 999)
    params = resale.clean_params(formula, formula_params)
    if home.leases.filter(status=GroundLease.Status.ACTIVE).exists():
        raise Conflict(_("%(home)s already has an active lease; end it first.") % {"home": home.label})
    if home.status == Home.Status.ALLOCATED:
        # The published draw decided who this home is for: the lease goes to that household.
        allocated = (
            home.allocations.filter(status="adopted").select_related("chosen").order_by("-adopted_at").first()
        )
        if (
            allocated is not None
            and allocated.chosen is not None
            and allocated.chosen.membership_id != leaseholder.pk
        ):
            raise Conflict(
                _("%(home)s was allocated to household %(id)s; its lease is for that household.")
                % {"home": home.label, "id": allocated.chosen.public_id}
            )
    lease = GroundLease.objects.create(
        home=home,
        leaseholder=leaseholder,
        start=start,
        term_years=term_years,
        monthly_fee=monthly_fee,
        formula=formula,
        formula_params=params,
    )
    home.status = Home.Status.LEASED
    home.save(update_fields=["status"])
    audit_record(
        community=home.community,
        actor=by,
        action="land.lease_create",
        target=lease,
        summary=home.label,
        data={"home": home.pk, "leaseholder": leaseholder.pk, "monthly_fee": monthly_fee, "formula": formula},
    )
    return lease


@transaction.atomic
def lease_end(*, lease: GroundLease, status: str, ended_on: date, by: Membership | None) -> GroundLease:
    """End a lease (the household sold or moved) or terminate it; the home becomes vacant."""
    lease = (
        GroundLease.objects.select_for_update(of=("self",)).select_related("home__community").get(pk=lease.pk)
    )
    if lease.status != GroundLease.Status.ACTIVE:
        raise Conflict(_("This lease is no longer active."))
    if status not in (GroundLease.Status.ENDED, GroundLease.Status.TERMINATED):
        raise InvalidInput(_("A lease is ended or terminated."), field="status")
    if ended_on < lease.start:
        raise InvalidInput(_("A lease cannot end before it starts."), field="ended_on")
    lease.status, lease.ended_on = status, ended_on
    lease.save(update_fields=["status", "ended_on"])
    Home.objects.filter(pk=lease.home_id).update(status=Home.Status.VACANT)
    audit_record(
        community=lease.home.community,
        actor=by,
        action=f"land.lease_{status}",
        target=lease,
        summary=lease.home.label,
    )
    return lease


@transaction.atomic
def note_add(*, home: Home, body: str, by: Membership) -> StewardshipNote:
    body = _text(body, "body", _("A note"), required=True)
    note = StewardshipNote.objects.create(home=home, author=by, body=body)
    audit_record(community=home.community, actor=by, action="land.note_add", target=home, summary=home.label)
    return note


def lease_breakdown(
    *,
    lease: GroundLease,
    current_appraisal: int | None = None,
    resale_date: date | None = None,
    resale_year: int | None = None,
) -> Any:
    """The resale price under the lease's recorded formula (read-only; nothing is written)."""
    if lease is None:
        raise NotFound(_("No such lease."))
    return resale.breakdown_for(
        lease.formula,
        lease.formula_params,
        current_appraisal=current_appraisal,
        resale_date=resale_date,
        resale_year=resale_year,
    )
