"""Votes in the room: a teller counts, another member witnesses, only then the count counts."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.assemblies import sources
from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput
from dualpower.meetings import services
from dualpower.meetings.models import Meeting, RoomTally
from dualpower.meetings.services import tally_confirm, tally_dispute, tally_enter
from dualpower.meetings.tests.factories import general, make_meeting, room_proposal, voters
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(community: Any) -> dict[str, Any]:
    """A meeting in progress with a consensus proposal on the agenda; five voters checked in."""
    people = voters(community, 6)
    proposal = room_proposal(general(community))
    meeting = make_meeting(
        community, status=Meeting.Status.IN_PROGRESS, agenda=[{"title": "Paint", "proposal": proposal}]
    )
    for person in people[:5]:
        services.attendance_check_in(meeting=meeting, membership=person)
    return {"meeting": meeting, "item": meeting.items.get(), "proposal": proposal, "people": people}


def test_a_witnessed_count_reaches_the_proposal(room: dict) -> None:
    teller, witness = room["people"][:2]
    tally = tally_enter(item=room["item"], teller=teller, counts={"agree": 4, "stand_aside": 1}, present=5)
    assert sources.counts_for(room["proposal"]) == []  # not yet witnessed: it does not count
    tally_confirm(tally=tally, witness=witness)
    (count,) = sources.counts_for(room["proposal"])
    assert count.source == "meetings.room"
    assert count.counts["agree"] == 4 and count.counts["stand_aside"] == 1 and count.counts["block"] == 0
    assert "teller Voter 0" in count.description and "witness Voter 1" in count.description
    assert count.link == room["meeting"].get_absolute_url()
    assert AuditEntry.objects.filter(action="meeting.tally_confirm", actor=witness).exists()


def test_the_teller_cannot_witness_their_own_count(room: dict) -> None:
    teller = room["people"][0]
    tally = tally_enter(item=room["item"], teller=teller, counts={"agree": 5}, present=5)
    with pytest.raises(Conflict):
        tally_confirm(tally=tally, witness=teller)
    tally.refresh_from_db()
    assert tally.witness is None and tally.confirmed_at is None


def test_a_witness_must_be_in_the_room(room: dict) -> None:
    teller, absent = room["people"][0], room["people"][5]
    tally = tally_enter(item=room["item"], teller=teller, counts={"agree": 5}, present=5)
    with pytest.raises(Conflict):
        tally_confirm(tally=tally, witness=absent)
    assert not RoomTally.objects.filter(confirmed_at__isnull=False).exists()


def test_an_observer_in_the_room_is_neither_teller_nor_witness(room: dict, community: Any) -> None:
    observer = make_membership(community, role=Membership.Role.OBSERVER, name="Olu")
    services.attendance_check_in(meeting=room["meeting"], membership=observer)
    with pytest.raises(Conflict):
        tally_enter(item=room["item"], teller=observer, counts={"agree": 5}, present=5)
    tally = tally_enter(item=room["item"], teller=room["people"][0], counts={"agree": 5}, present=5)
    with pytest.raises(Conflict):
        tally_confirm(tally=tally, witness=observer)


@pytest.mark.parametrize(
    ("counts", "present", "field"),
    [
        ({"agree": 6}, 6, "present"),  # six present, but only five voters are checked in
        ({"agree": 4, "disagree": 2}, 5, "counts"),  # more hands than people present
        ({"agree": -1}, 5, "counts"),
        ({"agree": 2.5}, 5, "counts"),
        ({"object": 1}, 5, "counts"),  # consensus has no "object" position
        ({"agree": 0}, 5, "counts"),
        ({"agree": 1}, 0, "present"),
    ],
)
def test_impossible_counts_are_refused_and_nothing_written(
    room: dict, counts: dict, present: int, field: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        tally_enter(item=room["item"], teller=room["people"][0], counts=counts, present=present)
    assert error.value.field == field
    assert not RoomTally.objects.exists()


def test_an_unwitnessed_count_can_be_redone_but_a_witnessed_one_is_final(room: dict) -> None:
    ana, ben, cai = room["people"][:3]
    tally_enter(item=room["item"], teller=ana, counts={"agree": 3}, present=5)
    tally = tally_enter(item=room["item"], teller=ben, counts={"agree": 4}, present=5)
    assert RoomTally.objects.get().counts["agree"] == 4
    tally_confirm(tally=tally, witness=cai)
    with pytest.raises(Conflict):
        tally_enter(item=room["item"], teller=ana, counts={"agree": 1}, present=5)
    with pytest.raises(Conflict):
        tally_dispute(tally=tally, by=ana)
    assert RoomTally.objects.get().counts["agree"] == 4


def test_a_disputed_count_is_discarded_for_a_recount(room: dict) -> None:
    ana, ben = room["people"][:2]
    tally = tally_enter(item=room["item"], teller=ana, counts={"agree": 5}, present=5)
    tally_dispute(tally=tally, by=ben)
    assert not RoomTally.objects.exists()
    assert AuditEntry.objects.filter(action="meeting.tally_dispute", actor=ben).exists()


def test_an_online_proposal_is_not_counted_in_the_room(room: dict) -> None:
    room["proposal"].voting_mode = "online"
    room["proposal"].save()
    with pytest.raises(Conflict):
        tally_enter(item=room["item"], teller=room["people"][0], counts={"agree": 5}, present=5)
    assert not RoomTally.objects.exists()


def test_no_count_once_the_meeting_has_ended(room: dict) -> None:
    services.meeting_end(meeting=room["meeting"], by=None)
    with pytest.raises(Conflict):
        tally_enter(item=room["item"], teller=room["people"][0], counts={"agree": 5}, present=5)


def test_a_proposal_is_counted_in_the_room_once(room: dict, community: Any) -> None:
    ana, ben = room["people"][:2]
    tally_confirm(
        tally=tally_enter(item=room["item"], teller=ana, counts={"agree": 5}, present=5), witness=ben
    )
    again = services.agenda_item_add(
        meeting=room["meeting"], by=None, title="Paint (again)", proposal=room["proposal"]
    )
    with pytest.raises(Conflict):
        tally_enter(item=again, teller=ana, counts={"agree": 1}, present=5)
    assert RoomTally.objects.count() == 1
    assert len(sources.counts_for(room["proposal"])) == 1


def test_a_witnessed_room_count_decides_the_proposal_at_once(community: Any) -> None:
    """End to end with the assemblies app: the witness's confirmation closes the vote, and the
    witnessed count is what the outcome records (no week of waiting for the clock)."""
    from dualpower.assemblies.models import Proposal
    from dualpower.assemblies.services import proposal_close, proposal_create, proposal_open_voting
    from dualpower.errors import Conflict

    people = voters(community, 4)
    assembly = general(community)
    proposal = proposal_create(
        assembly=assembly, by=people[0], title="Paint the hall green", process="majority", voting_mode="room"
    )
    proposal_open_voting(proposal=proposal, by=None)
    proposal.refresh_from_db()
    meeting = make_meeting(
        community, status=Meeting.Status.IN_PROGRESS, agenda=[{"title": "Paint", "proposal": proposal}]
    )
    for person in people:
        services.attendance_check_in(meeting=meeting, membership=person)
    tally = tally_enter(
        item=meeting.items.get(), teller=people[0], counts={"agree": 3, "disagree": 1}, present=4
    )
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.VOTING  # entered, not yet witnessed: nothing decided
    tally_confirm(tally=tally, witness=people[1])
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.CLOSED
    outcome = proposal.outcome
    assert outcome.passed is True
    assert outcome.source == "room"
    assert outcome.link == meeting.get_absolute_url()
    assert "teller Voter 0, witness Voter 1" in outcome.statement
    with pytest.raises(Conflict):  # the clock finds nothing left to close
        proposal_close(proposal=proposal, now=proposal.voting_closes_at)


def test_a_witnessed_count_decides_a_proposal_still_in_discussion(community: Any) -> None:
    """A proposal taken up in the room before its online window opened is decided all the same."""
    from dualpower.assemblies.models import Proposal
    from dualpower.assemblies.services import proposal_create

    people = voters(community, 3)
    proposal = proposal_create(
        assembly=general(community),
        by=people[0],
        title="Fix the roof",
        process="majority",
        voting_mode="room",
    )
    assert proposal.state == Proposal.State.DISCUSSION
    meeting = make_meeting(
        community, status=Meeting.Status.IN_PROGRESS, agenda=[{"title": "Roof", "proposal": proposal}]
    )
    for person in people:
        services.attendance_check_in(meeting=meeting, membership=person)
    tally = tally_enter(
        item=meeting.items.get(), teller=people[0], counts={"agree": 1, "disagree": 2}, present=3
    )
    tally_confirm(tally=tally, witness=people[2])
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.CLOSED
    assert proposal.outcome.passed is False
    assert proposal.outcome.source == "room"
