"""How other servers find this node and read its actors: WebFinger, NodeInfo, host-meta, the Group
and instance actors with their keys, and the collections."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from django.test import Client
from django.utils import timezone

from dualpower.federation import ids, keys
from dualpower.federation.models import Follower, RemoteActor
from dualpower.members.tests.factories import ApplicationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

SITE = "https://node.example"
ACTIVITY = "application/activity+json"


@pytest.fixture(autouse=True)
def _node(settings: Any, tmp_path: Path) -> Path:
    settings.SITE_URL = SITE
    settings.DP_HOME = tmp_path
    return tmp_path


def _finger(client: Client, resource: str | None) -> Any:
    query = {} if resource is None else {"resource": resource}
    return client.get("/.well-known/webfinger", query)


def _actor(client: Client, path: str, accept: str = ACTIVITY) -> Any:
    return client.get(path, headers={"accept": accept})


def _public_pem_of(private_file: Path) -> str:
    private = serialization.load_pem_private_key(private_file.read_bytes(), password=None)
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


# --- WebFinger ---------------------------------------------------------------------------------


def test_webfinger_finds_a_community_by_its_acct_address(client: Client, community: Any) -> None:
    response = _finger(client, "acct:riverside@node.example")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jrd+json"
    jrd = response.json()
    assert jrd["subject"] == "acct:riverside@node.example"
    links = {link["rel"]: link for link in jrd["links"]}
    assert links["self"] == {"rel": "self", "type": ACTIVITY, "href": f"{SITE}/ap/c/riverside"}
    assert links["http://webfinger.net/rel/profile-page"]["href"] == f"{SITE}/c/riverside/about/"
    assert jrd["properties"]["https://www.w3.org/ns/activitystreams#type"] == "Group"


def test_webfinger_takes_the_actor_address_and_any_case_of_the_host(client: Client, community: Any) -> None:
    by_url = _finger(client, f"{SITE}/ap/c/riverside").json()
    by_case = _finger(client, "acct:riverside@NODE.example").json()
    assert by_url["subject"] == by_case["subject"] == "acct:riverside@node.example"


def test_webfinger_finds_the_instance_actor_by_the_host_name(client: Client, community: Any) -> None:
    jrd = _finger(client, "acct:node.example@node.example").json()
    assert [link["href"] for link in jrd["links"] if link["rel"] == "self"] == [f"{SITE}/ap/actor"]


@pytest.mark.parametrize(
    "resource",
    [
        "acct:nobody@node.example",
        "acct:riverside@elsewhere.example",
        f"{SITE}/ap/c/nobody",
        "acct:a/b@node.example",
    ],
)
def test_webfinger_answers_404_for_what_is_not_here(client: Client, community: Any, resource: str) -> None:
    response = _finger(client, resource)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "resource", [None, "", "riverside", "acct:riverside", "acct:@node.example", "mailto:x@y"]
)
def test_webfinger_answers_400_for_a_malformed_resource(
    client: Client, community: Any, resource: str | None
) -> None:
    response = _finger(client, resource)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_host_meta_points_to_webfinger(client: Client) -> None:
    response = client.get("/.well-known/host-meta")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xrd+xml")
    text = response.content.decode()
    assert '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">' in text
    template = f"{SITE}/.well-known/webfinger?resource={{uri}}"
    assert f'<Link rel="lrdd" type="application/jrd+json" template="{template}"/>' in text


# --- NodeInfo ----------------------------------------------------------------------------------


def test_nodeinfo_is_found_through_well_known_and_says_what_the_schema_asks(
    client: Client, community: Any, people: dict[str, Any]
) -> None:
    links = client.get("/.well-known/nodeinfo").json()["links"]
    assert links == [
        {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": f"{SITE}/nodeinfo/2.1"}
    ]
    response = client.get("/nodeinfo/2.1")
    assert response["Content-Type"].startswith("application/json")
    info = response.json()
    assert set(info) >= {
        "version",
        "software",
        "protocols",
        "services",
        "openRegistrations",
        "usage",
        "metadata",
    }
    assert info["version"] == "2.1"
    assert info["software"]["name"] == "dualpower"  # the schema's pattern: ^[a-z0-9-]+$
    assert info["software"]["version"]
    assert info["protocols"] == ["activitypub"]
    assert info["services"] == {"inbound": [], "outbound": []}
    assert info["openRegistrations"] is False  # people join by applying to a community
    assert info["usage"]["localPosts"] == 0
    assert isinstance(info["usage"]["users"]["total"], int)


def test_nodeinfo_counts_admitted_people_once_and_not_applicants(
    client: Client, community: Any, other_community: Any, people: dict[str, Any]
) -> None:
    before = client.get("/nodeinfo/2.1").json()["usage"]["users"]["total"]
    MembershipFactory.create(community=other_community, user=people["member"])  # already counted
    ApplicationFactory.create(community=community)  # not admitted
    assert client.get("/nodeinfo/2.1").json()["usage"]["users"]["total"] == before
    MembershipFactory.create(community=community)
    assert client.get("/nodeinfo/2.1").json()["usage"]["users"]["total"] == before + 1


# --- Actors ------------------------------------------------------------------------------------


def test_a_community_is_a_group_actor_with_its_key_from_the_key_file(
    client: Client, community: Any, _node: Path
) -> None:
    response = _actor(client, "/ap/c/riverside")
    assert response.status_code == 200
    assert response["Content-Type"] == ACTIVITY
    actor = response.json()
    actor_id = f"{SITE}/ap/c/riverside"
    assert actor["id"] == actor_id
    assert actor["type"] == "Group"
    assert actor["preferredUsername"] == "riverside"
    assert actor["name"] == "Riverside Mutual Aid"
    assert actor["url"] == f"{SITE}/c/riverside/about/"
    assert actor["inbox"] == f"{actor_id}/inbox"
    assert actor["outbox"] == f"{actor_id}/outbox"
    assert actor["followers"] == f"{actor_id}/followers"
    assert actor["following"] == f"{actor_id}/following"
    assert actor["endpoints"] == {"sharedInbox": f"{SITE}/ap/inbox"}
    assert actor["manuallyApprovesFollowers"] is False
    assert actor["dualpower"] is True
    assert "https://www.w3.org/ns/activitystreams" in actor["@context"]
    key_file = _node / "federation-keys" / f"community-{community.pk}.pem"
    assert actor["publicKey"] == {
        "id": f"{actor_id}#main-key",
        "owner": actor_id,
        "publicKeyPem": _public_pem_of(key_file),
    }
    [method] = actor["assertionMethod"]
    assert method["id"] == f"{actor_id}#ed25519-key"
    assert method["type"] == "Multikey"
    assert method["controller"] == actor_id
    assert method["publicKeyMultibase"] == keys.node_proof_multibase()
    assert method["publicKeyMultibase"].startswith("z6Mk")


def test_a_listed_community_shows_its_description_and_an_unlisted_one_only_its_name(
    client: Client, community: Any
) -> None:
    community.description = "We share food & tools.\n\nEvery Sunday."
    community.is_public = True
    community.save()
    listed = _actor(client, "/ap/c/riverside").json()
    assert listed["summary"] == "<p>We share food &amp; tools.</p>\n\n<p>Every Sunday.</p>"
    assert listed["discoverable"] is True
    community.is_public = False
    community.save()
    unlisted = _actor(client, "/ap/c/riverside").json()
    assert "summary" not in unlisted
    assert unlisted["discoverable"] is False
    assert unlisted["name"] == "Riverside Mutual Aid"


@pytest.mark.parametrize(
    "accept",
    ['application/ld+json; profile="https://www.w3.org/ns/activitystreams"', "application/json", "*/*", ""],
)
def test_servers_get_the_actor_as_activity_json(client: Client, community: Any, accept: str) -> None:
    response = _actor(client, "/ap/c/riverside", accept)
    assert response.status_code == 200
    assert response["Content-Type"] == ACTIVITY
    assert "Accept" in response["Vary"]


def test_a_browser_is_sent_to_the_community_page(client: Client, community: Any) -> None:
    response = _actor(client, "/ap/c/riverside", "text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 302
    assert response["Location"] == f"{SITE}/c/riverside/about/"


def test_an_unknown_community_has_no_actor(client: Client, community: Any) -> None:
    response = _actor(client, "/ap/c/nobody")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_instance_actor_is_an_application_named_after_the_host(client: Client, _node: Path) -> None:
    actor = _actor(client, "/ap/actor").json()
    assert actor["type"] == "Application"
    assert actor["id"] == f"{SITE}/ap/actor"
    assert actor["preferredUsername"] == "node.example"
    assert actor["inbox"] == f"{SITE}/ap/inbox"
    assert actor["publicKey"]["owner"] == actor["id"]
    assert actor["publicKey"]["publicKeyPem"] == _public_pem_of(_node / "federation-keys" / "instance.pem")


def test_collections_give_their_count_and_never_the_followers(client: Client, community: Any) -> None:
    for n in range(3):
        remote = RemoteActor.objects.create(
            uri=f"https://far.example/users/{n}",
            host="far.example",
            kind="Person",
            inbox=f"https://far.example/users/{n}/inbox",
            fetched_at=timezone.now(),
        )
        Follower.objects.create(
            community=community, actor=remote, follow_id=f"https://far.example/follows/{n}"
        )
    followers = _actor(client, "/ap/c/riverside/followers").json()
    assert followers["type"] == "OrderedCollection"
    assert followers["id"] == f"{SITE}/ap/c/riverside/followers"
    assert followers["totalItems"] == 3
    assert not {"items", "orderedItems", "first"} & set(followers)
    assert _actor(client, "/ap/c/riverside/following").json()["totalItems"] == 0
    assert _actor(client, "/ap/c/riverside/outbox").json()["totalItems"] == 0
    assert _actor(client, "/ap/actor/outbox").json()["totalItems"] == 0


# --- Keys --------------------------------------------------------------------------------------


def test_keys_are_made_on_first_use_owner_only_and_stay_the_same(_node: Path) -> None:
    folder = _node / "federation-keys"
    assert not folder.exists()
    first = keys.actor_private_pem("community-7")
    proof = keys.node_proof_private_pem()
    for name in ("community-7.pem", "node-ed25519.pem"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    keys._pem_at.cache_clear()  # read again from the file, as another process would
    assert keys.actor_private_pem("community-7") == first
    assert keys.node_proof_private_pem() == proof
    assert keys.actor_private_pem("community-8") != first
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_a_key_file_made_by_another_process_first_is_the_one_kept(_node: Path) -> None:
    path = _node / "federation-keys" / "instance.pem"
    keys._file_create(path, "theirs")
    keys._file_create(path, "ours")
    assert path.read_text() == "theirs"


def test_a_key_name_that_is_not_an_actor_is_refused() -> None:
    with pytest.raises(ValueError):
        keys.actor_private_pem("../secret_key")


# --- Cost --------------------------------------------------------------------------------------


def test_the_actor_and_webfinger_cost_one_query_each(
    client: Client, community: Any, django_assert_max_num_queries: Any
) -> None:
    _actor(client, "/ap/c/riverside")  # keys made outside the count
    # The community, and whether it has a directory profile (directory.py; an unlisted one says no more).
    with django_assert_max_num_queries(2):
        assert _actor(client, "/ap/c/riverside").status_code == 200
    with django_assert_max_num_queries(1):
        assert _finger(client, "acct:riverside@node.example").status_code == 200
    with django_assert_max_num_queries(2):
        assert _actor(client, "/ap/c/riverside/followers").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get("/nodeinfo/2.1").status_code == 200


# --- Ids ---------------------------------------------------------------------------------------


def test_ids_derive_from_the_site_address_and_lead_back_to_the_community(community: Any) -> None:
    assert ids.community_actor_id(community) == f"{SITE}/ap/c/riverside"
    assert ids.key_id(ids.instance_actor_id()) == f"{SITE}/ap/actor#main-key"
    assert ids.community_for_actor_id(f"{SITE}/ap/c/riverside") == community
    elsewhere = (f"{SITE}/ap/c/riverside/inbox", "https://other.example/ap/c/riverside", f"{SITE}/ap/c/x")
    for uri in elsewhere:
        assert ids.community_for_actor_id(uri) is None
    first, second = ids.new_activity_id(community), ids.new_activity_id(None)
    assert first.startswith(f"{SITE}/ap/c/riverside/activities/")
    assert second.startswith(f"{SITE}/ap/activities/")
    assert first != ids.new_activity_id(community)
