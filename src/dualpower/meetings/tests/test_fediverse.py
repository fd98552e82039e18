"""Public meetings on the fediverse: the FEP-8a8e Event published (Create, Update, Delete) in the
meeting service's transaction, served at its id, and the "going" answers people elsewhere send
(real signed requests to our inbox, from actors a real local HTTP server serves) counted once per
actor and shown on the meeting's page apart from members' attendance."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualpower.federation import activities, events, signatures
from dualpower.federation.models import EventAnswer, OutboundActivity, PublicEvent, RemoteActor
from dualpower.federation.tests.remote_node import Actor, RemoteNode
from dualpower.meetings import services
from dualpower.meetings.models import Meeting
from dualpower.meetings.services.fediverse import event_key, fediverse_answers
from dualpower.meetings.tests.factories import general, make_meeting, soon

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("federation_site")]


@pytest.fixture(autouse=True)
def _madrid_time(settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Madrid"


def public_meeting(community: Any, **kwargs: Any) -> Meeting:
    return make_meeting(community, is_public=True, place="Community hall, 3 Elm St", **kwargs)


def kinds() -> list[str]:
    return list(OutboundActivity.objects.order_by("pk").values_list("kind", flat=True))


def test_a_private_meeting_publishes_nothing(community: Any) -> None:
    meeting = make_meeting(community, call_link="https://call.example/secret")
    services.meeting_update(meeting=meeting, by=None, title="Renamed")
    services.meeting_cancel(meeting=meeting, by=None)
    assert not OutboundActivity.objects.exists() and not PublicEvent.objects.exists()


def test_a_public_meeting_is_published_as_an_fep_8a8e_event(community: Any) -> None:
    starts = soon(48)
    meeting = public_meeting(community, starts_at=starts, call_link="https://call.example/secret")
    create = OutboundActivity.objects.get()
    assert create.kind == "Create" and create.audience == "public"
    event = create.data["object"]
    public = PublicEvent.objects.get()
    assert event["id"] == f"http://testserver/ap/c/riverside/events/{public.uuid}"
    assert event["type"] == "Event" and event["name"] == "Monthly assembly"
    assert event["attributedTo"] == "http://testserver/ap/c/riverside"
    assert event["to"] == [activities.PUBLIC] and event["cc"] == [
        "http://testserver/ap/c/riverside/followers"
    ]
    assert event["timezone"] == "Europe/Madrid"
    assert event["startTime"] == starts.astimezone(events.ZoneInfo("Europe/Madrid")).isoformat()
    assert event["startTime"].endswith(("+01:00", "+02:00"))
    assert event["endTime"] == meeting.ends_at.astimezone(events.ZoneInfo("Europe/Madrid")).isoformat()
    assert event["location"] == {"type": "Place", "name": "Community hall, 3 Elm St"}
    assert event["url"] == f"http://testserver/c/riverside/meetings/{meeting.pk}/"
    assert event["content"] == "<p>A public meeting of General assembly, Riverside Mutual Aid.</p>"
    # Only what the meeting says publicly: never the call link, the agenda or the roles.
    assert "call.example" not in json.dumps(create.data)
    assert create.data["@context"][0] == activities.AS_CONTEXT


def test_changes_update_it_and_cancelling_deletes_it(community: Any) -> None:
    meeting = public_meeting(community)
    services.meeting_update(meeting=meeting, by=None, call_link="https://call.example/new")
    assert kinds() == ["Create"]  # the call link is not published: nothing to tell
    services.meeting_update(meeting=meeting, by=None, title="Assembly on rents", place="Library")
    assert kinds() == ["Create", "Update"]
    update = OutboundActivity.objects.get(kind="Update").data["object"]
    assert update["name"] == "Assembly on rents" and update["location"]["name"] == "Library"
    first_id = update["id"]
    services.meeting_cancel(meeting=meeting, by=None)
    assert kinds() == ["Create", "Update", "Delete"]
    delete = OutboundActivity.objects.get(kind="Delete").data
    assert delete["object"] == {
        "id": first_id,
        "type": "Tombstone",
        "formerType": "Event",
        "deleted": delete["object"]["deleted"],
    }
    assert PublicEvent.objects.get().deleted_at is not None


@pytest.mark.db_sensitive
def test_made_private_it_is_withdrawn_and_public_again_it_is_a_new_event(community: Any) -> None:
    meeting = public_meeting(community)
    services.meeting_update(meeting=meeting, by=None, is_public=False)
    assert kinds() == ["Create", "Delete"]
    services.meeting_update(meeting=meeting, by=None, is_public=True)
    assert kinds() == ["Create", "Delete", "Create"]
    ids = [e.data["id"] for e in PublicEvent.objects.order_by("pk")]
    assert len(set(ids)) == 2  # a deleted id is never reused (servers keep its tombstone)


@pytest.mark.db_sensitive
def test_a_rollback_leaves_neither_meeting_nor_event(community: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        public_meeting(community)
        assert OutboundActivity.objects.count() == 1
        raise RuntimeError("the caller's transaction fails afterwards")
    assert not Meeting.objects.exists()
    assert not OutboundActivity.objects.exists() and not PublicEvent.objects.exists()


def test_the_event_is_served_at_its_id(client: Any, community: Any) -> None:
    meeting = public_meeting(community)
    public = PublicEvent.objects.get()
    path = f"/ap/c/riverside/events/{public.uuid}"
    served = client.get(path, headers={"Accept": "application/activity+json"})
    assert served.status_code == 200 and served["Content-Type"] == "application/activity+json"
    assert served.json()["type"] == "Event" and "@context" in served.json()
    browser = client.get(path, headers={"Accept": "text/html"})
    assert browser.status_code == 302 and browser.url.endswith(f"/c/riverside/meetings/{meeting.pk}/")
    services.meeting_cancel(meeting=meeting, by=None)
    gone = client.get(path, headers={"Accept": "application/activity+json"})
    assert gone.status_code == 410 and gone.json()["type"] == "Tombstone"
    missing = client.get(f"/ap/c/riverside/events/{uuid.uuid4()}", headers={"Accept": "application/json"})
    assert missing.status_code == 404


# --- answers from the fediverse ---------------------------------------------------------------


def send(client: Any, actor: Actor, kind: str, obj: Any) -> tuple[Any, dict[str, Any]]:
    base = actor.uri.rsplit("/users/", 1)[0]
    activity = {
        "@context": activities.AS_CONTEXT,
        "id": f"{base}/activities/{uuid.uuid4()}",
        "type": kind,
        "actor": actor.uri,
        "object": obj,
    }
    body = json.dumps(activity).encode()
    headers = signatures.sign_cavage(
        method="POST",
        url="http://testserver/ap/inbox",
        body=body,
        key_id=actor.key_id,
        private_key_pem=actor.private_pem,
        headers={"Content-Type": "application/activity+json"},
    )
    headers.pop("Content-Type", None)
    headers["Host"] = "testserver"
    response = client.post("/ap/inbox", data=body, content_type="application/activity+json", headers=headers)
    return response, activity


@pytest.mark.db_sensitive
def test_going_answers_are_counted_once_per_actor(client: Any, community: Any, node: RemoteNode) -> None:
    meeting = public_meeting(community)
    event_uri = PublicEvent.objects.get().data["id"]
    alice, bob, carol = node.actor("alice"), node.actor("bob"), node.actor("carol")
    assert send(client, alice, "Join", event_uri)[0].status_code == 202  # Mobilizon's way
    assert send(client, alice, "Join", event_uri)[0].status_code == 202  # again: the same answer
    assert send(client, bob, "Accept", {"type": "Event", "id": event_uri})[0].status_code == 202
    assert send(client, carol, "TentativeAccept", event_uri)[0].status_code == 202
    answers = fediverse_answers(meeting=meeting)
    assert answers is not None and (answers.going, answers.maybe) == (2, 1)
    assert EventAnswer.objects.count() == 3
    # Carol decides to go after all: her answer changes, she is still counted once.
    send(client, carol, "Join", event_uri)
    answers = fediverse_answers(meeting=meeting)
    assert answers is not None and (answers.going, answers.maybe) == (3, 0)


def test_answers_are_taken_back_by_leave_or_undo(client: Any, community: Any, node: RemoteNode) -> None:
    meeting = public_meeting(community)
    event_uri = PublicEvent.objects.get().data["id"]
    alice, bob = node.actor("alice"), node.actor("bob")
    send(client, alice, "Join", event_uri)
    _, bob_join = send(client, bob, "Join", event_uri)
    send(client, alice, "Leave", event_uri)  # Mobilizon's way
    answers = fediverse_answers(meeting=meeting)
    assert answers is not None and answers.going == 1
    assert send(client, bob, "Undo", bob_join["id"])[0].status_code == 202  # undone by id
    answers = fediverse_answers(meeting=meeting)
    assert answers is not None and answers.going == 0
    carol = node.actor("carol")
    _, carol_maybe = send(client, carol, "TentativeAccept", event_uri)
    inline = {k: v for k, v in carol_maybe.items() if k != "@context"}
    assert send(client, carol, "Undo", inline)[0].status_code == 202  # undone with the answer inline
    assert not EventAnswer.objects.exists()


def test_an_undone_accept_of_our_event_takes_the_answer_back(
    client: Any, community: Any, node: RemoteNode
) -> None:
    # Undo(Accept) is also how a peering is ended: it must reach the event's answers here, and
    # leave peerings alone.
    meeting = public_meeting(community)
    event_uri = PublicEvent.objects.get().data["id"]
    dave = node.actor("dave")
    _, accepted = send(client, dave, "Accept", {"type": "Event", "id": event_uri})
    answers = fediverse_answers(meeting=meeting)
    assert answers is not None and answers.going == 1
    assert send(client, dave, "Undo", accepted["id"])[0].status_code == 202
    assert not EventAnswer.objects.exists()


def test_answers_to_what_is_not_a_live_event_of_ours_are_not_kept(
    client: Any, community: Any, node: RemoteNode
) -> None:
    meeting = public_meeting(community)
    event_uri = PublicEvent.objects.get().data["id"]
    alice = node.actor("alice")
    send(client, alice, "Join", f"{node.base}/events/theirs")
    send(client, alice, "Join", f"http://testserver/ap/c/riverside/events/{uuid.uuid4()}")
    send(client, alice, "Join", "http://testserver/ap/c/riverside/events/not-a-uuid")
    assert not EventAnswer.objects.exists()
    services.meeting_cancel(meeting=meeting, by=None)
    send(client, alice, "Join", event_uri)  # a cancelled meeting's event is gone
    assert not EventAnswer.objects.exists()


# --- pages ---------------------------------------------------------------------------------------


def _answers(meeting: Meeting, n: int, start: int = 0) -> None:
    event = PublicEvent.objects.get(key=event_key(meeting), deleted_at=None)
    for i in range(start, start + n):
        actor = RemoteActor.objects.create(
            uri=f"https://far.example/users/a{i}",
            host="far.example",
            kind=RemoteActor.Kind.PERSON,
            inbox="https://far.example/inbox",
            fetched_at=timezone.now(),
        )
        EventAnswer.objects.create(
            event=event, actor=actor, kind=EventAnswer.Kind.GOING, activity_id=f"{actor.uri}#join"
        )


def _page_queries(client: Any, meeting: Meeting) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/c/riverside/meetings/{meeting.pk}/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_meeting_page_shows_fediverse_answers_apart_with_constant_queries(
    client_for: Any, community: Any
) -> None:
    meeting = public_meeting(community)
    client = client_for("member")
    _answers(meeting, 1)
    one, page = _page_queries(client, meeting)
    assert "1 person from the fediverse said they are going." in page
    _answers(meeting, 9, start=1)
    ten, page = _page_queries(client, meeting)
    assert "10 people from the fediverse said they are going." in page
    assert ten == one
    private = make_meeting(community, title="Private one")
    assert "fediverse" not in _page_queries(client, private)[1].split("<main", 1)[-1].split("</dl>")[0]


def test_the_form_makes_a_meeting_public(client_for: Any, community: Any) -> None:
    client = client_for("coordinator")
    general(community)
    starts = timezone.localtime(soon(72))
    data = {
        "assembly": "general",
        "title": "Open assembly",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "The park",
        "call_link": "",
        "is_public": "on",
    }
    page = client.get("/c/riverside/meetings/new/").content.decode()
    assert "Public: announce this meeting on the fediverse" in page and 'name="is_public"' in page
    response = client.post("/c/riverside/meetings/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(title="Open assembly")
    assert meeting.is_public and kinds() == ["Create"]
    data.pop("is_public")
    data.pop("assembly")
    response = client.post(f"/c/riverside/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert not meeting.is_public and kinds() == ["Create", "Delete"]


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_the_migration_adds_is_public_to_existing_meetings(community: Any) -> None:
    make_meeting(community, title="Before the upgrade")
    executor = MigrationExecutor(connection)
    executor.migrate([("meetings", "0002_one_witnessed_count_per_proposal")])
    executor.loader.build_graph()
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "meetings_meeting")]
    assert "is_public" not in columns
    executor.migrate([("meetings", "0003_meeting_is_public")])
    assert Meeting.objects.get(title="Before the upgrade").is_public is False
