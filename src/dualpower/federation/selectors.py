"""Reads of federation: a community's network (peers, followers, following, the communities the
node knows) and the node's health as its operators see it (blocked hosts, failing hosts, dead
letters). Each list is bounded: a community followed by thousands shows a count and the newest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from dualpower.assemblies.models import Assembly
from dualpower.assemblies.selectors import assemblies_for
from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.federation.models import Delivery, Follower, Following, Peer, RemoteActor, RemoteHost

LISTED = 50  # rows of a list shown on a page; the count says how many more


@dataclass(frozen=True)
class Network:
    peers: list[Peer]  # not ended: active, offered by us, offered to us
    followers: list[Follower]
    followers_count: int
    following: list[Following]
    known: list[RemoteActor]  # communities elsewhere that are not peers yet


def network_of(*, community: Community) -> Network:
    """Everything the Network page shows, in five queries whatever the numbers."""
    peers = list(
        Peer.objects.filter(community=community)
        .exclude(state=Peer.State.ENDED)
        .select_related("actor")
        .order_by("state", "actor__name", "pk")
    )
    followers = Follower.objects.filter(community=community).select_related("actor")
    peered = [p.actor_id for p in peers]
    known = (
        RemoteActor.objects.filter(kind=RemoteActor.Kind.GROUP)
        .exclude(pk__in=peered)
        .order_by("name", "host", "pk")[:LISTED]
    )
    return Network(
        peers=peers,
        followers=list(followers.order_by("-created_at", "-pk")[:LISTED]),
        followers_count=followers.count(),
        following=list(
            Following.objects.filter(community=community)
            .select_related("actor")
            .order_by("actor__name", "pk")
        ),
        known=list(known),
    )


def peers_active(*, community: Community) -> QuerySet[Peer]:
    return Peer.objects.filter(community=community, state=Peer.State.ACTIVE).select_related("actor")


def deciding_assembly(*, community: Community) -> Assembly | None:
    """Where a peering is proposed: the general assembly of all members, if there is one yet."""
    return assemblies_for(community=community).filter(kind=Assembly.Kind.GENERAL).first()


def following_get(*, community: Community, pk: Any) -> Following:
    found = Following.objects.filter(community=community, pk=pk).select_related("actor").first()
    if found is None:
        raise NotFound()
    return found


def follower_get(*, community: Community, pk: Any) -> Follower:
    found = Follower.objects.filter(community=community, pk=pk).select_related("actor").first()
    if found is None:
        raise NotFound()
    return found


# --- the node, for its operators ----------------------------------------------------------------


def hosts_blocked() -> QuerySet[RemoteHost]:
    return RemoteHost.objects.filter(blocked_at__isnull=False).order_by("host")


def host_blocked_get(*, pk: Any) -> RemoteHost:
    found = hosts_blocked().filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def hosts_failing() -> QuerySet[RemoteHost]:
    """Hosts whose deliveries fail now (the breaker counting, or given up on as unavailable)."""
    return (
        RemoteHost.objects.filter(blocked_at__isnull=True)
        .filter(Q(failing_since__isnull=False) | Q(unavailable_since__isnull=False))
        .order_by("failing_since", "host")
    )


def dead_letters() -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(state=Delivery.State.DEAD)
        .select_related("activity")
        .order_by("-created_at", "-pk")
    )


def dead_letter_get(*, pk: Any) -> Delivery:
    found = Delivery.objects.filter(pk=pk, state=Delivery.State.DEAD).first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class Status:
    deliveries: dict[str, int]  # by state
    hosts_blocked: int
    hosts_failing: int
    hosts_unavailable: int
    peers_active: int
    followers: int
    following: int
    oldest_pending: datetime | None


def node_status() -> Status:
    """Counts for ``dualpower federation status``."""
    by_state = dict(Delivery.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    hosts = RemoteHost.objects.aggregate(
        blocked=Count("pk", filter=Q(blocked_at__isnull=False)),
        failing=Count("pk", filter=Q(failing_since__isnull=False, blocked_at__isnull=True)),
        unavailable=Count("pk", filter=Q(unavailable_since__isnull=False, blocked_at__isnull=True)),
    )
    oldest = (
        Delivery.objects.filter(state=Delivery.State.PENDING)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return Status(
        deliveries={state: by_state.get(state, 0) for state in Delivery.State.values},
        hosts_blocked=hosts["blocked"],
        hosts_failing=hosts["failing"],
        hosts_unavailable=hosts["unavailable"],
        peers_active=Peer.objects.filter(state=Peer.State.ACTIVE).count(),
        followers=Follower.objects.count(),
        following=Following.objects.filter(state=Following.State.ACCEPTED).count(),
        oldest_pending=oldest,
    )


def communities_hearing_from(*, actor: RemoteActor) -> dict[int, bool]:
    """Our communities that take what ``actor`` publishes: community id -> whether it is an active
    peer (True) or only followed (False). For apps above that keep what peers send (commons)."""
    heard = dict.fromkeys(
        Following.objects.filter(actor=actor, state=Following.State.ACCEPTED).values_list(
            "community_id", flat=True
        ),
        False,
    )
    for community_id in Peer.objects.filter(actor=actor, state=Peer.State.ACTIVE).values_list(
        "community_id", flat=True
    ):
        heard[community_id] = True
    return heard


def may_read_peers_only(*, community: Community, reader: RemoteActor) -> bool:
    """Whether a verified signer may read what ``community`` shares with its peers: an active peer
    community's actor, or the instance actor of its server (servers sign fetches as themselves)."""
    for uri, host in peers_active(community=community).values_list("actor__uri", "actor__host"):
        if reader.uri == uri:
            return True
        if reader.host == host and reader.kind in (RemoteActor.Kind.APPLICATION, RemoteActor.Kind.SERVICE):
            return True
    return False
