"""Members visible on the fediverse by their own choice (persons.py): who may choose, the page,
the Person actor and WebFinger, follows accepted, stopping (by choice or by deleting the account)
with a Delete and 410 afterwards, and nobody federated who did not choose. Signed requests from
actors served by a real local HTTP server (remote_node.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualpower.community.services import community_create
from dualpower.errors import Conflict, InvalidInput
from dualpower.federation import ids, keys, persons, sending, signatures
from dualpower.federation.models import Delivery, OutboundActivity, PersonActor, PersonFollower, RemoteActor
from dualpower.federation.tests.inbox_helpers import activity, post
from dualpower.federation.tests.remote_node import Actor, RemoteNode
from dualpower.members.models import Membership
from dualpower.members.services import account_delete

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive, pytest.mark.usefixtures("federation_site")]
ME = "/c/riverside/network/me/"


@pytest.fixture(autouse=True)
def _own_key_folder(settings: Any, tmp_path: Any) -> None:
    # Key files are named by primary key, and test databases reuse them: each test keeps its keys
    # apart, or a test removing person-1's key would remove another test's (xdist shares DP_HOME).
    settings.DP_HOME = tmp_path


JSON = {"Accept": "application/activity+json"}


def membership(people: dict[str, Any], role: str, community: Any) -> Membership:
    return Membership.objects.get(user=people[role], community=community)


@pytest.fixture
def mara(people: dict[str, Any], community: Any) -> PersonActor:
    """The member Mara chose to be visible as @mara_r, with no name typed."""
    return persons.person_start(membership=membership(people, "member", community), handle="Mara_R")


def remote_follower(n: int, host: str = "far.example") -> RemoteActor:
    return RemoteActor.objects.create(
        uri=f"https://{host}/users/f{n}",
        host=host,
        kind=RemoteActor.Kind.PERSON,
        username=f"f{n}",
        inbox=f"https://{host}/users/f{n}/inbox",
        shared_inbox=f"https://{host}/inbox",
        fetched_at=timezone.now(),
    )


# --- who may choose -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),  # asked to sign in
        ("applicant", 403),
        ("outsider", 403),
        ("observer", 403),
        ("member", 302),
        ("coordinator", 302),
    ],
)
def test_who_may_choose_to_be_visible(client_for: Any, community: Any, role: str, status: int) -> None:
    response = client_for(role).post(ME, {"handle": f"h_{role}", "name": "", "summary": ""})
    assert response.status_code == status
    chose = PersonActor.objects.filter(handle=f"h_{role}").exists()
    assert chose is (role in ("member", "coordinator"))


@pytest.mark.parametrize(("role", "status"), [("observer", 200), ("member", 200), ("applicant", 403)])
def test_the_page_explains_before_anyone_chooses(client_for: Any, role: str, status: int) -> None:
    response = client_for(role).get(ME)
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "What becomes public" in page and "You can stop at any time" in page
        assert ('name="handle"' in page) is (role == "member")


def test_an_observer_is_refused_by_the_service_too(people: dict[str, Any], community: Any) -> None:
    with pytest.raises(Conflict):
        persons.person_start(membership=membership(people, "observer", community), handle="olu")
    assert not PersonActor.objects.exists()


# --- choosing ---------------------------------------------------------------------------------------


def test_a_member_chooses_and_sees_what_is_public(client_for: Any, community: Any) -> None:
    client = client_for("member")
    response = client.post(ME, {"handle": "@River_Rat", "name": "", "summary": "Gardener.\nCyclist."})
    assert response.status_code == 302
    person = PersonActor.objects.get()
    # Lower case, and no name the member did not type (their display name here is "Mara").
    assert (person.handle, person.name, person.summary) == ("river_rat", "", "Gardener.\nCyclist.")
    assert keys.actor_key_exists(keys.person_key_name(person.pk))
    page = client.get(ME).content.decode()
    assert "@river_rat@testserver" in page and "Stop being visible" in page and 'name="handle"' not in page


@pytest.mark.parametrize(
    ("handle", "sentence"),
    [
        ("", "This field is required."),
        ("two words", "only letters a to z, digits and underscores"),
        ("ñandú", "only letters a to z, digits and underscores"),
        ("rosa-m", "only letters a to z, digits and underscores"),
        ("Actor", "is kept for the server"),
        ("admin", "is kept for the server"),
        ("hilltop", "is the address of a community"),
        ("taken", "is taken or was used before"),
        ("x" * 31, "at most 30 characters"),
    ],
)
def test_a_handle_that_will_not_do_is_refused_with_a_sentence(
    client_for: Any, people: dict[str, Any], community: Any, other_community: Any, handle: str, sentence: str
) -> None:
    persons.person_start(membership=membership(people, "coordinator", community), handle="taken")
    response = client_for("member").post(ME, {"handle": handle, "name": "", "summary": ""})
    assert response.status_code == 400
    assert sentence in response.content.decode()
    assert list(PersonActor.objects.values_list("handle", flat=True)) == ["taken"]


def test_one_person_per_membership(people: dict[str, Any], community: Any, mara: PersonActor) -> None:
    with pytest.raises(Conflict):
        persons.person_start(membership=membership(people, "member", community), handle="second")
    assert PersonActor.objects.count() == 1


def test_a_community_may_not_take_a_handle_as_its_slug(mara: PersonActor) -> None:
    with pytest.raises(InvalidInput, match="someone's address"):
        community_create(name="Mara R", slug="mara_r")
    persons.person_stop(person=mara)
    with pytest.raises(InvalidInput):  # nor one used before: old followers still know it
        community_create(name="Mara R", slug="mara_r")


# --- the actor and WebFinger ------------------------------------------------------------------------


def test_the_person_actor_says_only_what_the_member_typed(
    client: Any, people: dict[str, Any], community: Any
) -> None:
    person = persons.person_start(
        membership=membership(people, "member", community), handle="rr", name="River", summary="a <b>"
    )
    response = client.get("/ap/u/rr", headers=JSON)
    assert response.status_code == 200 and response["Content-Type"] == "application/activity+json"
    actor = response.json()
    actor_id = "http://testserver/ap/u/rr"
    assert actor["id"] == actor_id and actor["type"] == "Person"
    assert (actor["preferredUsername"], actor["name"], actor["summary"]) == (
        "rr",
        "River",
        "<p>a &lt;b&gt;</p>",
    )
    assert actor["inbox"] == f"{actor_id}/inbox" and actor["outbox"] == f"{actor_id}/outbox"
    assert actor["followers"] == f"{actor_id}/followers"
    assert actor["endpoints"] == {"sharedInbox": "http://testserver/ap/inbox"}
    assert actor["manuallyApprovesFollowers"] is False and actor["discoverable"] is False
    assert actor["publicKey"] == {
        "id": f"{actor_id}#main-key",
        "owner": actor_id,
        "publicKeyPem": keys.actor_public_pem(keys.person_key_name(person.pk)),
    }
    [multikey] = actor["assertionMethod"]
    assert multikey["type"] == "Multikey" and multikey["controller"] == actor_id
    assert multikey["publicKeyMultibase"] == keys.node_proof_multibase()
    # Nothing of the membership: not the account's email, the name in the community, the community.
    text = response.content.decode()
    for secret in ("mara", "Mara", people["member"].email, "riverside", "Riverside", '"member"'):
        assert secret not in text, text[max(text.find(secret) - 80, 0) : text.find(secret) + 80]
    assert client.get("/ap/u/rr/outbox", headers=JSON).json()["totalItems"] == 0


def test_an_empty_name_shows_the_handle(client: Any, mara: PersonActor) -> None:
    assert client.get("/ap/u/mara_r", headers=JSON).json()["name"] == "mara_r"


def test_webfinger_finds_a_person_by_handle_and_by_actor_id(client: Any, mara: PersonActor) -> None:
    for resource in ("acct:mara_r@testserver", "acct:MARA_R@testserver", "http://testserver/ap/u/mara_r"):
        response = client.get("/.well-known/webfinger", {"resource": resource})
        assert response.status_code == 200, resource
        jrd = response.json()
        assert jrd["subject"] == "acct:mara_r@testserver"
        assert jrd["links"] == [
            {"rel": "self", "type": "application/activity+json", "href": "http://testserver/ap/u/mara_r"}
        ]


def test_a_community_answers_webfinger_if_a_person_ever_shares_its_name(
    client: Any, people: dict[str, Any], community: Any
) -> None:
    # Both ways are refused (above); a restored backup could still hold both: the community wins.
    PersonActor.objects.create(handle="riverside", membership=membership(people, "member", community))
    jrd = client.get("/.well-known/webfinger", {"resource": "acct:riverside@testserver"}).json()
    assert jrd["links"][0]["href"] == ids.community_actor_id(community)


# --- nobody federated without choosing -------------------------------------------------------------


def test_nobody_who_did_not_choose_is_found(client: Any, people: dict[str, Any], community: Any) -> None:
    names = ("mara", "cato", "olu", "member", "coordinator", "1")
    for name in names:
        assert client.get(f"/ap/u/{name}", headers=JSON).status_code == 404
        assert client.get(f"/ap/u/{name}/followers", headers=JSON).status_code == 404
        for resource in (f"acct:{name}@testserver", f"http://testserver/ap/u/{name}"):
            assert client.get("/.well-known/webfinger", {"resource": resource}).status_code == 404
    # Nor named by the community's documents, the node's or any activity.
    documents = [
        client.get(f"/ap/c/{community.slug}", headers=JSON),
        client.get(f"/ap/c/{community.slug}/outbox", headers=JSON),
        client.get(f"/ap/c/{community.slug}/followers", headers=JSON),
        client.get("/ap/actor", headers=JSON),
        client.get("/nodeinfo/2.1"),
        client.get("/.well-known/webfinger", {"resource": f"acct:{community.slug}@testserver"}),
    ]
    for response in documents:
        assert response.status_code == 200
        text = response.content.decode()
        for member in ("Mara", "Cato", "Olu", "Otto", "@example.org", "/ap/u/"):
            assert member not in text
    assert not OutboundActivity.objects.exists() and not PersonActor.objects.exists()


def test_an_opted_in_member_is_not_listed_by_the_community(
    client: Any, community: Any, mara: PersonActor
) -> None:
    for path in (f"/ap/c/{community.slug}", f"/ap/c/{community.slug}/outbox", "/nodeinfo/2.1"):
        assert "mara_r" not in client.get(path, headers=JSON).content.decode()


# --- follows ----------------------------------------------------------------------------------------


def test_a_follow_is_accepted_at_once_and_signed_as_the_person(
    client: Any, node: RemoteNode, alice: Actor, mara: PersonActor, django_capture_on_commit_callbacks: Any
) -> None:
    actor_id = ids.person_actor_id("mara_r")
    follow = activity(alice, "Follow", actor_id, to=[actor_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, follow, signer=alice, path="/ap/u/mara_r/inbox")
    assert response.status_code == 202
    follower = PersonFollower.objects.get()
    assert (follower.person, follower.actor.uri, follower.follow_id) == (mara, alice.uri, follow["id"])
    [sent] = node.posted
    accept = sent.json
    assert (sent.path, accept["type"], accept["actor"], accept["to"]) == (
        "/inbox",
        "Accept",
        actor_id,
        [alice.uri],
    )
    assert accept["object"]["id"] == follow["id"]
    signed = signatures.verify(
        method="POST",
        path="/inbox",
        host=node.host,
        headers=sent.headers,
        body=sent.body,
        public_key_pem=keys.actor_public_pem(keys.person_key_name(mara.pk)),
    )
    assert signed.key_id == f"{actor_id}#main-key"
    # Shown as a count only.
    assert client.get("/ap/u/mara_r/followers", headers=JSON).json() == {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{actor_id}/followers",
        "type": "OrderedCollection",
        "totalItems": 1,
    }
    # Undo ends it.
    assert post(client, activity(alice, "Undo", follow), signer=alice).status_code == 202
    assert not PersonFollower.objects.exists()


def test_a_follow_of_nobody_or_of_someone_gone_is_refused_with_nothing_stored(
    client: Any, alice: Actor, mara: PersonActor
) -> None:
    nobody = ids.person_actor_id("nobody_here")
    assert post(client, activity(alice, "Follow", nobody), signer=alice).status_code == 404
    persons.person_stop(person=mara)
    gone = ids.person_actor_id("mara_r")
    assert post(client, activity(alice, "Follow", gone), signer=alice).status_code == 410
    assert (
        post(client, activity(alice, "Follow", gone), signer=alice, path="/ap/u/mara_r/inbox").status_code
        == 410
    )
    assert not PersonFollower.objects.exists() and not OutboundActivity.objects.exists()


# --- stopping ------------------------------------------------------------------------------------------


def _followed(mara: PersonActor, node: RemoteNode, alice: Actor) -> None:
    actor = RemoteActor.objects.create(
        uri=alice.uri,
        host=node.host,
        kind=RemoteActor.Kind.PERSON,
        username="alice",
        inbox=f"{alice.uri}/inbox",
        shared_inbox=f"{node.base}/inbox",
        key_id=alice.key_id,
        public_key_pem=alice.public_pem,
        fetched_at=timezone.now(),
    )
    PersonFollower.objects.create(person=mara, actor=actor, follow_id=f"{node.base}/follows/1")
    # Two followers on one other server: its shared inbox gets one Delete for both.
    for n in (1, 2):
        PersonFollower.objects.create(
            person=mara, actor=remote_follower(n), follow_id=f"https://far.example/f/{n}"
        )


def test_stopping_sends_a_delete_and_the_actor_is_gone(
    client_for: Any,
    node: RemoteNode,
    alice: Actor,
    mara: PersonActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _followed(mara, node, alice)
    client = client_for("member")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ME}stop/")
    assert response.status_code == 302
    actor_id = ids.person_actor_id("mara_r")
    # One Delete per server (by shared inbox), each addressed to everyone and to the followers.
    deletes = list(OutboundActivity.objects.order_by("pk"))
    assert len(deletes) == 2 and {d.kind for d in deletes} == {"Delete"}
    assert sorted(Delivery.objects.values_list("inbox", flat=True)) == [
        f"{node.base}/inbox",
        "https://far.example/inbox",
    ]
    [sent] = node.posted  # the local one went at once (far.example does not resolve: retried)
    delete = sent.json
    assert delete["actor"] == actor_id and delete["object"] == {
        "id": actor_id,
        "type": "Tombstone",
        "formerType": "Person",
    }
    assert delete["to"] == ["https://www.w3.org/ns/activitystreams#Public"]
    signatures.verify(
        method="POST",
        path="/inbox",
        host=node.host,
        headers=sent.headers,
        body=sent.body,
        public_key_pem=keys.actor_public_pem(keys.person_key_name(mara.pk)),
    )
    # Gone: 410 with a Tombstone, the followers forgotten, nothing personal kept.
    gone = client.get("/ap/u/mara_r", headers=JSON)
    assert gone.status_code == 410 and gone.json()["type"] == "Tombstone"
    assert client.get("/ap/u/mara_r/followers", headers=JSON).status_code == 410
    webfinger = client.get("/.well-known/webfinger", {"resource": "acct:mara_r@testserver"})
    assert webfinger.status_code == 410
    mara.refresh_from_db()
    assert (mara.membership, mara.name, mara.summary) == (None, "", "") and mara.stopped_at is not None
    assert not PersonFollower.objects.exists()
    # The key stays while a Delete still waits (far.example), then goes.
    key = keys.person_key_name(mara.pk)
    assert persons.person_keys_due(timezone.now()) == "" and keys.actor_key_exists(key)
    Delivery.objects.filter(state=Delivery.State.PENDING).update(state=Delivery.State.DEAD)
    assert persons.person_keys_due(timezone.now()) and not keys.actor_key_exists(key)
    mara.refresh_from_db()
    assert mara.key_removed_at is not None
    # The page offers to choose again (with another handle).
    assert 'name="handle"' in client.get(ME).content.decode()


def test_stopping_with_no_followers_removes_the_key_at_once(
    mara: PersonActor, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        persons.person_stop(person=mara)
    assert not keys.actor_key_exists(keys.person_key_name(mara.pk))
    assert not OutboundActivity.objects.exists()
    with pytest.raises(Conflict):
        persons.person_stop(person=mara)


def test_deleting_the_account_stops_the_person(
    people: dict[str, Any], node: RemoteNode, alice: Actor, mara: PersonActor, client: Any
) -> None:
    _followed(mara, node, alice)
    user = people["member"]
    account_delete(user=user, confirm_email=user.email)
    mara.refresh_from_db()
    assert mara.stopped_at is not None and mara.membership is None
    assert OutboundActivity.objects.filter(kind="Delete").count() == 2
    assert client.get("/ap/u/mara_r", headers=JSON).status_code == 410


def test_a_delete_is_signed_as_the_person_when_retried(
    node: RemoteNode, alice: Actor, mara: PersonActor
) -> None:
    _followed(mara, node, alice)
    persons.person_stop(person=mara)  # no commit callbacks: the deliveries wait for the clock
    assert "1 delivered" in sending.host_send(host=node.host)
    [sent] = node.posted
    assert signatures.claimed_key_id(headers=sent.headers) == f"{ids.person_actor_id('mara_r')}#main-key"


# --- queries -----------------------------------------------------------------------------------------


def _queries(client: Any, path: str, **kwargs: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **kwargs).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_followers(client_for: Any, mara: PersonActor) -> None:
    client = client_for("member")  # the page is theirs; the documents are read by anyone
    PersonFollower.objects.create(person=mara, actor=remote_follower(0), follow_id="https://far.example/f/0")
    before = [_queries(Client(), p, headers=JSON) for p in ("/ap/u/mara_r", "/ap/u/mara_r/followers")]
    before.append(_queries(client, ME))
    for n in range(1, 30):
        PersonFollower.objects.create(
            person=mara, actor=remote_follower(n), follow_id=f"https://far.example/f/{n}"
        )
    after = [_queries(Client(), p, headers=JSON) for p in ("/ap/u/mara_r", "/ap/u/mara_r/followers")]
    after.append(_queries(client, ME))
    assert after == before
    assert before[:2] == [1, 2]  # the person (with its membership); the count


def test_the_documents_are_json(client: Any, mara: PersonActor) -> None:
    for path in ("/ap/u/mara_r", "/ap/u/mara_r/outbox", "/ap/u/mara_r/followers"):
        json.loads(client.get(path, headers=JSON).content)
