"""rules of the care app."""

from __future__ import annotations

from typing import Any

import rules

from dualpower.activities.selectors import holds_role
from dualpower.care.models.circles import CareSettings, Circle, Helper, Need
from dualpower.care.models.clinics import ClinicDay, CrisisCall
from dualpower.care.selectors import clinics as clinic_reads
from dualpower.members.roles import membership_for
from dualpower.members.rules import community_of, is_acting_coordinator, is_admitted, is_member

# Who may do what with care circles. A circle belongs to the person cared for: they (or the keeper
# they handed it to) run it; helpers see the needs they take; the health group's conveners and the
# community's coordinators see that circles exist (kind, counts), never their notes or details.


_HEALTH_CACHE = "_dp_care_health_coordinator"


def _circle_of(obj: Any) -> Circle | None:
    if isinstance(obj, Circle):
        return obj
    if isinstance(obj, Need | Helper):
        return obj.circle
    return None


def _is_health_convener(user: Any, community: Any) -> bool:
    membership = membership_for(user, community)
    if membership is None:
        return False
    cache: dict[int, bool] | None = getattr(user, _HEALTH_CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, _HEALTH_CACHE, cache)
    if community.pk not in cache:
        from dualpower.groups.selectors import convened_group_ids

        group_id = (
            CareSettings.objects.filter(community=community).values_list("health_group_id", flat=True).first()
        )
        cache[community.pk] = group_id is not None and group_id in convened_group_ids(membership=membership)
    return cache[community.pk]


@rules.predicate
def is_health_coordinator(user: Any, community_or_obj: Any) -> bool:
    """The community's (acting) coordinators, and the conveners of the health working group set in
    the community's care settings."""
    community = community_of(community_or_obj)
    if community is None:
        return False
    return bool(is_acting_coordinator(user, community)) or _is_health_convener(user, community)


def _helper_place(user: Any, circle: Circle) -> Helper | None:
    membership = membership_for(user, circle.community)
    if membership is None:
        return None
    cache: dict[int, Helper | None] | None = getattr(user, "_dp_care_helper", None)
    if cache is None:
        cache = {}
        user._dp_care_helper = cache
    if circle.pk not in cache:
        cache[circle.pk] = Helper.objects.filter(circle=circle, membership=membership).first()
    return cache[circle.pk]


@rules.predicate
def is_circle_person(user: Any, obj: Any) -> bool:
    """The person the circle is for (a member)."""
    circle = _circle_of(obj)
    if circle is None or circle.person_id is None:
        return False
    membership = membership_for(user, circle.community)
    return membership is not None and membership.pk == circle.person_id


@rules.predicate
def is_circle_keeper(user: Any, obj: Any) -> bool:
    """Whoever runs the circle now: the person, or someone they handed it to."""
    circle = _circle_of(obj)
    if circle is None or circle.keeper_id is None:
        return False
    membership = membership_for(user, circle.community)
    return membership is not None and membership.pk == circle.keeper_id


@rules.predicate
def is_circle_helper(user: Any, obj: Any) -> bool:
    """An active helper of the circle (invitation accepted)."""
    circle = _circle_of(obj)
    place = _helper_place(user, circle) if circle is not None else None
    return place is not None and place.status == Helper.Status.ACTIVE


@rules.predicate
def is_invited_helper(user: Any, obj: Any) -> bool:
    circle = _circle_of(obj)
    place = _helper_place(user, circle) if circle is not None else None
    return place is not None and place.status == Helper.Status.INVITED


@rules.predicate
def helper_sees_notes(user: Any, obj: Any) -> bool:
    circle = _circle_of(obj)
    place = _helper_place(user, circle) if circle is not None else None
    return place is not None and place.status == Helper.Status.ACTIVE and place.sees == Helper.Sees.NOTES


@rules.predicate
def is_circle_open(user: Any, obj: Any) -> bool:
    circle = _circle_of(obj)
    return circle is not None and circle.is_open


@rules.predicate
def is_need_taker(user: Any, need: Any) -> bool:
    """The helper who took this need."""
    if not isinstance(need, Need) or need.taken_by_id is None:
        return False
    place = _helper_place(user, need.circle)
    return place is not None and place.pk == need.taken_by_id


@rules.predicate
def is_aid_dispatcher(user: Any, obj: Any) -> bool:
    """A dispatcher of the mutual aid network (may open a circle for someone without an account)."""
    from dualpower.aid.rules import is_dispatcher

    return bool(is_dispatcher(user, community_of(obj)))


runs_circle = is_circle_keeper | is_circle_person

# Listing: any member sees the circles they are in (the page is theirs); the health group sees
# that circles exist (kind and counts) on the overview.
rules.add_perm("care.list_circles", is_admitted)
rules.add_perm("care.open_circle", is_member)
rules.add_perm("care.open_circle_for_someone", is_aid_dispatcher | is_health_coordinator)
rules.add_perm("care.view_overview", is_health_coordinator)
# Once the circle is closed, only the person and whoever ran it see it, until it is erased.
rules.add_perm("care.view_circle", runs_circle | (is_circle_open & (is_circle_helper | is_invited_helper)))
rules.add_perm("care.view_calendar", runs_circle | (is_circle_open & is_circle_helper))
rules.add_perm("care.view_need_details", runs_circle | (is_circle_open & is_need_taker))
rules.add_perm("care.view_notes", runs_circle | (is_circle_open & helper_sees_notes))
rules.add_perm("care.add_note", is_circle_open & (runs_circle | helper_sees_notes))
rules.add_perm("care.manage_circle", is_circle_open & runs_circle)
rules.add_perm("care.take_need", is_circle_open & is_circle_helper)
rules.add_perm("care.release_need", is_circle_open & (is_need_taker | runs_circle))
rules.add_perm("care.finish_need", is_circle_open & (is_need_taker | runs_circle))
rules.add_perm("care.answer_invitation", is_circle_open & is_invited_helper)
rules.add_perm("care.leave_circle", is_circle_open & (is_circle_helper | is_invited_helper))
rules.add_perm("care.close_circle", is_circle_open & runs_circle)
rules.add_perm("care.draw_on_community", is_circle_open & runs_circle)
rules.add_perm("care.change_settings", is_acting_coordinator)
# Taking the circle away (JSON, CSV of the calendar): the person and whoever runs it, the whole
# circle; an active helper of an open circle, only the needs they hold.
rules.add_perm("care.export_circle", runs_circle | (is_circle_open & is_circle_helper))

CIRCLE_PERMISSIONS = (
    "care.list_circles",
    "care.open_circle",
    "care.open_circle_for_someone",
    "care.view_overview",
    "care.view_circle",
    "care.view_calendar",
    "care.view_need_details",
    "care.view_notes",
    "care.add_note",
    "care.manage_circle",
    "care.take_need",
    "care.release_need",
    "care.finish_need",
    "care.answer_invitation",
    "care.leave_circle",
    "care.close_circle",
    "care.draw_on_community",
    "care.change_settings",
    "care.export_circle",
)

# Clinic days, the referral directory, the warm line and crisis calls. The health group (its
# conveners and the coordinators: is_health_coordinator) plans; a clinic volunteer is whoever holds
# a place on the day's shift now (a place that required their credential: nurse, medic,
# interpreter, peer supporter); the crisis pair alone acts on its call.


@rules.predicate
def works_clinic_day(user: Any, day: Any) -> bool:
    """A volunteer on the clinic day's shift now."""
    if not isinstance(day, ClinicDay):
        return False
    return clinic_reads.works_clinic_day(membership=membership_for(user, day.community), day=day)


@rules.predicate
def is_peer_supporter(user: Any, obj: Any) -> bool:
    """Holds the peer-supporter credential (a trust role vouched for in activities)."""
    membership = membership_for(user, community_of(obj))
    return membership is not None and holds_role(membership=membership, role_slug="peer-supporter")


@rules.predicate
def on_crisis_team(user: Any, obj: Any) -> bool:
    """On the crisis team's shift now."""
    community = community_of(obj)
    membership = membership_for(user, community)
    if membership is None or community is None:
        return False
    return any(p.membership_id == membership.pk for p in clinic_reads.on_the_crisis_team(community=community))


@rules.predicate
def is_crisis_pair(user: Any, call: Any) -> bool:
    """One of the pair sent to this crisis call."""
    if not isinstance(call, CrisisCall):
        return False
    membership = membership_for(user, call.community)
    return membership is not None and membership.pk in (call.medic_id, call.peer_id)


sends_crisis_pairs = is_health_coordinator | (is_member & (is_aid_dispatcher | on_crisis_team))

rules.add_perm("care.view_clinics", is_admitted)
rules.add_perm("care.plan_clinic", is_health_coordinator)
rules.add_perm("care.run_clinic", is_health_coordinator | (is_member & works_clinic_day))
rules.add_perm("care.view_referrals", is_admitted)
rules.add_perm("care.manage_referrals", is_health_coordinator)
rules.add_perm("care.view_warm_line", is_admitted)
rules.add_perm("care.log_call", is_health_coordinator | (is_member & is_peer_supporter))
rules.add_perm("care.set_rota", is_health_coordinator)
rules.add_perm("care.view_crisis", sends_crisis_pairs)
rules.add_perm("care.dispatch_crisis", sends_crisis_pairs)
rules.add_perm("care.view_crisis_call", sends_crisis_pairs | is_crisis_pair)
rules.add_perm("care.respond_crisis", is_crisis_pair)
rules.add_perm("care.view_supplies", is_admitted)

CLINIC_PERMISSIONS = (
    "care.view_clinics",
    "care.plan_clinic",
    "care.run_clinic",
    "care.view_referrals",
    "care.manage_referrals",
    "care.view_warm_line",
    "care.log_call",
    "care.set_rota",
    "care.view_crisis",
    "care.dispatch_crisis",
    "care.view_crisis_call",
    "care.respond_crisis",
    "care.view_supplies",
)
