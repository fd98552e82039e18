"""Public announcements: published as Create(Note) to the followers in the same transaction as the
announcement, served at their id (JSON and a page), deleted as Delete(Tombstone), and the replies
from the fediverse (real signed requests to our inbox, from actors a real local server serves)
shown under them as plain text. Pages by role, and their query counts."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualpower.federation import activities, announcements, ids, signatures
from dualpower.federation.models import Announcement, Delivery, Follower, OutboundActivity, RemoteActor
from dualpower.federation.tests.remote_node import Actor, RemoteNode
from dualpower.members.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("federation_site")]
PAGE = "/c/riverside/network/announcements/"


def follower(community: Any, n: int, *, shared: str = "") -> Follower:
    actor = RemoteActor.objects.create(
        uri=f"https://far{n % 3}.example/users/u{n}",
        host=f"far{n % 3}.example",
        kind=RemoteActor.Kind.PERSON,
        username=f"u{n}",
        inbox=f"https://far{n % 3}.example/users/u{n}/inbox",
        shared_inbox=shared,
        fetched_at=timezone.now(),
    )
    return Follower.objects.create(community=community, actor=actor, follow_id=f"{actor.uri}#follow")


def coordinator(community: Any) -> Membership:
    return Membership.objects.get(community=community, role=Membership.Role.COORDINATOR)


def publish(community: Any, text: str = "Food share on Saturday at 10.") -> Announcement:
    return announcements.announcement_publish(community=community, by=None, content=text)


def test_publishing_writes_the_note_and_one_delivery_per_inbox(community: Any) -> None:
    follower(community, 1)
    follower(community, 2, shared="https://far2.example/inbox")
    follower(community, 5, shared="https://far2.example/inbox")  # same server: one delivery
    announcement = publish(community, "Food share <b>Saturday</b>\n\nBring bags.")
    outbound = OutboundActivity.objects.get()
    assert outbound.kind == "Create" and outbound.audience == "public"
    note = outbound.data["object"]
    assert note["id"] == f"http://testserver/ap/c/riverside/notes/{announcement.uuid}"
    assert note["type"] == "Note" and note["attributedTo"] == "http://testserver/ap/c/riverside"
    assert note["to"] == [activities.PUBLIC] == outbound.data["to"]
    assert note["cc"] == ["http://testserver/ap/c/riverside/followers"] == outbound.data["cc"]
    assert note["content"] == "<p>Food share &lt;b&gt;Saturday&lt;/b&gt;</p>\n\n<p>Bring bags.</p>"
    assert outbound.data["actor"] == ids.community_actor_id(community)
    assert sorted(Delivery.objects.values_list("inbox", flat=True)) == [
        "https://far1.example/users/u1/inbox",
        "https://far2.example/inbox",
    ]


@pytest.mark.db_sensitive
def test_a_rollback_leaves_neither_announcement_nor_activity(community: Any) -> None:
    follower(community, 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(community)
        assert OutboundActivity.objects.count() == 1
        raise RuntimeError("the caller's transaction fails afterwards")
    assert not Announcement.objects.exists()
    assert not OutboundActivity.objects.exists() and not Delivery.objects.exists()


def test_an_empty_announcement_is_refused_with_a_sentence(community: Any) -> None:
    with pytest.raises(Exception) as refused:
        publish(community, "   ")
    assert refused.value.status == 400  # type: ignore[attr-defined]
    assert not OutboundActivity.objects.exists()


@pytest.mark.db_sensitive
def test_the_note_is_served_at_its_id_and_deleting_it_sends_a_tombstone(client: Any, community: Any) -> None:
    announcement = publish(community)
    uri = announcements.note_id(announcement)
    path = uri.removeprefix("http://testserver")
    response = client.get(path, headers={"Accept": "application/activity+json"})
    assert response.status_code == 200 and response["Content-Type"] == "application/activity+json"
    served = response.json()
    assert served["id"] == uri and served["type"] == "Note" and "@context" in served
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Food share on Saturday" in page.content.decode()

    announcements.announcement_delete(announcement=announcement, by=None)
    delete = OutboundActivity.objects.get(kind="Delete")
    assert delete.data["object"]["type"] == "Tombstone" and delete.data["object"]["id"] == uri
    assert delete.data["to"] == [activities.PUBLIC] and delete.audience == "public"
    gone = client.get(path, headers={"Accept": "application/activity+json"})
    assert gone.status_code == 410 and gone.json()["type"] == "Tombstone"
    assert client.get(path, headers={"Accept": "text/html"}).status_code == 410
    with pytest.raises(Exception) as again:
        announcements.announcement_delete(announcement=announcement, by=None)
    assert again.value.status == 409  # type: ignore[attr-defined]


def test_an_unknown_note_is_a_404(client: Any, community: Any) -> None:
    response = client.get(
        f"/ap/c/riverside/notes/{uuid.uuid4()}", headers={"Accept": "application/activity+json"}
    )
    assert response.status_code == 404


def _post_reply(client: Any, actor: Actor, note_uri: str, content: str) -> Any:
    base = actor.uri.rsplit("/users/", 1)[0]
    reply = {
        "id": f"{base}/notes/{uuid.uuid4()}",
        "type": "Note",
        "attributedTo": actor.uri,
        "inReplyTo": note_uri,
        "content": content,
        "published": "2026-12-01T10:00:00Z",
        "to": [activities.PUBLIC],
    }
    create = {
        "@context": activities.AS_CONTEXT,
        "id": f"{base}/activities/{uuid.uuid4()}",
        "type": "Create",
        "actor": actor.uri,
        "object": reply,
        "to": [activities.PUBLIC],
    }
    body = json.dumps(create).encode()
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
    return client.post("/ap/inbox", data=body, content_type="application/activity+json", headers=headers)


def test_replies_from_the_fediverse_are_shown_as_plain_text(
    client: Any, community: Any, node: RemoteNode
) -> None:
    alice = node.actor("alice")
    announcement = publish(community)
    uri = announcements.note_id(announcement)
    hostile = (
        '<p>We will come! <script>alert("x")</script><img src=x onerror=alert(1)>'
        '<a href="javascript:alert(2)">link</a></p><p>&lt;b&gt;literal&lt;/b&gt; &amp; more</p>'
    )
    assert _post_reply(client, alice, uri, hostile).status_code == 202
    page = client.get(uri.removeprefix("http://testserver"), headers={"Accept": "text/html"})
    html = page.content.decode()
    assert "We will come!" in html
    assert "<script>alert" not in html and "<img src=x" not in html and "javascript:" not in html
    # What they wrote as text stays text: escaped once, shown as they wrote it.
    assert "&lt;b&gt;literal&lt;/b&gt; &amp; more" in html
    assert announcements.replies_to(announcement=announcement)[0].text == (
        'We will come! alert("x")link\n<b>literal</b> & more'
    )
    assert announcements.announcements_of(community=community)[0].replies == 1


def test_plain_text_of_odd_content() -> None:
    assert announcements.plain_text(None) == ""
    assert announcements.plain_text(["<p>x</p>"]) == ""
    assert announcements.plain_text("a<br>b<br/>c") == "a\nb\nc"


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 403),
        ("outsider", 403),
        ("observer", 200),
        ("member", 200),
        ("coordinator", 200),
    ],
)
def test_the_page_answers_each_role(client_for: Any, role: str, status: int) -> None:
    response = client_for(role).get(PAGE)
    assert response.status_code == status
    if status == 200:
        has_form = 'name="content"' in response.content.decode()
        assert has_form is (role == "coordinator")


@pytest.mark.parametrize("role", ["observer", "member", "outsider", "applicant"])
def test_only_a_coordinator_publishes_or_deletes(client_for: Any, community: Any, role: str) -> None:
    announcement = publish(community)
    client = client_for(role)
    assert client.post(PAGE, {"content": "Hello"}).status_code == 403
    assert client.post(f"{PAGE}{announcement.uuid}/delete/").status_code == 403
    assert Announcement.objects.count() == 1 and OutboundActivity.objects.count() == 1


def test_a_coordinator_publishes_and_deletes_from_the_page(client_for: Any, community: Any) -> None:
    client = client_for("coordinator")
    response = client.post(PAGE, {"content": "Meeting moved to the library."})
    assert response.status_code == 302 and response.url == PAGE
    announcement = Announcement.objects.get()
    assert announcement.author == coordinator(community)
    assert "<p>Meeting moved to the library.</p>" in client.get(PAGE).content.decode()
    assert client.post(PAGE, {"content": ""}).status_code == 400  # the form again, with its error
    response = client.post(f"{PAGE}{announcement.uuid}/delete/")
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.deleted_at is not None
    assert "Meeting moved" not in client.get(PAGE).content.decode()
    assert list(OutboundActivity.objects.order_by("pk").values_list("kind", flat=True)) == [
        "Create",
        "Delete",
    ]


def test_the_network_page_links_to_the_announcements(client_for: Any) -> None:
    assert PAGE in client_for("member").get("/c/riverside/network/").content.decode()


def _rows(community: Any, n: int) -> None:
    for i in range(n):
        announcement = publish(community, f"Announcement {i}")
        actor = RemoteActor.objects.create(
            uri=f"https://far.example/users/r{announcement.pk}",
            host="far.example",
            kind=RemoteActor.Kind.PERSON,
            username=f"r{announcement.pk}",
            inbox="https://far.example/inbox",
            fetched_at=timezone.now(),
        )
        for j in range(2):
            actor.remote_objects.create(
                uri=f"{actor.uri}/notes/{j}",
                kind="Note",
                in_reply_to=announcements.note_id(announcement),
                data={"content": f"<p>reply {j}</p>", "id": f"{actor.uri}/notes/{j}"},
                community=community,
            )


def _count(client: Any, path: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, headers=headers).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_announcements_or_replies(client_for: Any, community: Any) -> None:
    client = client_for("coordinator")
    _rows(community, 1)
    first = Announcement.objects.get()
    one_list = _count(client, PAGE)
    note_path = announcements.note_id(first).removeprefix("http://testserver")
    one_note = _count(client, note_path, Accept="text/html")
    _rows(community, 8)
    for i in range(6):
        RemoteActor.objects.get(uri=f"https://far.example/users/r{first.pk}").remote_objects.create(
            uri=f"https://far.example/more/{i}",
            kind="Note",
            in_reply_to=announcements.note_id(first),
            data={"content": "more"},
        )
    assert _count(client, PAGE) == one_list
    assert _count(client, note_path, Accept="text/html") == one_note
    assert one_list <= 14 and one_note <= 8


def test_the_outbox_lists_the_newest_public_activities(client: Any, community: Any) -> None:
    first = publish(community, "First")
    publish(community, "Second")
    announcements.announcement_delete(announcement=first, by=None)
    outbox = client.get("/ap/c/riverside/outbox", headers={"Accept": "application/activity+json"}).json()
    assert outbox["totalItems"] == 3
    items = outbox["orderedItems"]
    assert [item["type"] for item in items] == ["Delete", "Create", "Create"]
    assert items[1]["object"]["source"]["content"] == "Second"
    assert all("@context" not in item and "proof" not in item for item in items)
