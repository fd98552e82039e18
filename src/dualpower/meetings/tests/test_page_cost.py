"""The meeting's page costs the same queries whatever the community's size, and the note-taker's
picker of who was present offers a bounded list of names, with a search for the others (issue 21)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualpower.assemblies.forms import LONG_LIST
from dualpower.meetings import selectors, services
from dualpower.meetings.models import Meeting
from dualpower.meetings.tests.factories import general, make_meeting, room_proposal, voters
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = pytest.mark.django_db

PAGE_QUERIES = 14  # the common four, the meeting, its agenda, counts, attendance, minutes, quorum…


def _offered(body: str) -> list[str]:
    picker = re.search(r'<select name="member"[^>]*>(.*?)</select>', body, re.S)
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", picker.group(1)) if picker else []


def test_the_page_costs_the_same_queries_with_more_people_and_offers_a_bounded_picker(
    client_for: Any, community: Any, people: Any
) -> None:
    assembly = general(community)
    meeting = make_meeting(community, status=Meeting.Status.IN_PROGRESS, agenda=[{"title": "Welcome"}])
    proposal = room_proposal(assembly)
    services.agenda_item_add(meeting=meeting, by=None, title="Paint", proposal=proposal)
    coordinator = membership_of(people["coordinator"], community)
    services.attendance_check_in(meeting=meeting, membership=coordinator)
    client = client_for("coordinator")
    url = f"/c/riverside/meetings/{meeting.pk}/"

    def count() -> tuple[int, str]:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    few, body = count()
    assert "Find who was present by name" not in body  # everyone fits in the picker
    assert coordinator.display_name not in _offered(body) and _offered(body)
    voters(community, LONG_LIST + 5)
    many, body = count()
    assert many <= few <= PAGE_QUERIES
    offered = _offered(body)
    assert len(offered) == LONG_LIST and offered == sorted(offered)
    assert coordinator.display_name not in offered
    assert "Find who was present by name" in body and f"Only the first {LONG_LIST} names" in body

    # Found by name: the person beyond the first names, then recorded as present.
    last = Membership.objects.get(community=community, display_name=f"Voter {LONG_LIST + 4}")
    found = _offered(client.get(url, {"find": f"voter {LONG_LIST + 4}"}).content.decode())
    assert found == [last.display_name]
    response = client.post(url + "attendance/", {"member": last.pk})
    assert response.status_code == 302
    assert last.display_name not in _offered(client.get(url, {"find": "voter"}).content.decode())
    nobody = client.get(url, {"find": "nobody-by-this-name"}).content.decode()
    assert "name holds “nobody-by-this-name”" in nobody


def test_the_picker_and_the_quorum_agree_with_the_orm(community: Any, people: Any) -> None:
    """The prepared reads (general assembly) give what the assembly's bodies give through the ORM."""
    from dualpower.assemblies.bodies import observers_of, voters_of

    general(community)
    meeting = make_meeting(community, status=Meeting.Status.IN_PROGRESS)
    observer = membership_of(people["observer"], community)
    member = membership_of(people["member"], community)
    late = make_membership(community, name="Late")
    for person in (observer, member):
        services.attendance_check_in(meeting=meeting, membership=person)
    eligible = (voters_of(meeting.assembly) | observers_of(meeting.assembly)).distinct()
    expected = [m.pk for m in eligible.order_by("display_name", "id") if m.pk not in (observer.pk, member.pk)]
    assert [m.pk for m in selectors.absent_named(meeting=meeting, limit=100)] == expected
    assert late.pk in expected
    assert [m.pk for m in selectors.absent_named(meeting=meeting, find="LAT", limit=100)] == [late.pk]
    quorum = selectors.quorum_of(meeting=meeting)
    assert (quorum.eligible, quorum.present, quorum.others) == (voters_of(meeting.assembly).count(), 1, 1)
    assert selectors.quorum_of(meeting=meeting, checked_in=2) == quorum
