"""Who may do what with meetings: every permission against every role.

The meeting is a working group's (Food), in progress. "member" is in the group and checked in;
"elsewhere" is a member of the community in another assembly only (not in the group); the
teller is another group member who entered a count the member may witness.
"""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.assemblies.services import assembly_create
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.meetings import services
from dualpower.meetings.models import Meeting
from dualpower.meetings.rules import PERMISSIONS
from dualpower.meetings.services import tally_enter
from dualpower.meetings.tests.factories import general, make_meeting, room_proposal
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "applicant", "observer", "member", "elsewhere", "coordinator", "outsider")
ADMITTED = {"observer", "member", "elsewhere", "coordinator"}
COORD = {"coordinator"}
EXPECTED: dict[str, set[str]] = {
    "meetings.list_meetings": ADMITTED,
    "meetings.view_meeting": ADMITTED,
    "meetings.view_feeds": ADMITTED,
    "meetings.schedule_meeting": COORD,
    "meetings.change_meeting": COORD,
    "meetings.cancel_meeting": COORD,
    "meetings.run_meeting": COORD,
    "meetings.change_agenda": COORD,
    # The group's members vote; the community's other members and coordinators may sit in.
    "meetings.check_in": {"member", "elsewhere", "coordinator"},
    "meetings.record_attendance": COORD,
    "meetings.draft_minutes": COORD,
    "meetings.open_minutes": COORD,
    "meetings.amend_minutes": {"member"},
    "meetings.adopt_minutes": COORD,
    "meetings.enter_tally": {"member"},
    "meetings.witness_tally": {"member"},
    "meetings.rotate_assembly_feed": COORD,
}


def test_every_permission_is_in_the_matrix() -> None:
    assert set(EXPECTED) == set(PERMISSIONS)


@pytest.fixture
def world(community: Any, people: dict[str, Any]) -> dict[str, Any]:
    food = WorkingGroup.objects.get(community=community, slug="food")
    assembly = assembly_create(
        community=community, name="Food group", kind="working_group", working_group=food
    )
    member = membership_of(people["member"], community)
    teller = make_membership(community, name="Tess")
    for m in (member, teller):
        GroupMembership.objects.create(group=food, membership=m)
    elsewhere = make_membership(community, name="Elsa")
    proposal = room_proposal(assembly)
    meeting = make_meeting(
        community,
        assembly=assembly,
        status=Meeting.Status.IN_PROGRESS,
        agenda=[{"title": "Menu", "proposal": proposal}],
    )
    for m in (member, teller):
        services.attendance_check_in(meeting=meeting, membership=m)
    tally = tally_enter(item=meeting.items.get(), teller=teller, counts={"agree": 2}, present=2)
    users = {**people, "elsewhere": elsewhere.user}
    return {"assembly": assembly, "meeting": meeting, "tally": tally, "users": users, "teller": teller}


def _object(perm: str, world: dict[str, Any], community: Any) -> Any:
    if perm in ("meetings.list_meetings", "meetings.view_feeds"):
        return community
    if perm in ("meetings.schedule_meeting", "meetings.rotate_assembly_feed"):
        return world["assembly"]
    if perm == "meetings.witness_tally":
        return world["tally"]
    return world["meeting"]


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_the_permission_matrix(world: dict[str, Any], community: Any, perm: str) -> None:
    obj = _object(perm, world, community)
    allowed = {role for role in ROLES if world["users"][role].has_perm(perm, obj)}
    assert allowed == EXPECTED[perm]


def test_the_teller_cannot_witness_their_own_count(world: dict[str, Any]) -> None:
    assert not world["teller"].user.has_perm("meetings.witness_tally", world["tally"])


def test_a_convener_runs_their_groups_meetings_but_not_the_general_assembly(
    world: dict[str, Any], community: Any, people: dict[str, Any]
) -> None:
    GroupMembership.objects.filter(membership__user=people["member"]).update(is_convener=True)
    user = people["member"]
    assert user.has_perm("meetings.schedule_meeting", world["assembly"])
    assert user.has_perm("meetings.record_attendance", world["meeting"])
    assert not user.has_perm("meetings.schedule_meeting", general(community))


def test_the_facilitator_and_note_taker_hold_their_roles(community: Any, people: dict[str, Any]) -> None:
    member = membership_of(people["member"], community)
    meeting = make_meeting(community, facilitator=member)
    user = people["member"]
    assert user.has_perm("meetings.run_meeting", meeting)
    assert user.has_perm("meetings.record_attendance", meeting)
    assert not user.has_perm("meetings.draft_minutes", meeting)
    assert not user.has_perm("meetings.cancel_meeting", meeting)
    services.meeting_update(meeting=meeting, by=None, facilitator=None, note_taker=member)
    meeting.refresh_from_db()
    assert user.has_perm("meetings.draft_minutes", meeting)
    assert not user.has_perm("meetings.run_meeting", meeting)


def test_observers_of_the_general_assembly_check_in_but_do_not_count_votes(
    community: Any, people: dict[str, Any]
) -> None:
    meeting = make_meeting(community, status=Meeting.Status.IN_PROGRESS)
    observer = people["observer"]
    assert observer.has_perm("meetings.check_in", meeting)
    services.attendance_check_in(meeting=meeting, membership=membership_of(observer, community))
    assert observer.has_perm("meetings.amend_minutes", meeting)
    assert not observer.has_perm("meetings.enter_tally", meeting)
