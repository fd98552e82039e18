"""Calendar feeds: parsed back with icalendar, secret addresses, rotation, cancellations."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse
from icalendar import Calendar

from dualpower.assemblies.services import assembly_create
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.meetings import services
from dualpower.meetings.models import FeedToken, Meeting
from dualpower.meetings.tests.factories import HOUR, general, make_meeting
from dualpower.members.models import Membership
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db


def feed_url(token: FeedToken, slug: str = "riverside") -> str:
    return reverse("meetings:feed", kwargs={"community": slug, "kind": token.kind, "token": token.token})


def events(client: Any, url: str) -> list[Any]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_the_assembly_feed_describes_each_meeting(client: Any, community: Any) -> None:
    meeting = make_meeting(community, place="The hall", call_link="https://call.example.org/x")
    cancelled = make_meeting(community, title="Called off", status=Meeting.Status.CANCELLED)
    token = services.feed_token_for_assembly(assembly=general(community))
    found = {
        str(e["SUMMARY"]): e for e in events(client, feed_url(token))
    }  # no sign-in: calendar apps cannot
    event = found["General assembly: Monthly assembly"]
    assert str(event["UID"]) == f"meeting-{meeting.pk}@testserver"
    assert event.decoded("DTSTART") == meeting.starts_at
    assert event.decoded("DTEND") == meeting.ends_at
    assert event.get("DTSTAMP") is not None
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "The hall" in str(event["LOCATION"])
    assert str(event["URL"]).endswith(f"/c/riverside/meetings/{meeting.pk}/")
    off = found["General assembly: Called off"]
    assert str(off["STATUS"]) == "CANCELLED"
    assert int(off["SEQUENCE"]) == 1
    assert str(off["UID"]) == f"meeting-{cancelled.pk}@testserver"


def test_a_moved_meeting_keeps_its_uid_with_a_higher_sequence(client: Any, community: Any) -> None:
    meeting = make_meeting(community)
    token = services.feed_token_for_assembly(assembly=general(community))
    services.meeting_update(
        meeting=meeting, by=None, starts_at=meeting.starts_at + HOUR, ends_at=meeting.ends_at + HOUR
    )
    (event,) = events(client, feed_url(token))
    assert str(event["UID"]) == f"meeting-{meeting.pk}@testserver"
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == meeting.starts_at + HOUR


def test_rotating_the_token_retires_the_old_address(client_for: Any, community: Any, people: Any) -> None:
    make_meeting(community)
    token = services.feed_token_for_assembly(assembly=general(community))
    old = feed_url(token)
    response = client_for("member").post("/c/riverside/meetings/calendar/rotate/", {"assembly": "general"})
    assert response.status_code == 403
    assert client_for("anonymous").get(old).status_code == 200
    response = client_for("coordinator").post(
        "/c/riverside/meetings/calendar/rotate/", {"assembly": "general"}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert client_for("anonymous").get(old).status_code == 404
    assert client_for("anonymous").get(feed_url(token)).status_code == 200


def test_a_wrong_or_misplaced_token_is_not_found(client: Any, community: Any, other_community: Any) -> None:
    token = services.feed_token_for_assembly(assembly=general(community))
    assert client.get(feed_url(token, slug="hilltop")).status_code == 404
    assert client.get(f"/c/riverside/meetings/feeds/assembly/{'x' * 43}.ics").status_code == 404
    assert client.get(f"/c/riverside/meetings/feeds/member/{token.token}.ics").status_code == 404


def test_my_feed_has_the_meetings_of_the_assemblies_i_vote_in(
    client_for: Any, community: Any, people: Any
) -> None:
    member = membership_of(people["member"], community)
    food = WorkingGroup.objects.get(community=community, slug="food")
    housing = WorkingGroup.objects.get(community=community, slug="housing")
    GroupMembership.objects.create(group=food, membership=member)
    food_assembly = assembly_create(
        community=community, name="Food", kind="working_group", working_group=food
    )
    housing_assembly = assembly_create(
        community=community, name="Housing", kind="working_group", working_group=housing
    )
    make_meeting(community, title="Everyone")
    make_meeting(community, assembly=food_assembly, title="Menus")
    make_meeting(community, assembly=housing_assembly, title="Leases")
    page = client_for("member").get("/c/riverside/meetings/calendar/").content.decode()
    token = FeedToken.objects.get(membership=member)
    assert token.token in page
    titles = {str(e["SUMMARY"]) for e in events(client_for("anonymous"), feed_url(token))}
    assert titles == {"General assembly: Everyone", "Food: Menus"}


def test_someone_who_left_no_longer_gets_the_meetings(client: Any, community: Any, people: Any) -> None:
    member = membership_of(people["member"], community)
    token = services.feed_token_for_member(membership=member)
    Membership.objects.filter(pk=member.pk).update(status=Membership.Status.FORMER, user=None)
    assert client.get(feed_url(token)).status_code == 404


def test_rotating_my_own_address(client_for: Any, community: Any, people: Any) -> None:
    member = membership_of(people["member"], community)
    before = services.feed_token_for_member(membership=member).token
    assert client_for("member").post("/c/riverside/meetings/calendar/rotate/").status_code == 302
    assert FeedToken.objects.get(membership=member).token != before


@pytest.mark.parametrize("role", ["anonymous", "applicant", "observer", "member", "coordinator", "outsider"])
def test_feed_addresses_through_the_api(client_for: Any, community: Any, people: Any, role: str) -> None:
    general(community)
    response = client_for(role).get("/api/v1/communities/riverside/meetings/feeds")
    expected = {"anonymous": 401, "applicant": 403, "outsider": 403}.get(role, 200)
    assert response.status_code == expected
    if expected == 200:
        body = response.json()
        assert body["mine"].endswith(".ics")
        assert body["assemblies"][0]["can_rotate"] is (role == "coordinator")


def test_rotating_through_the_api(client_for: Any, community: Any, people: Any) -> None:
    token = services.feed_token_for_assembly(assembly=general(community))
    url = "/api/v1/communities/riverside/meetings/feeds/rotate"
    data = json.dumps({"assembly": "general"})
    assert client_for("member").post(url, data, content_type="application/json").status_code == 403
    old = token.token
    token.refresh_from_db()
    assert token.token == old
    assert client_for("coordinator").post(url, data, content_type="application/json").status_code == 200
    token.refresh_from_db()
    assert token.token != old
