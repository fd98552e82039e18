"""Who may see and do what in federation. The only place access to it is decided."""

from __future__ import annotations

from typing import Any

import rules

from dualpower.community.models import Community
from dualpower.federation.models import Peer
from dualpower.members.rules import is_acting_coordinator, is_admitted, is_member

# --- F3: identity (actors, their collections, WebFinger, NodeInfo, host-meta) ----------------
# Public by nature: another server must read a community's actor to follow it or to check its
# signatures, whoever asks and whether or not the community is listed publicly. The documents say
# no more than the community's public page (actors.py: the description only if it is listed).
rules.add_perm("federation.view_actor", rules.always_allow)
rules.add_perm("federation.view_node", rules.always_allow)

IDENTITY_PERMISSIONS = ("federation.view_actor", "federation.view_node")
# --- end F3 -----------------------------------------------------------------------------------

# --- F5: peering, the Network page, the operator's controls ------------------------------------
# Members read who the community is connected to; coordinators choose whom it follows and may
# remove a follower (neither binds the community to anything); peering is an assembly's decision
# (the ``federation.peer`` action, proposed under ``assemblies.propose``), never a permission.
# Blocking a server and retrying deliveries affect every community on the node: its operators
# only (staff accounts, as for the guided set-up in ops/rules.py, which sits above this app).


@rules.predicate
def is_node_operator(user: Any, obj: Any = None) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))


def is_peer_actor(actor_uri: str, community: Community) -> bool:
    """Whether ``actor_uri`` (the verified signer of a fetch) is an active peer of ``community``:
    it may then read what the community shares with peers (authorized fetch)."""
    return Peer.objects.filter(community=community, actor__uri=actor_uri, state=Peer.State.ACTIVE).exists()


rules.add_perm("federation.view_network", is_admitted)
rules.add_perm("federation.follow", is_acting_coordinator)
rules.add_perm("federation.remove_follower", is_acting_coordinator)
rules.add_perm("federation.operate", is_node_operator)

NETWORK_PERMISSIONS = (
    "federation.view_network",
    "federation.follow",
    "federation.remove_follower",
    "federation.operate",
)
# --- end F5 -----------------------------------------------------------------------------------

# --- F8: public announcements (Note) --------------------------------------------------------------
# An announcement speaks for the community to everyone on the fediverse: its coordinators publish
# and delete them (as they choose whom it follows). What was published is public by nature: its
# page and JSON are read by anyone, like the actor that published it.
rules.add_perm("federation.announce", is_acting_coordinator)
rules.add_perm("federation.view_announcement", rules.always_allow)

ANNOUNCEMENT_PERMISSIONS = ("federation.announce", "federation.view_announcement")
# --- end F8 -----------------------------------------------------------------------------------

# --- polls: advisory polls on the fediverse (FEP-9967 Question, polls.py) -------------------------
# Publishing a proposal as an advisory poll speaks for the community to everyone on the fediverse,
# like an announcement: its coordinators do it (the object is the proposal, whose community
# decides). The answers are shown on the proposal's page, to whoever may read the proposal.
rules.add_perm("federation.publish_poll", is_acting_coordinator)

POLL_PERMISSIONS = ("federation.publish_poll",)
# --- end polls --------------------------------------------------------------------------------

PERMISSIONS: tuple[str, ...] = (
    *IDENTITY_PERMISSIONS,
    *NETWORK_PERMISSIONS,
    *ANNOUNCEMENT_PERMISSIONS,
    *POLL_PERMISSIONS,
)

# --- Directory: the community's profile (directory.py) ------------------------------------------
# The profile speaks for the community to the network, like following someone: its coordinators
# set it (and ask the node to look up the communities its peers announce). Members read the
# directory with the Network page (federation.view_network). Member communities are an
# assembly's decision (the federation.add_member_community action), never a permission.
rules.add_perm("federation.edit_profile", is_acting_coordinator)

DIRECTORY_PERMISSIONS = ("federation.edit_profile",)
PERMISSIONS = (*PERMISSIONS, *DIRECTORY_PERMISSIONS)
# --- end Directory ------------------------------------------------------------------------------

# --- Persons: members visible on the fediverse by their own choice (persons.py) ------------------
# A member's own page, for any admitted member (an observer reads why they cannot opt in, and may
# stop a person they chose before becoming one). Choosing is for full members and coordinators:
# a public handle acts as the person on the fediverse. The actor itself is public
# (federation.view_actor) once chosen.
rules.add_perm("federation.view_person_page", is_admitted)
rules.add_perm("federation.person_start", is_member)

PERSON_PERMISSIONS = ("federation.view_person_page", "federation.person_start")
PERMISSIONS = (*PERMISSIONS, *PERSON_PERMISSIONS)
# --- end Persons --------------------------------------------------------------------------------
