"""Build a land trust for tests: a parcel, homes, a lease, households on the waitlist."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from dualpower.community.models import Community
from dualpower.land import services, waitlist
from dualpower.land.models import GroundLease, Home, WaitlistApplication
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership

APPRAISAL = {"purchase_price": 15_000_000, "initial_appraisal": 20_000_000, "owner_share": "1/4"}


def make_home(
    community: Community, *, by: Membership | None = None, label: str = "Elm Row 1", **kw: Any
) -> Home:
    parcel = services.parcel_create(community=community, name=f"{label} parcel", address="1 Elm Row", by=by)
    return services.home_create(parcel=parcel, label=label, address=f"{label}, Elm Row", by=by, **kw)


def make_lease(home: Home, leaseholder: Membership, **kw: Any) -> GroundLease:
    values: dict[str, Any] = {
        "start": date(2020, 5, 1),
        "monthly_fee": 2500,
        "formula": "appraisal_based",
        "formula_params": APPRAISAL,
        **kw,
    }
    return services.lease_create(home=home, leaseholder=leaseholder, by=None, **values)


def make_applicant(
    community: Community, *, size: int = 2, years_ago: int = 0, local: int = 0, displaced: int = 0
) -> WaitlistApplication:
    member = make_membership(community)
    application = waitlist.waitlist_apply(
        community=community,
        membership=member,
        household_size=size,
        facts={"lives_or_works_locally": local, "displaced": displaced},
    )
    if years_ago:
        WaitlistApplication.objects.filter(pk=application.pk).update(
            applied_at=timezone.now() - timedelta(days=366 * years_ago)
        )
        application.refresh_from_db()
    return application
