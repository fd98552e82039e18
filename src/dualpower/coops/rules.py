"""Who may do what with co-ops. The only place access to co-ops is decided.

The object checked is a Community (listing, registering) or a Cooperative (everything else).
Admitted people read the registry; community members ask to join; a co-op's board runs it and
decides its capital operations; only the co-op's own members see its capital register and
patronage (a co-op's finances are its members' business, not the whole community's).
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.coops.models import Cooperative, CoopMember
from dualpower.members.roles import membership_for
from dualpower.members.rules import is_acting_coordinator, is_admitted, is_member
from dualpower.web.prepared import Prepared

# Where each request's places are kept: on the user object, as ``membership_for`` keeps the
# memberships (Django makes it anew for every request).
_PLACES_ATTR = "_dp_coop_places"

# One place at most (a member is in a co-op once: coop_member_once); its SQL written once per process.
_place = Prepared(
    lambda coop, membership: CoopMember.objects.filter(coop_id=coop, membership_id=membership)[:1],
    coop=int,
    membership=int,
)


def place_for(user: Any, coop: Any) -> CoopMember | None:
    """``user``'s place in ``coop`` (pending, member or left), or None; read once per request
    however many rules ask (the co-op's page asks seven): a page that has just joined or left is
    a new request after the redirect, and sees the change at once."""
    if not isinstance(coop, Cooperative):
        return None
    membership = membership_for(user, coop.community)
    if membership is None:
        return None
    places: dict[int, CoopMember | None] | None = getattr(user, _PLACES_ATTR, None)
    if places is None:
        places = {}
        setattr(user, _PLACES_ATTR, places)
    if coop.pk not in places:
        found = _place(coop=coop.pk, membership=membership.pk)
        places[coop.pk] = found[0] if found else None
    return places[coop.pk]


def remember_place(user: Any, coop: Cooperative, place: CoopMember | None) -> None:
    """Keep ``place``, read with the co-op (selectors.coop_and_place_get), as ``user``'s place in
    ``coop`` for the rest of the request: the rules then ask no more."""
    places: dict[int, CoopMember | None] | None = getattr(user, _PLACES_ATTR, None)
    if places is None:
        places = {}
        setattr(user, _PLACES_ATTR, places)
    places[coop.pk] = place


def forget_places(user: Any) -> None:
    """Drop the places kept for ``user`` after a service changed one within the same request."""
    if hasattr(user, _PLACES_ATTR):
        delattr(user, _PLACES_ATTR)


@rules.predicate
def is_coop_member(user: Any, coop: Any) -> bool:
    place = place_for(user, coop)
    return place is not None and place.status == CoopMember.Status.MEMBER


@rules.predicate
def is_coop_board(user: Any, coop: Any) -> bool:
    place = place_for(user, coop)
    return (
        place is not None and place.status == CoopMember.Status.MEMBER and place.role == CoopMember.Role.BOARD
    )


@rules.predicate
def is_in_or_asking(user: Any, coop: Any) -> bool:
    place = place_for(user, coop)
    return place is not None and place.status != CoopMember.Status.LEFT


runs_coop = is_coop_board | is_acting_coordinator

rules.add_perm("coops.list_coops", is_admitted)
rules.add_perm("coops.view_coop", is_admitted)
rules.add_perm("coops.add_coop", is_acting_coordinator)
rules.add_perm("coops.change_coop", runs_coop)
rules.add_perm("coops.join_coop", is_member & ~is_in_or_asking)
rules.add_perm("coops.leave_coop", is_in_or_asking)
rules.add_perm("coops.decide_requests", is_coop_board)
rules.add_perm("coops.set_board", runs_coop)
rules.add_perm("coops.view_capital", is_coop_member)
rules.add_perm("coops.propose_operation", is_coop_member)
rules.add_perm("coops.decide_operation", is_coop_board)
rules.add_perm("coops.view_patronage", is_coop_member)
rules.add_perm("coops.propose_patronage", is_coop_board)
rules.add_perm("coops.adopt_patronage", is_coop_board)

PERMISSIONS = (
    "coops.list_coops",
    "coops.view_coop",
    "coops.add_coop",
    "coops.change_coop",
    "coops.join_coop",
    "coops.leave_coop",
    "coops.decide_requests",
    "coops.set_board",
    "coops.view_capital",
    "coops.propose_operation",
    "coops.decide_operation",
    "coops.view_patronage",
    "coops.propose_patronage",
    "coops.adopt_patronage",
)
