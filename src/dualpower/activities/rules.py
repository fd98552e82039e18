"""Who may do what with activities and trust roles. The only place access to them is decided.

The object checked is a Community (listing, starting an activity, roles), a Series or an
Activity (organising, taking part). Admitted people (observers included) read; members and
coordinators take places and vouch; organisers of a series and coordinators run it; conveners
of a working group start activities for their group.
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.activities.models import Activity, Organiser, Series, Slot
from dualpower.groups.selectors import convened_group_ids
from dualpower.members.roles import membership_for
from dualpower.members.rules import community_of, is_acting_coordinator, is_admitted, is_member


def series_of(obj: Any) -> Series | None:
    if isinstance(obj, Series):
        return obj
    if isinstance(obj, Activity):
        return obj.series
    if isinstance(obj, Slot):
        return obj.activity.series
    return None


@rules.predicate
def is_organiser(user: Any, obj: Any) -> bool:
    series = series_of(obj)
    if series is None:
        return False
    membership = membership_for(user, series.community)
    if membership is None:
        return False
    return Organiser.objects.filter(series=series, membership=membership).exists()


@rules.predicate
def convenes_a_group(user: Any, obj: Any) -> bool:
    membership = membership_for(user, community_of(obj))
    if membership is None:
        return False
    return bool(convened_group_ids(membership=membership))


@rules.predicate
def organises_anything(user: Any, obj: Any) -> bool:
    """Organises some active activity of the community (they look after its stock, too)."""
    membership = membership_for(user, community_of(obj))
    if membership is None:
        return False
    return Organiser.objects.filter(membership=membership, series__is_active=True).exists()


runs_activity = is_member & (is_organiser | is_acting_coordinator)

rules.add_perm("activities.list_activities", is_admitted)
rules.add_perm("activities.view_activity", is_admitted)
rules.add_perm("activities.add_series", is_acting_coordinator | (is_member & convenes_a_group))
rules.add_perm("activities.change_series", runs_activity)
# Moving dates people signed up for is the same trust as running the activity.
rules.add_perm("activities.reschedule_series", runs_activity)
rules.add_perm("activities.organise", runs_activity)
rules.add_perm("activities.view_feedback", runs_activity)
# Observers follow but do not take part. (Full slots, roles and times are the service's answer.)
rules.add_perm("activities.sign_up", is_member)
rules.add_perm("activities.give_feedback", is_member)
rules.add_perm("activities.list_roles", is_admitted)
rules.add_perm("activities.manage_roles", is_acting_coordinator)
rules.add_perm("activities.vouch", is_member)

PERMISSIONS = (
    "activities.list_activities",
    "activities.view_activity",
    "activities.add_series",
    "activities.change_series",
    "activities.reschedule_series",
    "activities.organise",
    "activities.view_feedback",
    "activities.sign_up",
    "activities.give_feedback",
    "activities.list_roles",
    "activities.manage_roles",
    "activities.vouch",
)
