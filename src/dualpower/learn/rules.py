"""Who may do what in the learn app. The only place access to it is decided.

The object checked is the Community, an Offering (or its Session), or a Thing (anything with
``community``). Admitted people read the catalogue and the offerings; members propose offerings,
take part, hold and borrow, and list their own things to lend. Facilitators run their offering:
they alone see who attends (and each person sees their own, in the selectors); coordinators do
not see it. The library's keepers (coordinators and the working group named as keepers) keep the
community's things; a member keeps their own. Which trainings propose a trust role is decided by
conveners of the group that keeps the role (the service checks which group).
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.groups.selectors import convened_group_ids, is_active_in_group
from dualpower.learn.models import Facilitator, LibrarySettings, Offering, Session, Thing
from dualpower.members.roles import membership_for
from dualpower.members.rules import community_of, is_acting_coordinator, is_admitted, is_member


def offering_of(obj: Any) -> Offering | None:
    if isinstance(obj, Offering):
        return obj
    if isinstance(obj, Session):
        return obj.offering
    return None


@rules.predicate
def is_facilitator(user: Any, obj: Any) -> bool:
    offering = offering_of(obj)
    if offering is None:
        return False
    membership = membership_for(user, offering.community)
    return (
        membership is not None
        and Facilitator.objects.filter(offering=offering, membership=membership).exists()
    )


@rules.predicate
def is_study_circle(user: Any, obj: Any) -> bool:
    offering = offering_of(obj)
    return offering is not None and offering.kind == "study_circle"


@rules.predicate
def takes_part_in(user: Any, obj: Any) -> bool:
    offering = offering_of(obj)
    if offering is None:
        return False
    membership = membership_for(user, offering.community)
    return (
        membership is not None and offering.enrolments.filter(membership=membership, status="joined").exists()
    )


@rules.predicate
def is_training(user: Any, obj: Any) -> bool:
    offering = offering_of(obj)
    return offering is not None and offering.kind == "training"


@rules.predicate
def convenes_a_group(user: Any, obj: Any) -> bool:
    return bool(convened_group_ids(membership=membership_for(user, community_of(obj))))


@rules.predicate
def is_in_keepers_group(user: Any, obj: Any) -> bool:
    community = community_of(obj)
    membership = membership_for(user, community)
    if membership is None or community is None:
        return False
    settings = LibrarySettings.objects.filter(community=community).first()
    if settings is None or settings.keepers_id is None:
        return False
    return is_active_in_group(group_id=settings.keepers_id, membership=membership)


@rules.predicate
def is_community_thing(user: Any, obj: Any) -> bool:
    return not isinstance(obj, Thing) or obj.owner_id is None


@rules.predicate
def owns_thing(user: Any, obj: Any) -> bool:
    if not isinstance(obj, Thing) or obj.owner_id is None:
        return False
    membership = membership_for(user, obj.community)
    return membership is not None and membership.pk == obj.owner_id


keeps_library = is_member & (is_acting_coordinator | is_in_keepers_group)

rules.add_perm("learn.view", is_admitted)
rules.add_perm("learn.propose", is_member)
rules.add_perm("learn.take_part", is_member)
rules.add_perm("learn.run_offering", is_member & is_facilitator)
rules.add_perm("learn.view_attendance", is_member & is_facilitator)
# Readings are chosen by the group in a study circle; the facilitators choose them otherwise.
rules.add_perm("learn.add_reading", is_member & (is_facilitator | (is_study_circle & takes_part_in)))
rules.add_perm("learn.link_role", is_member & is_training & convenes_a_group)
rules.add_perm("learn.set_role_keeper", is_acting_coordinator)
rules.add_perm("learn.borrow", is_member)
rules.add_perm("learn.list_thing", is_member)
rules.add_perm("learn.keep_library", keeps_library)
rules.add_perm("learn.keep_thing", is_member & ((is_community_thing & keeps_library) | owns_thing))

PERMISSIONS = (
    "learn.view",
    "learn.propose",
    "learn.take_part",
    "learn.run_offering",
    "learn.view_attendance",
    "learn.add_reading",
    "learn.link_role",
    "learn.set_role_keeper",
    "learn.borrow",
    "learn.list_thing",
    "learn.keep_library",
    "learn.keep_thing",
)
