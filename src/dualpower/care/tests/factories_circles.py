"""Build care circles for tests: a circle for Mara ("member") with a pod, through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet
from django.utils import timezone

from dualpower.care.models.circles import Circle, Helper, Need
from dualpower.care.selectors.circles import care_settings
from dualpower.care.services import circles as services
from dualpower.community.models import Community
from dualpower.groups.models import WorkingGroup
from dualpower.groups.tests.factories import put_in_group
from dualpower.members.models import Membership
from dualpower.members.tests.factories import MembershipFactory, membership_of

SECRET_NOTE = "Ana is frightened of the night-time; her sister's number is 611 222 333"
SECRET_DETAILS = "Flat 3, 14 Calle Mayor, door code 4471; no nuts"

# The roles of a circle beside the shared ROLES (the circle is for "member", Mara).
CIRCLE_ROLES = (
    "keeper",
    "helper",
    "notes_helper",
    "invited",
    "outside_helper",
    "health_coordinator",
    "dispatcher",
)


@dataclass
class CircleWorld:
    community: Community
    circle: Circle
    other_circle: Circle  # one where "outside_helper" helps
    person: Membership
    keeper: Membership
    helper: Helper
    notes_helper: Helper
    invited: Helper
    need: Need  # taken by "helper"
    open_need: Need
    users: dict[str, Any]


def member(community: Community, name: str, role: str = Membership.Role.MEMBER) -> Membership:
    return MembershipFactory.create(community=community, display_name=name, role=role)


def health_group(community: Community) -> WorkingGroup:
    group = care_settings(community=community).health_group
    assert group is not None  # the starter "health" group
    return group


def circle_for(
    person: Membership, *, title: str = "Meals while Mara recovers", kind: str = "surgery"
) -> Circle:
    return services.circle_open(
        community=person.community, opened_by=person, person=person, kind=kind, title=title
    )


def helper_in(
    circle: Circle, membership: Membership, *, sees: str = Helper.Sees.SLOTS, accept: bool = True
) -> Helper:
    by = circle.keeper
    assert by is not None
    helper = services.helper_invite(circle=circle, by=by, membership=membership, sees=sees)
    if accept:
        answered = services.helper_answer(helper=helper, accept=True)
        assert answered is not None
        return answered
    return helper


def need_in(circle: Circle, *, kind: str = "meal", details: str = SECRET_DETAILS, hours: int = 24) -> Need:
    by = circle.keeper
    assert by is not None
    return services.need_add(
        circle=circle,
        by=by,
        kind=kind,
        starts_at=timezone.now() + dt.timedelta(hours=hours),
        label="Dinner for two",
        details=details,
    )


TEST_KEY = Fernet.generate_key().decode()


def make_world(community: Community, people: dict[str, Any], settings: Any) -> CircleWorld:
    """Mara's circle: Kim runs it with her (handed over), Hana helps (slots) and took a meal,
    Nico helps and reads the notes, Ines is invited; Omar helps in another member's circle only;
    Hugo convenes the health group; Dina is an aid dispatcher."""
    from dualpower.aid.services import dispatcher_grant

    # A key from settings (pytest-django's ``settings``), so tests never write a key file.
    settings.DP_AID_KEY = TEST_KEY
    person = membership_of(people["member"], community)
    users = dict(people)

    def add(role: str, name: str) -> Membership:
        membership = member(community, name)
        users[role] = membership.user
        return membership

    keeper = add("keeper", "Kim")
    hana, nico, ines, omar = (
        add(r, n)
        for r, n in [
            ("helper", "Hana"),
            ("notes_helper", "Nico"),
            ("invited", "Ines"),
            ("outside_helper", "Omar"),
        ]
    )
    hugo = add("health_coordinator", "Hugo")
    put_in_group(health_group(community), hugo, convener=True)
    dina = add("dispatcher", "Dina")
    dispatcher_grant(community=community, membership=dina, by=None)

    circle = circle_for(person)
    services.note_add(circle=circle, author=person, body=SECRET_NOTE)
    services.circle_hand_over(circle=circle, by=person, to=keeper)
    circle.refresh_from_db()
    helper = helper_in(circle, hana)
    notes_helper = helper_in(circle, nico, sees=Helper.Sees.NOTES)
    invited = helper_in(circle, ines, accept=False)
    need = need_in(circle)
    services.need_take(need=need, helper=helper)
    need.refresh_from_db()
    open_need = need_in(circle, kind="ride", details="Pick up at the clinic door", hours=48)

    other_person = member(community, "Pia")
    other_circle = circle_for(other_person, title="Visits for Pia", kind="elder")
    helper_in(other_circle, omar)
    return CircleWorld(
        community=community,
        circle=circle,
        other_circle=other_circle,
        person=person,
        keeper=keeper,
        helper=helper,
        notes_helper=notes_helper,
        invited=invited,
        need=need,
        open_need=open_need,
        users=users,
    )
