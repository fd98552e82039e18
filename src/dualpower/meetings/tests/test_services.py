"""The rules of meetings as the services keep them: scheduling, agenda, attendance, quorum, roles."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput
from dualpower.meetings import selectors, services
from dualpower.meetings.jobs import remind_the_day_before
from dualpower.meetings.models import AgendaItem, Attendance, Meeting
from dualpower.meetings.tests.factories import HOUR, general, make_meeting, room_proposal, soon, voters
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_scheduling_a_meeting_tells_the_voters_and_is_audited(community: Any) -> None:
    people = voters(community, 3)
    observer = make_membership(community, role=Membership.Role.OBSERVER, name="Olu")
    meeting = services.meeting_schedule(
        assembly=general(community),
        by=people[0],
        title="Spring assembly",
        starts_at=soon(48),
        ends_at=soon(50),
        place="Community hall",
        agenda=[{"title": "Welcome", "minutes_allotted": 5}, {"title": "Rent strike"}],
    )
    assert [i.title for i in selectors.agenda_of(meeting=meeting)] == ["Welcome", "Rent strike"]
    told = set(Notification.objects.filter(kind="meetings.scheduled").values_list("user_id", flat=True))
    assert told == {p.user_id for p in people}
    assert observer.user_id not in told
    assert AuditEntry.objects.filter(action="meeting.schedule", actor=people[0]).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"ends_at": "start"}, "ends_at"),
        ({"call_link": "javascript:alert(1)"}, "call_link"),
        ({"ends_at": "late"}, "ends_at"),
    ],
)
def test_a_bad_meeting_is_refused_and_nothing_written(community: Any, changes: dict, field: str) -> None:
    starts = soon(24)
    values: dict[str, Any] = {
        "title": "Assembly",
        "starts_at": starts,
        "ends_at": starts + HOUR,
        "call_link": "",
    }
    values.update(changes)
    if values["ends_at"] == "start":
        values["ends_at"] = starts
    if values["ends_at"] == "late":
        values["ends_at"] = starts + timedelta(hours=30)
    with pytest.raises(InvalidInput) as error:
        services.meeting_schedule(assembly=general(community), by=None, **values)
    assert error.value.field == field
    assert not Meeting.objects.exists()


def test_a_role_holder_must_sit_in_the_assembly(community: Any, other_community: Any) -> None:
    stranger = make_membership(other_community, name="Otto")
    with pytest.raises(InvalidInput):
        make_meeting(community, facilitator=stranger)
    assert not Meeting.objects.exists()


def test_moving_a_meeting_bumps_its_sequence_and_tells_people(community: Any) -> None:
    voters(community, 2)
    meeting = make_meeting(community)
    services.meeting_update(
        meeting=meeting, by=None, starts_at=meeting.starts_at + HOUR, ends_at=meeting.ends_at + HOUR
    )
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert Notification.objects.filter(kind="meetings.changed").count() == 2


def test_changing_only_a_role_does_not_notify(community: Any) -> None:
    (mara,) = voters(community, 1)
    meeting = make_meeting(community)
    services.meeting_update(meeting=meeting, by=None, timekeeper=mara)
    meeting.refresh_from_db()
    assert (meeting.timekeeper, meeting.sequence) == (mara, 0)
    assert not Notification.objects.filter(kind="meetings.changed").exists()


def test_a_cancelled_meeting_cannot_be_cancelled_again_or_started(community: Any) -> None:
    voters(community, 1)
    meeting = make_meeting(community)
    services.meeting_cancel(meeting=meeting, by=None)
    assert Notification.objects.filter(kind="meetings.cancelled").count() == 1
    with pytest.raises(Conflict):
        services.meeting_cancel(meeting=meeting, by=None)
    with pytest.raises(Conflict):
        services.meeting_start(meeting=meeting, by=None)
    with pytest.raises(Conflict):
        services.meeting_update(meeting=meeting, by=None, title="Again")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.title) == (Meeting.Status.CANCELLED, "Monthly assembly")


def test_the_time_of_a_started_meeting_stays(community: Any) -> None:
    meeting = make_meeting(community, status=Meeting.Status.IN_PROGRESS)
    with pytest.raises(Conflict):
        services.meeting_update(meeting=meeting, by=None, starts_at=meeting.starts_at + HOUR)


def test_agenda_items_keep_their_order_and_move(community: Any) -> None:
    meeting = make_meeting(community, agenda=[{"title": "A"}, {"title": "B"}, {"title": "C"}])
    c = meeting.items.get(title="C")
    services.agenda_item_move(item=c, by=None, up=True)
    services.agenda_item_move(item=c, by=None, up=True)
    services.agenda_item_move(item=c, by=None, up=True)  # already first: nothing happens
    assert [i.title for i in selectors.agenda_of(meeting=meeting)] == ["C", "A", "B"]
    services.agenda_item_remove(item=meeting.items.get(title="A"), by=None)
    services.agenda_item_add(meeting=meeting, by=None, title="D", minutes_allotted=10)
    assert [i.title for i in selectors.agenda_of(meeting=meeting)] == ["C", "B", "D"]


def test_an_agenda_item_links_only_a_proposal_of_the_same_assembly(
    community: Any, other_community: Any
) -> None:
    meeting = make_meeting(community)
    elsewhere = room_proposal(general(other_community))
    with pytest.raises(InvalidInput):
        services.agenda_item_add(meeting=meeting, by=None, title="X", proposal=elsewhere)
    with pytest.raises(InvalidInput):
        services.agenda_item_add(meeting=meeting, by=None, title="X", minutes_allotted=0)
    assert not AgendaItem.objects.exists()


def test_the_agenda_of_an_ended_meeting_is_fixed(community: Any) -> None:
    meeting = make_meeting(community, status=Meeting.Status.ENDED, agenda=[{"title": "A"}])
    with pytest.raises(Conflict):
        services.agenda_item_add(meeting=meeting, by=None, title="Late")
    assert meeting.items.count() == 1


def test_check_in_is_open_only_while_the_meeting_is_in_progress(community: Any) -> None:
    (mara,) = voters(community, 1)
    meeting = make_meeting(community)
    with pytest.raises(Conflict):
        services.attendance_check_in(meeting=meeting, membership=mara)
    services.meeting_start(meeting=meeting, by=None)
    services.attendance_check_in(meeting=meeting, membership=mara)
    with pytest.raises(Conflict):
        services.attendance_check_in(meeting=meeting, membership=mara)
    assert Attendance.objects.count() == 1


def test_someone_of_another_community_cannot_be_recorded_present(
    community: Any, other_community: Any
) -> None:
    (mara,) = voters(community, 1)
    meeting = make_meeting(community, status=Meeting.Status.IN_PROGRESS)
    with pytest.raises(InvalidInput):
        services.attendance_record(meeting=meeting, membership=make_membership(other_community), by=mara)
    assert not Attendance.objects.exists()


def test_quorum_counts_voters_present_against_the_policy(community: Any) -> None:
    people = voters(community, 10)
    observer = make_membership(community, role=Membership.Role.OBSERVER, name="Olu")
    meeting = make_meeting(
        community, assembly=general(community, quorum="0.25"), status=Meeting.Status.IN_PROGRESS
    )
    quorum = selectors.quorum_of(meeting=meeting)
    assert (quorum.eligible, quorum.needed, quorum.present, quorum.reached) == (10, 3, 0, False)
    for person in people[:2]:
        services.attendance_check_in(meeting=meeting, membership=person)
    services.attendance_check_in(meeting=meeting, membership=observer)
    quorum = selectors.quorum_of(meeting=meeting)
    assert (quorum.present, quorum.others, quorum.missing, quorum.reached) == (2, 1, 1, False)
    services.attendance_record(meeting=meeting, membership=people[2], by=people[0])
    assert selectors.quorum_of(meeting=meeting).reached


def test_roles_rotate_to_whoever_held_them_least_recently(community: Any) -> None:
    ana, ben, cai = (make_membership(community, name=n) for n in ("Ana", "Ben", "Cai"))
    assembly = general(community)
    past = timezone.now() - timedelta(days=30)
    make_meeting(community, starts_at=past, facilitator=ana, note_taker=ben, timekeeper=cai)
    make_meeting(
        community, starts_at=past + timedelta(days=7), facilitator=ben, note_taker=cai, timekeeper=ana
    )
    suggestion = selectors.suggest_roles(assembly=assembly)
    # Facilitator: Cai never held it. Note-taker: Ana never did. Timekeeper: Ben never did.
    assert suggestion == {"facilitator": cai, "note_taker": ana, "timekeeper": ben}


def test_a_new_assembly_suggests_three_different_people(community: Any) -> None:
    voters(community, 3)
    suggestion = selectors.suggest_roles(assembly=general(community))
    assert len({m.pk for m in suggestion.values() if m}) == 3


def test_the_reminder_the_day_before_is_sent_once(community: Any) -> None:
    voters(community, 2)
    meeting = make_meeting(community, starts_at=soon(20))
    make_meeting(community, title="Far off", starts_at=soon(24 * 5))
    now = timezone.now()
    assert remind_the_day_before(now) == "1 reminder sent"
    assert remind_the_day_before(now) == ""
    assert Notification.objects.filter(kind="meetings.reminder").count() == 2
    services.meeting_update(
        meeting=meeting, by=None, starts_at=meeting.starts_at + HOUR, ends_at=meeting.ends_at + HOUR
    )
    assert remind_the_day_before(now) == "1 reminder sent"  # moved: people hear again


def test_upcoming_meetings_of_an_assembly(community: Any) -> None:
    assembly = general(community)
    later = make_meeting(community, title="Later", starts_at=soon(72))
    sooner = make_meeting(community, title="Sooner", starts_at=soon(24))
    make_meeting(
        community, title="Over", starts_at=timezone.now() - timedelta(days=3), status=Meeting.Status.ENDED
    )
    make_meeting(community, title="Off", status=Meeting.Status.CANCELLED)
    assert selectors.upcoming_meetings(assembly=assembly, limit=5) == [sooner, later]
    assert selectors.upcoming_meetings(assembly=assembly, limit=1) == [sooner]
