"""API for the land trust: parse → check rule → call service → schema.

Addresses appear only for those allowed to see them (coordinators, the household holding the lease).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from dualpower.api_tools import AUTH_OPTIONAL, paginate
from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.errors import InvalidInput, NotFound
from dualpower.land import resale, selectors, services
from dualpower.land.models import Allocation, GroundLease, Home, Parcel, WaitlistApplication
from dualpower.land.schemas import (
    AllocationOut,
    AnnounceIn,
    HomeIn,
    HomeOut,
    LeaseIn,
    LeaseOut,
    ParcelIn,
    ParcelOut,
    ResaleOut,
    WaitlistApplicationIn,
    WaitlistApplicationOut,
)
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.members.selectors import member_get
from dualpower.web.permissions import check

router = Router(tags=["land trust"])

LAND = "/communities/{slug}/land"


class ResaleQuery(Schema):
    current_appraisal: int | None = None
    resale_date: date | None = None
    resale_year: int | None = None


RESALE_QUERY = Query(...)


def _community(request: HttpRequest, slug: str, perm: str) -> Community:
    community = community_get(slug=slug)
    check(request, "land.view_homes", community)
    check(request, perm, community)
    return community


def _me(request: HttpRequest, community: Community) -> Membership:
    me = membership_for(request.user, community)
    assert me is not None
    return me


def _home_out(request: HttpRequest, home: Home) -> dict[str, Any]:
    fields = ("id", "label", "bedrooms", "min_household", "max_household", "status", "description")
    return {
        **{name: getattr(home, name) for name in fields},
        "parcel": home.parcel.name,
        "address": home.address if request.user.has_perm("land.view_address", home) else None,
    }


@router.get(LAND + "/homes", response=list[HomeOut], auth=AUTH_OPTIONAL)
def home_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    community = _community(request, slug, "land.view_homes")
    return [_home_out(request, h) for h in selectors.homes_of(community=community)]


@router.get(LAND + "/homes/{home_id}", response=HomeOut, auth=AUTH_OPTIONAL)
def home_detail(request: HttpRequest, slug: str, home_id: int) -> dict[str, Any]:
    community = _community(request, slug, "land.view_homes")
    return _home_out(request, selectors.home_get(community=community, pk=home_id))


@router.post(LAND + "/parcels", response={201: ParcelOut})
def parcel_create(request: HttpRequest, slug: str, payload: ParcelIn) -> Status[Parcel]:
    community = _community(request, slug, "land.manage")
    return Status(
        201, services.parcel_create(community=community, by=_me(request, community), **payload.dict())
    )


@router.post(LAND + "/homes", response={201: HomeOut})
def home_create(request: HttpRequest, slug: str, payload: HomeIn) -> Status[dict[str, Any]]:
    community = _community(request, slug, "land.manage")
    data = payload.dict()
    try:
        parcel = selectors.parcel_get(community=community, pk=data.pop("parcel"))
    except NotFound:
        raise InvalidInput(_("The trust has no such parcel."), field="parcel") from None
    home = services.home_create(parcel=parcel, by=_me(request, community), **data)
    return Status(201, _home_out(request, home))


@router.get(LAND + "/leases", response=list[LeaseOut])
@paginate
def lease_list(request: HttpRequest, slug: str) -> Any:
    community = _community(request, slug, "land.view_homes")
    if request.user.has_perm("land.manage", community):
        return selectors.leases_of(community=community)
    return selectors.leases_of(community=community, leaseholder=membership_for(request.user, community))


@router.post(LAND + "/leases", response={201: LeaseOut})
def lease_create(request: HttpRequest, slug: str, payload: LeaseIn) -> Status[GroundLease]:
    community = _community(request, slug, "land.manage")
    data = payload.dict()
    try:
        home = selectors.home_get(community=community, pk=data.pop("home"))
    except NotFound:
        raise InvalidInput(_("The trust has no such home."), field="home") from None
    try:
        leaseholder = member_get(community=community, member_id=data.pop("leaseholder"))
    except NotFound:
        raise InvalidInput(
            _("The leaseholder must be a member of this community."), field="leaseholder"
        ) from None
    lease = services.lease_create(home=home, leaseholder=leaseholder, by=_me(request, community), **data)
    return Status(201, lease)


def _lease(request: HttpRequest, slug: str, lease_id: int) -> GroundLease:
    community = _community(request, slug, "land.view_homes")
    lease = selectors.lease_get(community=community, pk=lease_id)
    check(request, "land.view_lease", lease)
    return lease


@router.get(LAND + "/leases/{lease_id}", response=LeaseOut)
def lease_detail(request: HttpRequest, slug: str, lease_id: int) -> GroundLease:
    return _lease(request, slug, lease_id)


@router.get(LAND + "/leases/{lease_id}/resale", response=ResaleOut)
def lease_resale(
    request: HttpRequest, slug: str, lease_id: int, q: ResaleQuery = RESALE_QUERY
) -> dict[str, Any]:
    """The resale price under the lease's recorded formula, with every line of the calculation."""
    lease = _lease(request, slug, lease_id)
    given = {k: v for k, v in q.dict().items() if v is not None}
    unused = set(given) - set(resale.inputs_needed(lease.formula))
    if unused:
        raise InvalidInput(
            _("The %(f)s formula does not use: %(u)s.") % {"f": lease.formula, "u": ", ".join(sorted(unused))}
        )
    breakdown = services.lease_breakdown(lease=lease, **given)
    return {
        "formula": breakdown.formula.value,
        "price": breakdown.price,
        "lines": [
            {
                "kind": line.kind.value,
                "label": resale.line_label(line),
                "amount": line.amount,
                "params": resale.line_params(line),
            }
            for line in breakdown.lines
        ],
        "settings": list(breakdown.settings),
    }


@router.post(LAND + "/waitlist", response={201: WaitlistApplicationOut})
def waitlist_apply(
    request: HttpRequest, slug: str, payload: WaitlistApplicationIn
) -> Status[WaitlistApplication]:
    community = _community(request, slug, "land.apply_waitlist")
    application = services.waitlist_apply(
        community=community,
        membership=_me(request, community),
        household_size=payload.household_size,
        facts=payload.facts,
    )
    return Status(201, application)


@router.post(LAND + "/waitlist/{application_id}/withdraw", response=WaitlistApplicationOut)
def waitlist_withdraw(request: HttpRequest, slug: str, application_id: int) -> WaitlistApplication:
    community = _community(request, slug, "land.view_waitlist")
    application = selectors.application_get(community=community, pk=application_id)
    check(request, "land.withdraw_application", application)
    return services.waitlist_withdraw(application=application, by=_me(request, community))


@router.get(LAND + "/waitlist", response=list[WaitlistApplicationOut])
@paginate
def waitlist_list(request: HttpRequest, slug: str) -> Any:
    community = _community(request, slug, "land.list_applications")
    return selectors.applications_of(community=community)


@router.get(LAND + "/allocations", response=list[AllocationOut], auth=AUTH_OPTIONAL)
@paginate
def allocation_list(request: HttpRequest, slug: str) -> Any:
    community = _community(request, slug, "land.view_allocations")
    return selectors.allocations_of(community=community)


@router.post(LAND + "/homes/{home_id}/allocations", response={201: AllocationOut})
def allocation_announce(
    request: HttpRequest, slug: str, home_id: int, payload: AnnounceIn
) -> Status[Allocation]:
    community = _community(request, slug, "land.manage")
    home = selectors.home_get(community=community, pk=home_id)
    return Status(201, services.allocation_announce(home=home, seed=payload.seed, by=_me(request, community)))


@router.get(LAND + "/allocations/{allocation_id}", response=AllocationOut, auth=AUTH_OPTIONAL)
def allocation_detail(request: HttpRequest, slug: str, allocation_id: int) -> Allocation:
    community = _community(request, slug, "land.view_allocations")
    return selectors.allocation_get(community=community, pk=allocation_id)


@router.post(LAND + "/allocations/{allocation_id}/draw", response=AllocationOut)
def allocation_draw(request: HttpRequest, slug: str, allocation_id: int) -> Allocation:
    community = _community(request, slug, "land.manage")
    allocation = selectors.allocation_get(community=community, pk=allocation_id)
    return services.allocation_draw(allocation=allocation, by=_me(request, community))


@router.post(LAND + "/allocations/{allocation_id}/adopt", response=AllocationOut)
def allocation_adopt(request: HttpRequest, slug: str, allocation_id: int) -> Allocation:
    community = _community(request, slug, "land.view_allocations")
    allocation = selectors.allocation_get(community=community, pk=allocation_id)
    check(request, "land.adopt_allocation", allocation)
    return services.allocation_adopt(allocation=allocation, by=_me(request, community))


@router.post(LAND + "/allocations/{allocation_id}/cancel", response=AllocationOut)
def allocation_cancel(request: HttpRequest, slug: str, allocation_id: int) -> Allocation:
    community = _community(request, slug, "land.manage")
    allocation = selectors.allocation_get(community=community, pk=allocation_id)
    return services.allocation_cancel(allocation=allocation, by=_me(request, community))
