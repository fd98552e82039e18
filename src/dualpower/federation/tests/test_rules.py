"""Who may read a community's network, follow, remove followers, operate federation (and publish
announcements), swept over every role and the node's operators. The identity documents'
permissions have their own matrix (test_identity_rules.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from dualpower.federation.models import Peer, RemoteActor
from dualpower.federation.rules import IDENTITY_PERMISSIONS, PERMISSIONS, is_peer_actor
from dualpower.members.tests.factories import ROLES, UserFactory

pytestmark = pytest.mark.django_db

ALLOWED: dict[str, set[str]] = {
    # Who the community is connected to: its admitted people; whom it follows: its coordinators.
    "federation.view_network": {"observer", "member", "coordinator"},
    "federation.follow": {"coordinator"},
    "federation.remove_follower": {"coordinator"},
    # Blocking servers and retrying deliveries concern every community: the node's operators only.
    "federation.operate": set(),
    # Public announcements (F8): coordinators publish them; what was published anyone reads.
    "federation.announce": {"coordinator"},
    "federation.view_announcement": set(ROLES),
    # Advisory polls (polls.py): coordinators publish a proposal as one (test_polls.py sweeps it
    # over a proposal too).
    "federation.publish_poll": {"coordinator"},
    # The directory profile speaks for the community to the network: its coordinators set it.
    "federation.edit_profile": {"coordinator"},
    # Persons (persons.py): any admitted person reads their own page; members choose to be visible.
    "federation.view_person_page": {"observer", "member", "coordinator"},
    "federation.person_start": {"member", "coordinator"},
}


def test_every_permission_has_a_row_in_the_matrix() -> None:
    # Every federation permission but the identity documents' (their own matrix) is swept here.
    assert set(PERMISSIONS) - set(IDENTITY_PERMISSIONS) == set(ALLOWED)


@pytest.mark.parametrize("perm", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(people: dict[str, Any], community: Any, role: str, perm: str) -> None:
    assert people[role].has_perm(perm, community) is (role in ALLOWED[perm])


@pytest.mark.parametrize("role", ROLES)
def test_nobody_acts_on_another_communitys_network(
    people: dict[str, Any], other_community: Any, role: str
) -> None:
    for perm in ("federation.follow", "federation.remove_follower"):
        assert not people[role].has_perm(perm, other_community)  # Otto there is a member, not coordinator


def test_the_nodes_operators_operate_and_nothing_else_follows_from_it(community: Any) -> None:
    staff = UserFactory.create(email="ops@example.org", is_staff=True)
    assert staff.has_perm("federation.operate") and staff.has_perm("federation.operate", community)
    # Running the server is not a membership: an operator does not read a community's network.
    assert not staff.has_perm("federation.view_network", community)
    assert not staff.has_perm("federation.follow", community)


def test_a_coordinator_without_the_second_factor_the_node_requires_follows_nobody(
    people: dict[str, Any], community: Any, settings: Any
) -> None:
    settings.DP_REQUIRE_COORDINATOR_MFA = True
    assert not people["coordinator"].has_perm("federation.follow", community)


def test_only_an_active_peer_is_a_peer_actor(community: Any, other_community: Any) -> None:
    garden = RemoteActor.objects.create(
        uri="https://garden.example/ap/c/garden",
        host="garden.example",
        kind=RemoteActor.Kind.GROUP,
        inbox="https://garden.example/ap/c/garden/inbox",
        fetched_at=timezone.now(),
    )
    peer = Peer.objects.create(community=community, actor=garden, state=Peer.State.OFFERED)
    assert not is_peer_actor(garden.uri, community)
    for state, expected in (
        (Peer.State.INVITED, False),
        (Peer.State.ACTIVE, True),
        (Peer.State.ENDED, False),
    ):
        peer.state = state
        peer.save()
        assert is_peer_actor(garden.uri, community) is expected
    peer.state = Peer.State.ACTIVE
    peer.save()
    assert not is_peer_actor(garden.uri, other_community)
    assert not is_peer_actor("https://garden.example/ap/c/other", community)
