"""Minutes: drafted, open for amendment by attendees for a set time, adopted and locked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dualpower.errors import Conflict, InvalidInput
from dualpower.meetings import services
from dualpower.meetings.jobs import close_amendment_windows
from dualpower.meetings.models import Meeting, Minutes, MinutesRevision
from dualpower.meetings.services import (
    current_revision,
    minutes_adopt,
    minutes_amend,
    minutes_draft,
    minutes_open,
)
from dualpower.meetings.tests.factories import make_meeting, voters
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(community: Any) -> tuple[Meeting, list[Any]]:
    """An ended meeting with a draft: Ana took notes, Ana and Ben attended, Cai did not."""
    ana, ben, cai = voters(community, 3)
    meeting = make_meeting(community, note_taker=ana, agenda=[{"title": "Rent strike"}])
    services.meeting_start(meeting=meeting, by=None)
    services.attendance_check_in(meeting=meeting, membership=ana)
    services.attendance_check_in(meeting=meeting, membership=ben)
    item = meeting.items.get()
    minutes_draft(
        meeting=meeting,
        by=ana,
        summary="Twelve people came.",
        items={str(item.pk): {"notes": "Long discussion.", "decisions": "We strike from May."}},
    )
    services.meeting_end(meeting=meeting, by=ana)
    return meeting, [ana, ben, cai]


def test_every_draft_change_is_a_new_revision(ended: Any) -> None:
    meeting, (ana, _ben, _cai) = ended
    minutes_draft(meeting=meeting, by=ana, summary="Thirteen people came.", items={}, note="recount")
    revisions = list(MinutesRevision.objects.order_by("number").values_list("number", "summary"))
    assert revisions == [(1, "Twelve people came."), (2, "Thirteen people came.")]


def test_saving_unchanged_minutes_writes_nothing(ended: Any) -> None:
    meeting, (ana, _ben, _cai) = ended
    current = current_revision(meeting.minutes)
    assert current is not None
    with pytest.raises(InvalidInput):
        minutes_draft(meeting=meeting, by=ana, summary=current.summary, items=current.items)
    assert MinutesRevision.objects.count() == 1


def test_notes_for_an_item_of_another_meeting_are_refused(ended: Any, community: Any) -> None:
    meeting, (ana, _ben, _cai) = ended
    other = make_meeting(community, agenda=[{"title": "Elsewhere"}])
    with pytest.raises(InvalidInput):
        minutes_draft(meeting=meeting, by=ana, summary="x", items={str(other.items.get().pk): {"notes": "y"}})
    assert MinutesRevision.objects.count() == 1


def test_opening_tells_the_attendees_only(ended: Any) -> None:
    meeting, (ana, ben, _cai) = ended
    minutes_open(meeting=meeting, by=ana, hours=72)
    told = set(Notification.objects.filter(kind="meetings.minutes_open").values_list("user_id", flat=True))
    assert told == {ana.user_id, ben.user_id}


def test_minutes_open_only_once_the_meeting_has_ended(community: Any) -> None:
    (ana,) = voters(community, 1)
    meeting = make_meeting(community, status=Meeting.Status.IN_PROGRESS)
    minutes_draft(meeting=meeting, by=ana, summary="Notes")
    with pytest.raises(Conflict):
        minutes_open(meeting=meeting, by=ana)
    assert Minutes.objects.get().state == Minutes.State.DRAFT


def test_an_attendee_amends_with_a_reason_while_the_window_is_open(ended: Any) -> None:
    meeting, (ana, ben, cai) = ended
    minutes_open(meeting=meeting, by=ana, hours=72)
    with pytest.raises(InvalidInput):
        minutes_amend(meeting=meeting, by=ben, summary="Fourteen people came.", note=" ")
    with pytest.raises(Conflict):
        minutes_amend(meeting=meeting, by=cai, summary="I was there", note="I was")
    revision = minutes_amend(meeting=meeting, by=ben, summary="Fourteen people came.", note="I counted")
    assert (revision.number, revision.author, revision.note) == (2, ben, "I counted")
    assert MinutesRevision.objects.count() == 2


def test_the_clock_closes_the_window_then_the_minutes_are_adopted_and_locked(ended: Any) -> None:
    meeting, (ana, ben, _cai) = ended
    opened_at = timezone.now()
    minutes_open(meeting=meeting, by=ana, hours=72, now=opened_at)
    with pytest.raises(Conflict):
        minutes_adopt(meeting=meeting, by=ana)  # attendees still have time
    assert close_amendment_windows(opened_at + timedelta(hours=71)) == ""
    assert close_amendment_windows(opened_at + timedelta(hours=72)) == "1 amendment window closed"
    assert close_amendment_windows(opened_at + timedelta(hours=73)) == ""
    assert Notification.objects.filter(kind="meetings.minutes_ready", user=ana.user).exists()
    with pytest.raises(Conflict):
        minutes_amend(meeting=meeting, by=ben, summary="Late", note="late")
    minutes_adopt(meeting=meeting, by=ana)
    assert Minutes.objects.get().state == Minutes.State.ADOPTED
    for attempt in (
        lambda: minutes_draft(meeting=meeting, by=ana, summary="Changed"),
        lambda: minutes_amend(meeting=meeting, by=ben, summary="Changed", note="x"),
        lambda: minutes_adopt(meeting=meeting, by=ana),
    ):
        with pytest.raises(Conflict) as error:
            attempt()
        assert "locked" in error.value.detail
    assert MinutesRevision.objects.count() == 1


def test_attendance_is_final_once_minutes_are_adopted(ended: Any) -> None:
    meeting, (ana, _ben, cai) = ended
    minutes_open(meeting=meeting, by=ana, hours=1, now=timezone.now() - timedelta(hours=2))
    minutes_adopt(meeting=meeting, by=ana)
    with pytest.raises(Conflict):
        services.attendance_record(meeting=meeting, membership=cai, by=ana)
    assert meeting.attendances.count() == 2


@pytest.mark.parametrize("hours", [0, -5, 24 * 31, True, "72"])
def test_the_amendment_window_is_a_sensible_number_of_hours(ended: Any, hours: Any) -> None:
    meeting, (ana, _ben, _cai) = ended
    with pytest.raises(InvalidInput):
        minutes_open(meeting=meeting, by=ana, hours=hours)
    assert Minutes.objects.get().state == Minutes.State.DRAFT
