"""The API's list of coming activities as prepared rows (``api_prepared``): the occurrences of a
page from the prepared query the activities page reads, then their places and the people in them
in one query of plain values, no model instance made for a place or a sign-up.

Each row is ``ActivityOut`` as a dict, its fields in the schema's order;
tests/test_api_prepared.py checks it against the schema's own reading of the models.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dualpower.activities import selectors
from dualpower.activities.models import Activity, Slot
from dualpower.api_prepared import PreparedPage
from dualpower.community.models import Community
from dualpower.members.models import Membership

# Slot → SignUp is one to many: a place with nobody in it comes once, with None for the sign-up.
_PLACES = (
    "activity_id",
    "id",
    "label",
    "capacity",
    "taken",
    "required_role__slug",
    "signups__id",
    "signups__membership_id",
    "signups__membership__display_name",
    "signups__no_show",
)


def upcoming_page(*, community: Community, membership: Membership | None) -> PreparedPage:
    """``selectors.upcoming_listed`` as prepared rows: those I have a place in first."""
    now = timezone.now()
    me = membership.pk if membership is not None else None
    return PreparedPage(
        window=lambda limit, offset: selectors.coming_window(
            community=community, membership=membership, now=now, limit=limit, offset=offset
        ),
        count=lambda: selectors.coming_count(community=community, now=now),
        convert=lambda activities: activity_rows(activities, me=me),
    )


def activity_rows(activities: list[Activity], *, me: int | None) -> list[dict[str, Any]]:
    """``ActivityOut`` of each of ``activities`` (read with their series), ``my_signup_id`` being
    the place ``me`` (a membership id) has in it, as ``selectors.with_places`` finds it."""
    slots: dict[int, list[dict[str, Any]]] = {a.pk: [] for a in activities}
    mine: dict[int, int] = {}
    last: dict[str, Any] | None = None
    places = (
        Slot.objects.filter(activity_id__in=slots)
        .order_by("position", "id", "signups__created_at", "signups__id")
        .values_list(*_PLACES)
    )
    for activity_id, pk, label, capacity, taken, role, signup, member, name, no_show in places:
        if last is None or last["id"] != pk:
            last = {
                "id": pk,
                "label": label,
                "capacity": capacity,
                "taken": taken,
                "required_role": role,
                "signups": [],
            }
            slots[activity_id].append(last)
        if signup is not None:
            person = {"id": signup, "member_id": member, "display_name": name, "no_show": no_show}
            last["signups"].append(person)
            if member == me:
                mine[activity_id] = signup
    return [
        {
            "id": a.pk,
            "series_id": a.series_id,
            "title": a.series.title,
            "place": a.series.place,
            "starts_at": a.starts_at,
            "ends_at": a.ends_at,
            "is_cancelled": a.is_cancelled,
            "my_signup_id": mine.get(a.pk),
            "slots": slots[a.pk],
        }
        for a in activities
    ]
