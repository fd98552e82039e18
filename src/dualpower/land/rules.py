"""Who may do what in the land trust. The only place access to it is decided.

Objects: a Community (lists, creating, applying), a Home, a GroundLease, a WaitlistApplication or
an Allocation. Admitted people see the homes (never addresses), the published criteria and every
allocation's draw; a home's address, its lease and stewardship notes are for coordinators and
the household holding the lease; applications are seen by coordinators and the household.
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.land.models import GroundLease, Home, TrustSettings, WaitlistApplication
from dualpower.members.roles import membership_for
from dualpower.members.rules import community_of, is_acting_coordinator, is_admitted, is_member


@rules.predicate
def is_leaseholder(user: Any, obj: Any) -> bool:
    """Holds the active lease of the home (or is the holder of this lease, active or not)."""
    community = community_of(obj)
    me = membership_for(user, community)
    if me is None:
        return False
    if isinstance(obj, GroundLease):
        return obj.leaseholder_id == me.pk
    if isinstance(obj, Home):
        return obj.leases.filter(status=GroundLease.Status.ACTIVE, leaseholder=me).exists()
    return False


@rules.predicate
def is_own_application(user: Any, obj: Any) -> bool:
    me = membership_for(user, community_of(obj))
    return isinstance(obj, WaitlistApplication) and me is not None and obj.membership_id == me.pk


@rules.predicate
def trust_lets_coordinators_allocate(user: Any, obj: Any) -> bool:
    community = community_of(obj)
    settings = TrustSettings.objects.filter(community=community).first() if community else None
    return bool(settings and settings.coordinators_may_allocate)


rules.add_perm("land.view_homes", is_admitted)
rules.add_perm("land.manage", is_acting_coordinator)
rules.add_perm("land.view_address", is_acting_coordinator | is_leaseholder)
rules.add_perm("land.view_lease", is_acting_coordinator | is_leaseholder)
rules.add_perm("land.view_notes", is_acting_coordinator | is_leaseholder)
rules.add_perm("land.add_note", is_acting_coordinator | is_leaseholder)
rules.add_perm("land.view_waitlist", is_admitted)
rules.add_perm("land.apply_waitlist", is_member)
rules.add_perm("land.list_applications", is_acting_coordinator)
rules.add_perm("land.view_application", is_acting_coordinator | is_own_application)
rules.add_perm("land.withdraw_application", is_acting_coordinator | is_own_application)
rules.add_perm("land.view_allocations", is_admitted)
rules.add_perm("land.adopt_allocation", is_acting_coordinator & trust_lets_coordinators_allocate)

PERMISSIONS = (
    "land.view_homes",
    "land.manage",
    "land.view_address",
    "land.view_lease",
    "land.view_notes",
    "land.add_note",
    "land.view_waitlist",
    "land.apply_waitlist",
    "land.list_applications",
    "land.view_application",
    "land.withdraw_application",
    "land.view_allocations",
    "land.adopt_allocation",
)
