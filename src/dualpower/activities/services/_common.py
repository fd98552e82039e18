"""What the activities' services accept: limits on what people type, the places an activity
offers, who may take part and who may organise.

Shared by the organisers' verbs (series.py, occurrences.py, schedules.py), taking part (signups.py)
and trust (trust.py), so each refusal has one sentence wherever it happens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dualpower.activities.models import TrustRole
from dualpower.clean import clean_int, clean_text
from dualpower.community.models import Community
from dualpower.errors import InvalidInput, PermissionDenied
from dualpower.groups.models import WorkingGroup
from dualpower.groups.selectors import convened_group_ids
from dualpower.members.models import Membership

TITLE_MAX = 120
TEXT_MAX = 5000
PLACE_MAX = 120
LABEL_MAX = 60
NOTE_MAX = 2000
MAX_SLOTS = 12
MAX_CAPACITY = 500
MAX_WEEKS_AHEAD = 12
REMIND_BEFORE = dt.timedelta(hours=24)
# Leaving this close to the start tells the organisers, so they can find someone else.
LATE_LEAVE = dt.timedelta(hours=24)


@dataclass(frozen=True)
class SlotSpec:
    label: str
    capacity: int
    required_role: TrustRole | None = None


def member_of(community: Community, membership: Membership | None) -> Membership:
    if membership is None or membership.community_id != community.pk or not membership.is_active:
        raise PermissionDenied(_("Only people admitted to this community can do this."))
    return membership


def takes_part(community: Community, membership: Membership | None) -> Membership:
    membership = member_of(community, membership)
    if membership.role == Membership.Role.OBSERVER:
        raise PermissionDenied(_("Observers follow activities but do not take places in them."))
    return membership


def clean_slots(community: Community, slots: Sequence[SlotSpec]) -> list[SlotSpec]:
    if not slots:
        raise InvalidInput(_("Add at least one kind of place, e.g. “packers: 2”."), field="slots")
    if len(slots) > MAX_SLOTS:
        raise InvalidInput(_("At most %(n)d kinds of place.") % {"n": MAX_SLOTS}, field="slots")
    cleaned: list[SlotSpec] = []
    seen: set[str] = set()
    for spec in slots:
        label = clean_text(
            spec.label,
            field="slots",
            label=_("A kind of place's name"),
            limit=LABEL_MAX,
            required=True,
        )
        if label.lower() in seen:
            raise InvalidInput(_("“%(label)s” is listed twice.") % {"label": label}, field="slots")
        seen.add(label.lower())
        capacity = clean_int(
            spec.capacity,
            field="slots",
            label=_("Places for “%(label)s”") % {"label": label},
            low=1,
            high=MAX_CAPACITY,
        )
        role = spec.required_role
        if role is not None and role.community_id != community.pk:
            raise InvalidInput(_("That trust role is not one of this community's."), field="slots")
        cleaned.append(SlotSpec(label=label, capacity=capacity, required_role=role))
    return cleaned


def check_group(community: Community, group: WorkingGroup | None, by: Membership | None) -> None:
    if group is not None and group.community_id != community.pk:
        raise InvalidInput(_("That working group is not one of this community's."), field="group")
    if by is not None and by.role == Membership.Role.COORDINATOR:
        return
    # Conveners organise activities for their own groups; coordinators for anyone.
    convenes = group is not None and group.pk in convened_group_ids(membership=by)
    if not convenes:
        raise PermissionDenied(_("Choose a working group you convene: its activities are yours to organise."))
