"""The meeting pages: status codes per role, and a whole meeting run without JavaScript."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from dualpower.community import dashboard
from dualpower.meetings import services
from dualpower.meetings.models import Attendance, Meeting, Minutes, MinutesRevision, RoomTally
from dualpower.meetings.services import minutes_adopt, minutes_draft, minutes_open
from dualpower.meetings.tests.factories import general, make_meeting, room_proposal
from dualpower.members.tests.factories import ROLES, make_membership, membership_of
from dualpower.web import navigation

pytestmark = pytest.mark.django_db

READ = {
    "anonymous": 302,
    "applicant": 403,
    "outsider": 403,
    "observer": 200,
    "member": 200,
    "coordinator": 200,
}
RUN = {**READ, "observer": 403, "member": 403}


@pytest.fixture
def meeting(community: Any, people: Any) -> Meeting:
    return make_meeting(community, agenda=[{"title": "Welcome"}])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("", READ),
        ("new/", RUN),
        ("calendar/", READ),
        ("{pk}/", READ),
        ("{pk}/edit/", RUN),
        ("{pk}/quorum/", READ),
        ("{pk}/minutes/", READ),
    ],
)
def test_pages_answer_each_role(
    client_for: Any, meeting: Meeting, role: str, path: str, expected: dict
) -> None:
    response = client_for(role).get("/c/riverside/meetings/" + path.format(pk=meeting.pk))
    assert response.status_code == expected[role]
    if expected[role] == 302:
        assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_cancel_from_the_page(client_for: Any, meeting: Meeting, role: str) -> None:
    response = client_for(role).post(f"/c/riverside/meetings/{meeting.pk}/cancel/")
    meeting.refresh_from_db()
    if role == "coordinator":
        assert response.status_code == 302
        assert meeting.status == Meeting.Status.CANCELLED
    else:
        assert response.status_code in (401, 403)
        assert meeting.status == Meeting.Status.SCHEDULED


def test_a_meeting_of_another_community_is_not_found(
    client_for: Any, other_community: Any, people: Any
) -> None:
    elsewhere = make_meeting(other_community)
    assert client_for("coordinator").get(f"/c/riverside/meetings/{elsewhere.pk}/").status_code == 404


def test_a_coordinator_schedules_with_the_suggested_roles(
    client_for: Any, community: Any, people: Any
) -> None:
    general(community)
    client = client_for("coordinator")
    page = client.get("/c/riverside/meetings/new/").content.decode()
    assert "least recently" in page
    start = (timezone.localtime() + timedelta(days=3)).replace(second=0, microsecond=0)
    response = client.post(
        "/c/riverside/meetings/new/",
        {
            "assembly": "general",
            "title": "June assembly",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "The hall",
            "facilitator": str(membership_of(people["member"], community).pk),
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="June assembly")
    assert meeting.facilitator == membership_of(people["member"], community)
    assert "June assembly" in client.get("/c/riverside/meetings/").content.decode()


def test_a_meeting_that_ends_before_it_starts_is_shown_again(
    client_for: Any, community: Any, people: Any
) -> None:
    general(community)
    start = timezone.localtime() + timedelta(days=3)
    response = client_for("coordinator").post(
        "/c/riverside/meetings/new/",
        {
            "assembly": "general",
            "title": "Backwards",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400
    assert "must end after it starts" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_whole_meeting_without_javascript(client_for: Any, community: Any, people: Any) -> None:
    member = membership_of(people["member"], community)
    second = make_membership(community, name="Sol")
    proposal = room_proposal(general(community), process="majority")
    meeting = make_meeting(community, note_taker=member, agenda=[{"title": "Paint", "proposal": proposal}])
    base = f"/c/riverside/meetings/{meeting.pk}/"
    item = meeting.items.get()

    coordinator = client_for("coordinator")
    assert coordinator.post(base + "start/").status_code == 302
    client = client_for("member")
    assert client.post(base + "check-in/").status_code == 302
    page = client.get(base).content.decode()
    assert "You are checked in." in page
    assert 'hx-trigger="every 5s"' in page  # the quorum box refreshes itself
    services.attendance_check_in(meeting=meeting, membership=second)

    # The teller counts; the same person cannot witness; another voter does.
    counts = {f"t{item.pk}-present": "2", f"t{item.pk}-count_agree": "2", f"t{item.pk}-count_disagree": "0"}
    assert client.post(base + f"items/{item.pk}/tally/", counts).status_code == 302
    assert "waiting for a witness" in client.get(base).content.decode()
    assert client.post(base + f"items/{item.pk}/tally/confirm/").status_code == 403
    assert RoomTally.objects.get().confirmed_at is None
    second_client = client_for("member")
    second_client.force_login(second.user)
    witnessed = second_client.post(base + f"items/{item.pk}/tally/confirm/", follow=True)
    assert "the proposal is decided" in witnessed.content.decode()
    assert RoomTally.objects.get().witness == second
    # The witnessed count decided the proposal at once: its page shows the outcome.
    proposal.refresh_from_db()
    assert proposal.state == "closed" and proposal.outcome.passed is True
    assert "Passed" in second_client.get(proposal.get_absolute_url()).content.decode()

    # The note-taker drafts the minutes.
    client.force_login(people["member"])
    response = client.post(
        base + "minutes/",
        {
            "summary": "Two of us.",
            f"item_{item.pk}_notes": "Quick.",
            f"item_{item.pk}_decisions": "Paint it.",
        },
    )
    assert response.status_code == 302
    coordinator = client_for("coordinator")
    assert coordinator.post(base + "end/").status_code == 302
    client.force_login(people["member"])
    assert client.post(base + "minutes/open/", {"hours": "48"}).status_code == 302
    assert Minutes.objects.get().state == Minutes.State.OPEN
    page = client.get(base + "minutes/").content.decode()
    assert "Paint it." in page
    assert "Amend the minutes" in page


def test_editing_adopted_minutes_is_refused_and_nothing_written(
    client_for: Any, community: Any, people: Any
) -> None:
    member = membership_of(people["member"], community)
    meeting = make_meeting(community, note_taker=member, status=Meeting.Status.IN_PROGRESS)
    Attendance.objects.create(meeting=meeting, membership=member)
    minutes_draft(meeting=meeting, by=member, summary="Draft")
    services.meeting_end(meeting=meeting, by=None)
    minutes_open(meeting=meeting, by=member, hours=1, now=timezone.now() - timedelta(hours=2))
    minutes_adopt(meeting=meeting, by=member)
    response = client_for("member").post(
        f"/c/riverside/meetings/{meeting.pk}/minutes/", {"summary": "Rewritten", "note": "oops"}
    )
    # A refused form comes back with what was typed and the sentence (400 for every refusal).
    assert response.status_code == 400
    assert "locked" in response.content.decode()
    assert list(MinutesRevision.objects.values_list("summary", flat=True)) == ["Draft"]
    page = client_for("member").get(f"/c/riverside/meetings/{meeting.pk}/minutes/").content.decode()
    assert "Adopted on" in page
    assert "Save" not in page


def test_an_old_version_of_the_minutes_can_be_read(client_for: Any, community: Any, people: Any) -> None:
    member = membership_of(people["member"], community)
    meeting = make_meeting(community, status=Meeting.Status.IN_PROGRESS)
    minutes_draft(meeting=meeting, by=member, summary="First words")
    minutes_draft(meeting=meeting, by=member, summary="Second words", note="typo")
    client = client_for("observer")
    assert "Second words" in client.get(f"/c/riverside/meetings/{meeting.pk}/minutes/").content.decode()
    old = client.get(f"/c/riverside/meetings/{meeting.pk}/minutes/?revision=1").content.decode()
    assert "First words" in old and "an earlier version" in old
    assert client.get(f"/c/riverside/meetings/{meeting.pk}/minutes/?revision=9").status_code == 404


def test_checking_in_before_the_meeting_starts_is_refused(client_for: Any, meeting: Meeting) -> None:
    response = client_for("member").post(f"/c/riverside/meetings/{meeting.pk}/check-in/", follow=True)
    # A refused button comes back to the meeting's page with the sentence saying why.
    assert response.redirect_chain[-1][0] == f"/c/riverside/meetings/{meeting.pk}/#attendance"
    assert "in progress" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_agenda_is_built_and_reordered_on_the_page(client_for: Any, meeting: Meeting) -> None:
    client = client_for("coordinator")
    base = f"/c/riverside/meetings/{meeting.pk}/"
    assert client.post(base + "agenda/", {"title": "Budget", "minutes_allotted": "20"}).status_code == 302
    budget = meeting.items.get(title="Budget")
    assert client.post(base + f"agenda/{budget.pk}/up/").status_code == 302
    assert list(meeting.items.order_by("position").values_list("title", flat=True)) == ["Budget", "Welcome"]
    refused = client.post(base + "agenda/", {"title": ""}, follow=True)
    assert refused.redirect_chain[-1][0] == base + "#agenda"
    assert "required" in refused.content.decode()
    assert meeting.items.count() == 2


def test_next_meetings_are_on_the_dashboard_and_in_the_menu(
    rf: Any, community: Any, people: Any, meeting: Meeting
) -> None:
    # Rendered on its own: the dashboard page also shows the other apps' panels.
    request = rf.get("/c/riverside/")
    request.user = people["member"]
    (panel,) = [
        p for p in dashboard.panels_for(request=request, community=community) if p.key == "next-meetings"
    ]
    html = render_to_string(panel.template, {"panel": panel, "community": community}, request=request)
    assert f'href="/c/riverside/meetings/{meeting.pk}/"' in html
    assert ("Meetings", "/c/riverside/meetings/") in navigation.entries_for("riverside")
    request.user = people["outsider"]
    assert not [
        p for p in dashboard.panels_for(request=request, community=community) if p.key == "next-meetings"
    ]


def test_the_list_charts_attendance_at_past_meetings(client_for: Any, community: Any, people: Any) -> None:
    people_here = [make_membership(community, name=f"P{i}") for i in range(3)]
    meeting = make_meeting(community, title="Autumn", status=Meeting.Status.IN_PROGRESS)
    for person in people_here:
        services.attendance_check_in(meeting=meeting, membership=person)
    services.meeting_end(meeting=meeting, by=None)
    html = client_for("member").get("/c/riverside/meetings/").content.decode()
    assert "Attendance at recent meetings" in html
    assert "<svg" in html and "<table" in html
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "Meetings" in title  # a short text, not the chart


def test_a_witness_does_not_confirm_a_count_that_changed_after_they_looked(
    client_for: Any, community: Any, people: Any
) -> None:
    from dualpower.meetings.services import tally_enter

    member = membership_of(people["member"], community)
    ana, ben = make_membership(community, name="Ana"), make_membership(community, name="Ben")
    proposal = room_proposal(general(community), process="majority")
    meeting = make_meeting(
        community, status=Meeting.Status.IN_PROGRESS, agenda=[{"title": "Paint", "proposal": proposal}]
    )
    for person in (member, ana, ben):
        services.attendance_check_in(meeting=meeting, membership=person)
    item = meeting.items.get()
    seen = tally_enter(item=item, teller=ana, counts={"agree": 3}, present=3)
    tally_enter(item=item, teller=ben, counts={"agree": 1, "disagree": 2}, present=3)
    url = f"/c/riverside/meetings/{meeting.pk}/items/{item.pk}/tally/confirm/"
    response = client_for("member").post(url, {"tally": str(seen.pk)}, follow=True)
    assert "The count changed since you looked at it" in response.content.decode()
    assert RoomTally.objects.get().confirmed_at is None
