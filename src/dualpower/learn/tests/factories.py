"""Build the learn app's world for tests, through its services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dualpower.community.models import Community
from dualpower.learn.models import Offering, Thing
from dualpower.learn.services import learning, library
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership


def coordinator_of(community: Community) -> Membership:
    found = Membership.objects.filter(community=community, role=Membership.Role.COORDINATOR).first()
    return found or make_membership(community, role=Membership.Role.COORDINATOR)


def make_thing(
    community: Community, *, title: str = "Cordless drill", by: Membership | None = None, **kw: Any
) -> Thing:
    """A thing of the community's library (``owner=`` a member for a member's own)."""
    owner = kw.pop("owner", None)
    currency = kw.pop("deposit_currency", None)
    role = kw.pop("trust_role", None)
    return library.thing_create(
        community=community,
        by=by or coordinator_of(community),
        owner=owner,
        deposit_currency=currency,
        trust_role=role,
        text=library.ThingText(title=title, category="tools", **kw),
    )


def make_offering(
    community: Community,
    *,
    by: Membership | None = None,
    kind: str = "training",
    title: str = "Legal observer training",
    sessions: int = 2,
    **kw: Any,
) -> Offering:
    by = by or make_membership(community, name="Fola the facilitator")
    offering = learning.offering_create(
        community=community, by=by, text=learning.OfferingText(kind=kind, title=title, **kw)
    )
    start = timezone.now() + dt.timedelta(days=2)
    for i in range(sessions):
        learning.session_add(
            offering=offering, by=by, title=f"Session {i + 1}", starts_at=start + dt.timedelta(days=7 * i)
        )
    return offering


def lend(thing: Thing, borrower: Membership, *, days_ago: int = 0) -> Any:
    now = timezone.now() - dt.timedelta(days=days_ago)
    return library.loan_start(thing=thing, borrower=borrower, by=borrower, now=now)
