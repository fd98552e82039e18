"""Who may do what with working groups. The only place access to groups is decided.

The object checked is a Community (listing, creating) or a WorkingGroup (everything else).
Admitted people (observers included) read; members and coordinators join; conveners of a
group and the community's coordinators run it.
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.members.roles import membership_for
from dualpower.members.rules import is_acting_coordinator, is_admitted, is_member


def _my_place(user: Any, group: Any) -> GroupMembership | None:
    if not isinstance(group, WorkingGroup):
        return None
    membership = membership_for(user, group.community)
    if membership is None:
        return None
    # Not cached: a page that has just joined or left must see the change at once.
    return GroupMembership.objects.filter(group=group, membership=membership).first()


@rules.predicate
def is_in_group(user: Any, group: Any) -> bool:
    """In the group or asking to join it."""
    return _my_place(user, group) is not None


@rules.predicate
def is_convener(user: Any, group: Any) -> bool:
    place = _my_place(user, group)
    return place is not None and place.is_convener


runs_group = is_convener | is_acting_coordinator

rules.add_perm("groups.list_groups", is_admitted)
rules.add_perm("groups.view_group", is_admitted)
rules.add_perm("groups.list_members", is_admitted)
rules.add_perm("groups.add_group", is_acting_coordinator)
rules.add_perm("groups.change_group", runs_group)
rules.add_perm("groups.delete_group", is_acting_coordinator)
# Observers read the groups but do not join them; applicants and outsiders are not admitted.
# (Joining twice is not a question of permission: the service answers it with a clear 409.)
rules.add_perm("groups.join_group", is_member)
rules.add_perm("groups.leave_group", is_in_group)
rules.add_perm("groups.decide_requests", runs_group)
rules.add_perm("groups.set_convener", runs_group)
rules.add_perm("groups.remove_member", runs_group)

PERMISSIONS = (
    "groups.list_groups",
    "groups.view_group",
    "groups.list_members",
    "groups.add_group",
    "groups.change_group",
    "groups.delete_group",
    "groups.join_group",
    "groups.leave_group",
    "groups.decide_requests",
    "groups.set_convener",
    "groups.remove_member",
)
