"""Reads about the land trust."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.land.models import Allocation, GroundLease, Home, Parcel, WaitlistApplication
from dualpower.members.models import Membership
from dualpower.web.prepared import Prepared


def parcels_of(*, community: Community) -> QuerySet[Parcel]:
    return Parcel.objects.filter(community=community)


def parcel_get(*, community: Community, pk: int) -> Parcel:
    parcel = parcels_of(community=community).filter(pk=pk).first()
    if parcel is None:
        raise NotFound(_("The trust has no parcel %(id)s.") % {"id": pk})
    return parcel


def homes_of(*, community: Community) -> QuerySet[Home]:
    return Home.objects.filter(community=community).select_related("parcel", "community")


_homes_listed = Prepared(
    lambda community: Home.objects.filter(community_id=community).select_related("parcel"),
    window=True,
    community=int,
)


def homes_listed(*, community: Community, limit: int, offset: int = 0) -> list[Home]:
    """A window of ``homes_of`` for the homes page (a page at a time: web.pages), its SQL written
    once per process; each home's community is ``community`` itself, not read again."""
    homes = _homes_listed(community=community.pk, limit=limit, offset=offset)
    for home in homes:
        home.community = community
    return homes


def home_get(*, community: Community, pk: int) -> Home:
    home = homes_of(community=community).filter(pk=pk).first()
    if home is None:
        raise NotFound(_("The trust has no home %(id)s.") % {"id": pk})
    return home


def active_lease(*, home: Home) -> GroundLease | None:
    return home.leases.filter(status=GroundLease.Status.ACTIVE).select_related("leaseholder").first()


def leases_of(*, community: Community, leaseholder: Membership | None = None) -> QuerySet[GroundLease]:
    leases = GroundLease.objects.filter(home__community=community).select_related(
        "home__community", "leaseholder"
    )
    if leaseholder is not None:
        leases = leases.filter(leaseholder=leaseholder)
    return leases


def lease_get(*, community: Community, pk: int) -> GroundLease:
    lease = leases_of(community=community).filter(pk=pk).first()
    if lease is None:
        raise NotFound(_("The trust has no lease %(id)s.") % {"id": pk})
    return lease


def applications_of(*, community: Community, status: str = "waiting") -> QuerySet[WaitlistApplication]:
    return WaitlistApplication.objects.filter(community=community, status=status).select_related(
        "membership", "community"
    )


def application_get(*, community: Community, pk: int) -> WaitlistApplication:
    application = (
        WaitlistApplication.objects.filter(community=community, pk=pk).select_related("community").first()
    )
    if application is None:
        raise NotFound(_("The waitlist has no application %(id)s.") % {"id": pk})
    return application


def my_application(*, community: Community, membership: Membership | None) -> WaitlistApplication | None:
    if membership is None:
        return None
    return (
        WaitlistApplication.objects.filter(community=community, membership=membership)
        .exclude(status=WaitlistApplication.Status.WITHDRAWN)
        .order_by("-applied_at")
        .first()
    )


def allocations_of(*, community: Community) -> QuerySet[Allocation]:
    return Allocation.objects.filter(home__community=community).select_related("home__community", "chosen")


def allocation_get(*, community: Community, pk: int) -> Allocation:
    allocation = allocations_of(community=community).filter(pk=pk).first()
    if allocation is None:
        raise NotFound(_("The trust has no allocation %(id)s.") % {"id": pk})
    return allocation
