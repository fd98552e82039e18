"""The meetings API: each role, bad input refused with nothing written, the whole flow."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dualpower.federation.models import PublicEvent
from dualpower.meetings import services
from dualpower.meetings.models import AgendaItem, Attendance, Meeting, MinutesRevision, RoomTally
from dualpower.meetings.tests.factories import general, make_meeting, room_proposal
from dualpower.members.tests.factories import ROLES, make_membership, membership_of

pytestmark = pytest.mark.django_db
API = "/api/v1/communities/riverside/meetings"


def post(client: Any, url: str, data: Any = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def patch(client: Any, url: str, data: Any) -> Any:
    return client.patch(url, json.dumps(data), content_type="application/json")


def new_meeting(**extra: Any) -> dict[str, Any]:
    start = timezone.now() + timedelta(days=2)
    return {
        "assembly": "general",
        "title": "Assembly",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        **extra,
    }


READ = {
    "anonymous": 401,
    "applicant": 403,
    "outsider": 403,
    "observer": 200,
    "member": 200,
    "coordinator": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_reading_meetings_per_role(client_for: Any, community: Any, people: Any, role: str) -> None:
    meeting = make_meeting(community, agenda=[{"title": "Welcome"}])
    client = client_for(role)
    for path in (
        "",
        f"/{meeting.pk}",
        f"/{meeting.pk}/agenda",
        f"/{meeting.pk}/quorum",
        f"/{meeting.pk}/minutes",
    ):
        assert client.get(API + path).status_code == READ[role], path


@pytest.mark.parametrize("role", ROLES)
def test_scheduling_per_role(client_for: Any, community: Any, people: Any, role: str) -> None:
    general(community)
    response = post(client_for(role), API, new_meeting())
    expected = {"coordinator": 201, "anonymous": 401}.get(role, 403)
    assert response.status_code == expected
    assert Meeting.objects.count() == (1 if expected == 201 else 0)


def test_a_coordinator_schedules_with_an_agenda(client_for: Any, community: Any, people: Any) -> None:
    general(community)
    member = membership_of(people["member"], community)
    response = post(
        client_for("coordinator"),
        API,
        new_meeting(
            facilitator=member.pk, agenda=[{"title": "Welcome", "minutes_allotted": 5}, {"title": "Rent"}]
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["facilitator"] == {"id": member.pk, "display_name": "Mara"}
    assert body["status"] == "scheduled"
    agenda = client_for("member").get(f"{API}/{body['id']}/agenda").json()
    assert [i["title"] for i in agenda] == ["Welcome", "Rent"]


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ({"title": ""}, 422),
        ({"assembly": "nowhere"}, 404),
        ({"facilitator": True}, 422),
        ({"facilitator": 999999}, 400),
        ({"call_link": "ftp://x"}, 400),
        ({"agenda": [{"title": "x", "minutes_allotted": 0}]}, 422),
        ({"agenda": [{"title": "x", "proposal": 999999}]}, 400),
    ],
)
def test_bad_meetings_are_refused_and_nothing_written(
    client_for: Any, community: Any, people: Any, extra: dict, status: int
) -> None:
    general(community)
    response = post(client_for("coordinator"), API, new_meeting(**extra))
    assert response.status_code == status
    assert "detail" in response.json()
    assert not Meeting.objects.exists()
    assert not AgendaItem.objects.exists()


def test_ends_before_it_starts_is_a_400_with_a_sentence(client_for: Any, community: Any, people: Any) -> None:
    general(community)
    start = timezone.now() + timedelta(days=2)
    data = new_meeting(ends_at=(start - timedelta(hours=1)).isoformat(), starts_at=start.isoformat())
    response = post(client_for("coordinator"), API, data)
    assert response.status_code == 400
    assert response.json()["detail"] == "A meeting must end after it starts."


def test_moving_and_cancelling(client_for: Any, community: Any, people: Any) -> None:
    meeting = make_meeting(community)
    client = client_for("coordinator")
    response = patch(client, f"{API}/{meeting.pk}", {"place": "Park", "title": None})
    assert response.status_code == 400
    response = patch(client, f"{API}/{meeting.pk}", {"place": "Park"})
    assert response.status_code == 200 and response.json()["place"] == "Park"
    assert post(client, f"{API}/{meeting.pk}/cancel").json()["status"] == "cancelled"
    response = post(client, f"{API}/{meeting.pk}/cancel")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_a_meeting_of_another_community_is_not_found(
    client_for: Any, other_community: Any, people: Any
) -> None:
    elsewhere = make_meeting(other_community)
    assert client_for("coordinator").get(f"{API}/{elsewhere.pk}").status_code == 404
    assert post(client_for("coordinator"), f"{API}/{elsewhere.pk}/cancel").status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Meeting.Status.SCHEDULED


def test_a_room_vote_through_the_api(client_for: Any, community: Any, people: Any) -> None:
    member = membership_of(people["member"], community)
    sol = make_membership(community, name="Sol")
    proposal = room_proposal(general(community), process="consensus")
    meeting = make_meeting(
        community, status=Meeting.Status.IN_PROGRESS, agenda=[{"title": "Paint", "proposal": proposal}]
    )
    item = meeting.items.get()
    client = client_for("member")
    assert post(client, f"{API}/{meeting.pk}/check-in").status_code == 201
    assert post(client, f"{API}/{meeting.pk}/check-in").status_code == 409
    services.attendance_check_in(meeting=meeting, membership=sol)
    url = f"{API}/{meeting.pk}/agenda/{item.pk}/tally"
    assert post(client, url, {"counts": {"agree": 3}, "present": 3}).status_code == 400  # only 2 checked in
    assert post(client, url, {"counts": {"agree": True}, "present": 2}).status_code == 422
    assert not RoomTally.objects.exists()
    response = post(client, url, {"counts": {"agree": 1, "stand_aside": 1}, "present": 2})
    assert response.status_code == 201
    assert response.json()["teller"]["id"] == member.pk and response.json()["confirmed"] is False
    assert post(client, url + "/confirm").status_code == 403  # the teller
    client.force_login(sol.user)
    response = post(client, url + "/confirm")
    assert response.status_code == 200 and response.json()["confirmed"] is True
    tallies = client.get(f"{API}/{meeting.pk}/tallies").json()
    assert tallies[0]["witness"]["display_name"] == "Sol"


def test_minutes_through_the_api_and_locked_once_adopted(
    client_for: Any, community: Any, people: Any
) -> None:
    member = membership_of(people["member"], community)
    meeting = make_meeting(community, note_taker=member, status=Meeting.Status.IN_PROGRESS)
    Attendance.objects.create(meeting=meeting, membership=member)
    client = client_for("member")
    url = f"{API}/{meeting.pk}/minutes"
    response = post(client, url, {"summary": "We met."})
    assert response.status_code == 201 and response.json()["current"]["number"] == 1
    assert post(client_for("observer"), url, {"summary": "Mine"}).status_code == 403
    services.meeting_end(meeting=meeting, by=None)
    client = client_for("member")
    assert post(client, url + "/open", {"hours": 0}).status_code == 422
    assert post(client, url + "/open", {"hours": 1}).json()["state"] == "open"
    assert post(client, url, {"summary": "We met twice."}).status_code == 400  # no note
    assert post(client, url, {"summary": "We met twice.", "note": "fix"}).status_code == 201
    assert post(client, url + "/adopt").status_code == 409  # the window is still open
    meeting.minutes.amend_until = timezone.now() - timedelta(minutes=1)
    meeting.minutes.save()
    assert post(client, url + "/adopt").json()["state"] == "adopted"
    response = post(client, url, {"summary": "Rewritten", "note": "sneaky"})
    assert response.status_code == 409
    assert "locked" in response.json()["detail"]
    assert MinutesRevision.objects.count() == 2
    history = client.get(url).json()["history"]
    assert [h["number"] for h in history] == [2, 1]


def test_suggested_roles(client_for: Any, community: Any, people: Any) -> None:
    general(community)
    response = client_for("coordinator").get(f"{API}/suggested-roles?assembly=general")
    assert response.status_code == 200
    assert set(response.json()) == {"facilitator", "note_taker", "timekeeper"}
    assert client_for("member").get(f"{API}/suggested-roles?assembly=general").status_code == 403


def test_a_meeting_made_public_through_the_api_is_announced(
    client_for: Any, community: Any, people: Any
) -> None:
    general(community)
    client = client_for("coordinator")
    response = post(client, API, new_meeting(is_public=True, call_link="https://call.example/secret"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_public"] is True
    event = PublicEvent.objects.get(deleted_at__isnull=True)
    assert "call.example" not in json.dumps(event.data)  # the call link never leaves the node
    response = patch(client, f"{API}/{body['id']}", {"is_public": False})
    assert response.status_code == 200 and response.json()["is_public"] is False
    assert not PublicEvent.objects.filter(deleted_at__isnull=True).exists()
    assert patch(client, f"{API}/{body['id']}", {"is_public": None}).status_code == 400
