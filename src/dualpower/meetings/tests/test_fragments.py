"""The meeting's page keeps what it shows while the data is unchanged (web/fragments.py): a second
visit, with nothing written between, asks the database for the visitor's session alone (nothing of
the meeting's agenda, counts, attendance, quorum or minutes), a write shows on the next visit, and
what one person was shown is never served to another who may do something else (run the meeting,
witness a count).

Transactional tests: inside an ordinary test's transaction no fragment is kept."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dualpower.meetings import services
from dualpower.meetings.models import Meeting
from dualpower.meetings.selectors import room_positions
from dualpower.meetings.tests.factories import general, make_meeting, room_proposal
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership, membership_of
from dualpower.web.tests.kept import SESSION_ALONE, signed_in, visit, without_tokens

pytestmark = [
    # Not in the PostgreSQL pass: what a page keeps is the same code on both databases; the count
    # it is keyed by is checked on both by tests/test_fragments.py (transactional tests cost a
    # flush of every table each on PostgreSQL).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_log_emptied_after"),
]


def running(community: Any, coordinator: Membership) -> tuple[Meeting, str]:
    """A meeting in progress with a vote in the room on its agenda, the coordinator checked in."""
    meeting = make_meeting(community, status=Meeting.Status.IN_PROGRESS, agenda=[{"title": "Welcome"}])
    services.agenda_item_add(
        meeting=meeting, by=None, title="Paint", proposal=room_proposal(general(community))
    )
    services.attendance_check_in(meeting=meeting, membership=coordinator)
    return meeting, f"/c/{community.slug}/meetings/{meeting.pk}/"


def test_the_page_is_kept_until_a_write(community: Any, people: dict[str, Any]) -> None:
    coordinator = membership_of(people["coordinator"], community)
    member = membership_of(people["member"], community)
    meeting, url = running(community, coordinator)
    (client,) = signed_in(people["coordinator"])
    _, page = visit(client, url)
    second, again = visit(client, url)
    assert second == SESSION_ALONE
    assert without_tokens(again) == without_tokens(page)
    assert "1 voter present of 2" in again and member.display_name in again  # in the picker
    # Writes through the services show on the next visit: a check-in, an item on the agenda.
    services.attendance_check_in(meeting=meeting, membership=member)
    _, after = visit(client, url)
    assert "2 voters present of 2" in after
    assert re.search(rf"<li>{member.display_name}\s", after)  # now on the attendance list
    services.agenda_item_add(meeting=meeting, by=None, title="Any other business")
    _, later = visit(client, url)
    assert "Any other business" in later and "Any other business" not in after


def test_the_quorum_box_is_kept_until_a_check_in(community: Any, people: dict[str, Any]) -> None:
    coordinator = membership_of(people["coordinator"], community)
    meeting, url = running(community, coordinator)
    (client,) = signed_in(people["member"])
    _, box = visit(client, url + "quorum/")
    second, again = visit(client, url + "quorum/")
    assert second == SESSION_ALONE  # the box htmx polls: not its counts
    assert again == box and "1 voter present of 2" in box
    services.attendance_check_in(meeting=meeting, membership=membership_of(people["member"], community))
    _, after = visit(client, url + "quorum/")
    assert "2 voters present of 2" in after


def test_what_the_coordinator_was_shown_is_not_served_to_a_member(
    community: Any, people: dict[str, Any]
) -> None:
    coordinator = membership_of(people["coordinator"], community)
    _meeting, url = running(community, coordinator)
    # Everyone signs in first: signing in writes (the last login), which would drop what is kept.
    runner, member = signed_in(people["coordinator"], people["member"])
    visit(runner, url)
    _, seen = visit(runner, url)
    assert "End the meeting…" in seen and "Record as present" in seen and "Move up" in seen
    assert "You are checked in." in seen
    _, other = visit(member, url)
    assert "End the meeting…" not in other and "Record as present" not in other and "Move up" not in other
    assert "You are checked in." not in other and "I am here: check in" in other


def test_a_count_is_witnessed_by_another_voter_than_its_teller(
    community: Any, people: dict[str, Any]
) -> None:
    """Two members checked in, alike but for the count one of them entered: the teller may not
    witness it, the other may (the fragment's key is each one's own)."""
    coordinator = membership_of(people["coordinator"], community)
    meeting, url = running(community, coordinator)
    teller, other = make_membership(community, name="Tess"), make_membership(community, name="Walt")
    for person in (teller, other):
        services.attendance_check_in(meeting=meeting, membership=person)
    item = meeting.items.get(title="Paint")
    assert item.proposal is not None
    services.tally_enter(item=item, teller=teller, counts={room_positions(item.proposal)[0]: 3}, present=3)
    as_teller, as_other = signed_in(teller.user, other.user)
    visit(as_teller, url)
    _, tellers = visit(as_teller, url)
    assert "Count by Tess, waiting for a witness" in tellers
    assert "I saw this count: witness it" not in tellers
    _, others = visit(as_other, url)
    assert "Count by Tess, waiting for a witness" in others
    assert "I saw this count: witness it" in others
