"""What the activities' services accept: limits on what people type, the places an activity
offers, who may take part and who may organise.

Shared by the organisers' verbs (services.py, occurrences.py), taking part (signups.py) and trust
(trust.py), so each refusal has one sentence wherever it happens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from dualpower.activities.models import TrustRole
from dualpower.community.models import Community
from dualpower.errors import InvalidInput, PermissionDenied
from dualpower.groups.models import GroupMembership, WorkingGroup
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


def _text(value: Any, *, field: str, limit: int, required: bool = False, what: str = "") -> str:
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise InvalidInput(what or _("This is required."), field=field)
    if len(text) > limit:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return text


def _int(value: Any, *, field: str, low: int, high: int, message: str) -> int:
    if isinstance(value, bool):
        raise InvalidInput(message, field=field)
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise InvalidInput(message, field=field) from None
    if not low <= number <= high:
        raise InvalidInput(message, field=field)
    return number


def _member_of(community: Community, membership: Membership | None) -> Membership:
    if membership is None or membership.community_id != community.pk or not membership.is_active:
        raise PermissionDenied(_("Only people admitted to this community can do this."))
    return membership


def _takes_part(community: Community, membership: Membership | None) -> Membership:
    membership = _member_of(community, membership)
    if membership.role == Membership.Role.OBSERVER:
        raise PermissionDenied(_("Observers follow activities but do not take places in them."))
    return membership


def _clean_slots(community: Community, slots: Sequence[SlotSpec]) -> list[SlotSpec]:
    if not slots:
        raise InvalidInput(_("Add at least one kind of place, e.g. “packers: 2”."), field="slots")
    if len(slots) > MAX_SLOTS:
        raise InvalidInput(_("At most %(n)d kinds of place.") % {"n": MAX_SLOTS}, field="slots")
    cleaned: list[SlotSpec] = []
    seen: set[str] = set()
    for spec in slots:
        label = _text(
            spec.label,
            field="slots",
            limit=LABEL_MAX,
            required=True,
            what=_("Each kind of place needs a name."),
        )
        if label.lower() in seen:
            raise InvalidInput(_("“%(label)s” is listed twice.") % {"label": label}, field="slots")
        seen.add(label.lower())
        capacity = _int(
            spec.capacity,
            field="slots",
            low=1,
            high=MAX_CAPACITY,
            message=_("Places for “%(label)s” must be a whole number from 1 to %(n)d.")
            % {"label": label, "n": MAX_CAPACITY},
        )
        role = spec.required_role
        if role is not None and role.community_id != community.pk:
            raise InvalidInput(_("That trust role is not one of this community's."), field="slots")
        cleaned.append(SlotSpec(label=label, capacity=capacity, required_role=role))
    return cleaned


def _check_group(community: Community, group: WorkingGroup | None, by: Membership | None) -> None:
    if group is not None and group.community_id != community.pk:
        raise InvalidInput(_("That working group is not one of this community's."), field="group")
    if by is not None and by.role == Membership.Role.COORDINATOR:
        return
    # Conveners organise activities for their own groups; coordinators for anyone.
    convenes = (
        group is not None
        and GroupMembership.objects.filter(
            group=group, membership=by, is_convener=True, status=GroupMembership.Status.ACTIVE
        ).exists()
    )
    if not convenes:
        raise PermissionDenied(_("Choose a working group you convene: its activities are yours to organise."))
