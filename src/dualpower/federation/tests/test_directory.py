"""The directory: a community's profile in its Group actor, sent as a signed Update(Group) when it
changes; what other dualpower nodes publish of themselves, kept from their origin only; peers'
peers known "through" them; member communities by decision; the page, its map and its form."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualpower.coops.tests.factories import CooperativeFactory
from dualpower.federation import directory_services, ids, keys, proofs, remote
from dualpower.federation.directory_map import MapPoint, map_svg
from dualpower.federation.models import (
    AnnouncedLink,
    DirectoryProfile,
    Follower,
    InboxEntry,
    MemberCommunity,
    OutboundActivity,
    Peer,
    RemoteActor,
    RemoteProfile,
)
from dualpower.federation.tests.inbox_helpers import activity, post
from dualpower.federation.tests.remote_node import Actor, RemoteNode, remote_node
from dualpower.federation.tests.test_peering import decide
from dualpower.groups.tests.factories import WorkingGroupFactory
from dualpower.members.tests.factories import membership_of

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive, pytest.mark.usefixtures("federation_site")]
DIRECTORY = "/c/riverside/network/directory/"
PROFILE = "/c/riverside/network/directory/profile/"
LOOKUP = "/c/riverside/network/directory/lookup/"
AS_JSON = {"HTTP_ACCEPT": "application/activity+json"}


def dualpower_group(node: RemoteNode, name: str, title: str, **profile: Any) -> Actor:
    """A community on the other node, its actor carrying a directory profile like ours do."""
    made = node.actor(name, kind="Group", dualpower=True)
    node.documents[f"/users/{name}"].update({"name": title, **profile})
    return made


def peer_of(community: Any, actor: RemoteActor) -> Peer:
    return Peer.objects.create(community=community, actor=actor, state=Peer.State.ACTIVE)


def save_profile(community: Any, **changes: Any) -> DirectoryProfile:
    values: dict[str, Any] = {
        "listed": True,
        "region": "Jackson, Mississippi, US",
        "latitude": Decimal("32.2988"),
        "longitude": Decimal("-90.1848"),
        "languages": ["es", "en"],
        **changes,
    }
    return directory_services.profile_save(community=community, by=None, **values)


def actor_document(client: Any) -> dict[str, Any]:
    response = client.get("/ap/c/riverside", **AS_JSON)
    assert response.status_code == 200
    return json.loads(response.content)


# --- our profile in our actor ---------------------------------------------------------------------


def test_a_listed_communitys_actor_carries_its_profile_peers_and_member_communities(
    client: Any, community: Any, node: RemoteNode
) -> None:
    WorkingGroupFactory.create(community=community, name="Food distribution")
    CooperativeFactory.create(community=community, name="Bread & Roses Bakery")
    garden = remote.actor_get(dualpower_group(node, "garden", "Garden").uri)
    orchard = remote.actor_get(dualpower_group(node, "orchard", "Orchard").uri)
    peer_of(community, garden)
    peer_of(community, orchard)
    MemberCommunity.objects.create(community=community, actor=orchard)
    save_profile(community)

    document = actor_document(client)
    assert document["name"] == "Riverside Mutual Aid" and document["type"] == "Group"
    assert document["dp:region"] == "Jackson, Mississippi, US"
    # Rounded to one decimal when saved: a town, never a house.
    assert document["location"] == {
        "type": "Place",
        "name": "Jackson, Mississippi, US",
        "latitude": 32.3,
        "longitude": -90.2,
    }
    assert document["dp:languages"] == ["en", "es"]
    assert "Food distribution" in document["dp:workingGroups"]
    assert document["dp:coops"] == ["Bread & Roses Bakery"]
    assert document["dp:peers"] == sorted([garden.uri, orchard.uri])
    assert document["dp:members"] == [orchard.uri]
    terms = document["@context"][-1]
    assert terms["dp"] == "https://dualpower.org/ns#"
    assert terms["dp:peers"] == {"@id": "dp:peers", "@type": "@id"}


def test_an_unlisted_community_publishes_nothing_of_its_profile_or_its_peers(
    client: Any, community: Any, node: RemoteNode
) -> None:
    garden = remote.actor_get(dualpower_group(node, "garden", "Garden").uri)
    peer_of(community, garden)
    save_profile(community, listed=False)
    document = actor_document(client)
    assert not [key for key in document if key.startswith("dp:")] and "location" not in document


def test_a_member_community_that_is_no_longer_a_peer_is_not_published(
    client: Any, community: Any, node: RemoteNode
) -> None:
    garden = remote.actor_get(dualpower_group(node, "garden", "Garden").uri)
    Peer.objects.create(community=community, actor=garden, state=Peer.State.ENDED)
    MemberCommunity.objects.create(community=community, actor=garden)
    save_profile(community)
    document = actor_document(client)
    assert document["dp:members"] == [] and document["dp:peers"] == []


# --- Update(Group) sent --------------------------------------------------------------------------


def test_saving_the_profile_sends_a_signed_update_of_the_group_to_followers_and_peers(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    follower = remote.actor_get(dualpower_group(node, "garden", "Garden").uri)
    Follower.objects.create(community=community, actor=follower, follow_id=f"{node.base}/follows/1")
    peer = remote.actor_get(dualpower_group(node, "orchard", "Orchard").uri)
    peer_of(community, peer)  # a peer that does not follow: it gets its own copy

    with django_capture_on_commit_callbacks(execute=True):
        save_profile(community)

    ours = ids.community_actor_id(community)
    updates = [p.json for p in node.posted if p.json.get("type") == "Update"]
    assert len(updates) == 2
    for update in updates:
        assert update["actor"] == ours and update["object"]["id"] == ours
        assert update["object"]["type"] == "Group"
        assert update["object"]["dp:region"] == "Jackson, Mississippi, US"
        proofs.proof_verify(update, public_key_multibase=keys.node_proof_multibase())  # raises if forged
    public, to_peers = sorted(
        updates, key=lambda u: u["to"][0] != "https://www.w3.org/ns/activitystreams#Public"
    )
    assert public["cc"] == [f"{ours}/followers"]
    assert to_peers["to"] == [peer.uri]
    assert OutboundActivity.objects.filter(kind="Update", community=community).count() == 2


def test_a_peering_that_starts_tells_the_network_when_the_community_is_listed(
    community: Any, people: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    save_profile(community)
    before = OutboundActivity.objects.filter(kind="Update").count()
    garden = remote.actor_get(dualpower_group(node, "garden", "Garden").uri)
    Peer.objects.create(
        community=community, actor=garden, state=Peer.State.INVITED, their_offer_id=f"{node.base}/offers/1"
    )
    decide(
        community, people, "federation.peer", {"actor": garden.pk}, capture=django_capture_on_commit_callbacks
    )
    updates = OutboundActivity.objects.filter(kind="Update").order_by("pk")
    # To the followers, and a copy to the new peer, which does not follow.
    assert updates.count() == before + 2
    to_peer = updates.last()
    assert to_peer is not None and to_peer.data["to"] == [garden.uri]
    assert to_peer.data["object"]["dp:peers"] == [garden.uri]


# --- Update(Group) received ----------------------------------------------------------------------


def test_an_update_of_a_group_is_taken_from_its_origin_never_from_what_it_embeds(
    client: Any, community: Any, node: RemoteNode
) -> None:
    garden = dualpower_group(
        node,
        "garden",
        "Garden",
        **{
            "dp:region": "Oaxaca, MX",
            "dp:languages": ["es"],
            "dp:workingGroups": ["Seeds"],
            "dp:coops": ["Maíz co-op"],
            "location": {"type": "Place", "latitude": 17.0732, "longitude": -96.7266},
            "dp:peers": [f"{node.base}/users/orchard"],
        },
    )
    remote.actor_get(garden.uri)
    node.documents["/users/garden"]["dp:region"] = "Oaxaca de Juárez, MX"  # what the origin says now
    claimed = {**node.documents["/users/garden"], "dp:region": "What the Update says"}
    assert post(client, activity(garden, "Update", claimed), signer=garden).status_code == 202

    profile = RemoteProfile.objects.get(actor__uri=garden.uri)
    assert profile.region == "Oaxaca de Juárez, MX"
    assert (profile.latitude, profile.longitude) == (Decimal("17.1"), Decimal("-96.7"))
    assert (profile.languages, profile.working_groups, profile.coops) == (["es"], ["Seeds"], ["Maíz co-op"])
    # Its peers are recorded by id, not fetched while its Update is handled.
    assert list(AnnouncedLink.objects.values_list("kind", "target_uri")) == [
        ("peer", f"{node.base}/users/orchard")
    ]
    assert "/users/orchard" not in node.fetched


def test_a_group_that_stops_being_listed_is_forgotten(client: Any, community: Any, node: RemoteNode) -> None:
    garden = dualpower_group(node, "garden", "Garden", **{"dp:region": "Oaxaca, MX", "dp:peers": []})
    remote.actor_get(garden.uri)
    assert RemoteProfile.objects.exists()
    del node.documents["/users/garden"]["dp:region"]
    assert (
        post(client, activity(garden, "Update", node.documents["/users/garden"]), signer=garden).status_code
        == 202
    )
    assert not RemoteProfile.objects.exists()


def test_an_update_naming_another_actor_is_refused_with_nothing_stored(
    client: Any, community: Any, node: RemoteNode
) -> None:
    garden = dualpower_group(node, "garden", "Garden")
    orchard = dualpower_group(node, "orchard", "Orchard", **{"dp:region": "Somewhere"})
    remote.actor_get(garden.uri)
    forged = {**node.documents["/users/orchard"], "dp:region": "Forged"}
    update = activity(garden, "Update", forged)
    assert post(client, update, signer=garden).status_code == 403
    assert not RemoteProfile.objects.exists()
    assert not RemoteActor.objects.filter(uri=orchard.uri).exists()
    assert not InboxEntry.objects.filter(activity_id=update["id"]).exists()


def test_an_update_of_a_group_on_another_server_is_refused_with_nothing_stored(
    client: Any, community: Any, node: RemoteNode
) -> None:
    garden = dualpower_group(node, "garden", "Garden")
    remote.actor_get(garden.uri)
    with remote_node() as elsewhere:
        victim = dualpower_group(elsewhere, "victim", "Victim", **{"dp:region": "Real"})
        forged = {**elsewhere.documents["/users/victim"], "dp:region": "Forged"}
        update = activity(garden, "Update", forged)
        assert post(client, update, signer=garden).status_code == 403
        assert "/users/victim" not in elsewhere.fetched
    assert not RemoteProfile.objects.exists()
    assert not RemoteActor.objects.filter(uri=victim.uri).exists()


def test_what_another_node_says_is_capped_and_checked(community: Any, node: RemoteNode) -> None:
    garden = dualpower_group(
        node,
        "garden",
        "Garden",
        **{
            "dp:region": "R" * 500,
            "dp:languages": ["es", 7, None, "x" * 50],
            "dp:workingGroups": [f"group {n}" for n in range(300)],
            "location": {"type": "Place", "latitude": 123, "longitude": 10},
            "dp:peers": [
                "javascript:alert(1)",
                "not a url",
                f"{node.base}/users/orchard",
                "file:///etc/passwd",
            ],
            "dp:members": "nonsense",
        },
    )
    remote.actor_get(garden.uri)
    profile = RemoteProfile.objects.get()
    assert len(profile.region) == 120 and profile.latitude is None and profile.longitude is None
    assert profile.languages == ["es", "x" * 12] and len(profile.working_groups) == 100
    assert list(AnnouncedLink.objects.values_list("target_uri", flat=True)) == [f"{node.base}/users/orchard"]


# --- member communities -------------------------------------------------------------------------


def test_the_assembly_records_a_peer_as_a_member_community_and_publishes_it(
    community: Any, people: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    save_profile(community)
    garden = remote.actor_get(dualpower_group(node, "garden", "Garden").uri)
    peer_of(community, garden)
    capture = django_capture_on_commit_callbacks
    decide(community, people, "federation.add_member_community", {"actor": garden.pk}, capture=capture)
    assert MemberCommunity.objects.filter(community=community, actor=garden).exists()
    last = OutboundActivity.objects.filter(kind="Update").order_by("pk").last()
    assert last is not None and last.data["object"]["dp:members"] == [garden.uri]

    decide(community, people, "federation.remove_member_community", {"actor": garden.pk}, capture=capture)
    assert not MemberCommunity.objects.exists()
    last = OutboundActivity.objects.filter(kind="Update").order_by("pk").last()
    assert last is not None and last.data["object"]["dp:members"] == []


def test_only_a_peer_can_be_a_member_community(community: Any, node: RemoteNode) -> None:
    garden = remote.actor_get(dualpower_group(node, "garden", "Garden").uri)
    with pytest.raises(Exception, match="must be a peer"):
        directory_services.validate_add_member(community, {"actor": garden.pk})


# --- the pages ------------------------------------------------------------------------------------


def test_the_directory_lists_peers_their_peers_and_the_bodies_we_belong_to(
    client: Any, community: Any, people: Any, node: RemoteNode
) -> None:
    ours = ids.community_actor_id(community)
    orchard = f"{node.base}/users/orchard"
    dualpower_group(node, "orchard", "Orchard Commons", **{"dp:region": "Tucson, Arizona, US"})
    garden = dualpower_group(
        node,
        "garden",
        "Garden Federation",
        **{
            "dp:region": "Southwest, US",
            "location": {"type": "Place", "latitude": 33.4, "longitude": -112.1},
            "dp:peers": [orchard, ours],
            "dp:members": [ours],
        },
    )
    peer_of(community, remote.actor_get(garden.uri))
    save_profile(community)
    client.force_login(people["member"])

    page = client.get(DIRECTORY).content.decode()
    assert "Garden Federation" in page and "Southwest, US" in page
    assert "Riverside Mutual Aid is a member of it" in page
    assert "through Garden Federation" in page and "Not looked up yet" in page
    assert page.count("<circle") == 4  # two points (ours and Garden's), each with its finger-sized target
    assert 'href="#dir-0"' in page and 'aria-label="Garden Federation"' in page
    assert "/users/orchard" not in node.fetched  # nothing fetched to show the page
    assert "Look them up" not in page  # a member does not ask the node to fetch

    client.force_login(people["coordinator"])
    assert client.post(LOOKUP).status_code == 302
    assert "/users/orchard" in node.fetched
    page = client.get(DIRECTORY).content.decode()
    assert "Orchard Commons" in page and "Tucson, Arizona, US" in page and "Not looked up yet" not in page


def test_the_directory_costs_the_same_queries_however_many_communities_it_lists(
    client: Any, community: Any, people: Any
) -> None:
    save_profile(community)
    client.force_login(people["member"])

    def grow(n: int) -> None:
        for _ in range(n):
            k = RemoteActor.objects.count()
            actor = RemoteActor.objects.create(
                uri=f"https://n{k}.example/c/x",
                host=f"n{k}.example",
                kind="Group",
                name=f"Node {k}",
                inbox=f"https://n{k}.example/inbox",
                fetched_at=timezone.now(),
                is_dualpower=True,
            )
            RemoteProfile.objects.create(actor=actor, region="Somewhere", latitude=10, longitude=k % 100)
            peer_of(community, actor)
            AnnouncedLink.objects.create(source=actor, kind="peer", target_uri=f"https://far{k}.example/c/y")
            AnnouncedLink.objects.create(source=actor, kind="peer", target_uri="https://n0.example/c/x")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DIRECTORY).status_code == 200
        return len(queries.captured_queries)

    grow(2)
    client.get(DIRECTORY)
    few = count()
    grow(20)
    assert count() <= few


@pytest.mark.parametrize(
    ("role", "directory", "profile"),
    [
        ("anonymous", 302, 302),
        ("applicant", 403, 403),
        ("observer", 200, 403),
        ("member", 200, 403),
        ("coordinator", 200, 200),
    ],
)
def test_who_reads_the_directory_and_who_sets_the_profile(
    client: Any, community: Any, people: Any, role: str, directory: int, profile: int
) -> None:
    if role != "anonymous":
        client.force_login(people[role])
    assert client.get(DIRECTORY).status_code == directory
    assert client.get(PROFILE).status_code == profile
    refused = 401 if role == "anonymous" else 403
    assert client.post(LOOKUP).status_code == (302 if role == "coordinator" else refused)
    if role != "coordinator":
        assert client.post(PROFILE, {"region": "x", "listed": "on"}).status_code == refused
        assert not DirectoryProfile.objects.exists()


def test_the_profile_form_rounds_the_point_and_refuses_what_is_not_one(
    client: Any, community: Any, people: Any
) -> None:
    client.force_login(people["coordinator"])
    response = client.post(
        PROFILE,
        {
            "listed": "on",
            "region": "Jackson, Mississippi, US",
            "latitude": "32.29876",
            "longitude": "-90.18481",
            "languages": ["en"],
        },
    )
    assert response.status_code == 302
    profile = DirectoryProfile.objects.get()
    assert (profile.latitude, profile.longitude, profile.languages) == (
        Decimal("32.3"),
        Decimal("-90.2"),
        ["en"],
    )

    for bad in (
        {"latitude": "north", "longitude": "1"},
        {"latitude": "95", "longitude": "1"},
        {"latitude": "10", "longitude": ""},
        {"languages": ["xx"]},
        {"region": ""},
    ):
        data = {"listed": "on", "region": "Elsewhere", "latitude": "", "longitude": "", **bad}
        response = client.post(PROFILE, data)
        assert response.status_code == 400, bad
        assert DirectoryProfile.objects.get().region == "Jackson, Mississippi, US"  # nothing written


def test_an_audit_entry_says_who_changed_the_profile(client: Any, community: Any, people: Any) -> None:
    client.force_login(people["coordinator"])
    client.post(PROFILE, {"region": "Jackson, Mississippi, US"})
    from dualpower.community.models import AuditEntry

    entry = AuditEntry.objects.get(action="federation.profile_save")
    assert entry.actor == membership_of(people["coordinator"], community)


# --- the map ------------------------------------------------------------------------------------


def test_the_map_is_drawn_here_with_linked_points_and_nothing_from_elsewhere() -> None:
    svg = map_svg(
        [
            MapPoint("Riverside <b>", 32.3, -90.2, "dir-0", 1, ours=True),
            MapPoint("Garden", 33.4, -112.1, "dir-1", 2),
        ],
        title="Map",
        description="Two communities",
    )
    assert svg.startswith("<svg") and "<title" in svg and "<desc" in svg
    assert 'href="#dir-0"' in svg and 'href="#dir-1"' in svg
    assert "Riverside &lt;b&gt;" in svg and "<b>" not in svg
    assert "http" not in svg and "<image" not in svg and "url(" not in svg and "<script" not in svg
    # Every point lies inside the frame drawn.
    for x, y in re.findall(r'<circle cx="([-0-9.]+)" cy="([-0-9.]+)" r="7"', svg):
        assert 0 <= float(x) <= 360 and 0 <= float(y) <= 180


def test_no_points_no_map() -> None:
    assert map_svg([], title="Map", description="") == ""


def test_a_point_is_never_more_precise_than_a_town(community: Any) -> None:
    profile = save_profile(community, latitude=Decimal("-33.87"), longitude=Decimal("151.21"))
    profile.refresh_from_db()
    assert (profile.latitude, profile.longitude) == (Decimal("-33.9"), Decimal("151.2"))
