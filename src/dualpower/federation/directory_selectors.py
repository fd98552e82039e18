"""What the directory page shows: the network this node knows from one community's side — itself,
its peers, the communities its peers announce (known "through" them), its member communities and
the bodies it is a member of — each with what its profile says. A fixed number of queries,
however many communities are listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from dualpower.community.models import Community
from dualpower.federation import actors, directory, ids
from dualpower.federation.directory_map import MapPoint
from dualpower.federation.models import (
    AnnouncedLink,
    DirectoryProfile,
    MemberCommunity,
    Peer,
    RemoteActor,
    RemoteProfile,
)

THROUGH_SHOWN = 300  # communities announced by peers, at most, on one page


@dataclass
class Entry:
    anchor: str
    name: str
    address: str
    url: str = ""
    region: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    languages: list[str] = field(default_factory=list)
    working_groups: list[str] = field(default_factory=list)
    coops: list[str] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)
    looked_up: bool = True  # False: only its id is known (announced by a peer, not fetched yet)
    ours: bool = False
    actor_pk: int | None = None

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass
class Directory:
    ours: Entry
    listed: bool
    entries: list[Entry]  # ours first, then peers, bodies, member communities, communities through peers
    not_looked_up: int

    @property
    def points(self) -> list[MapPoint]:
        return [
            MapPoint(
                label=entry.name,
                latitude=float(entry.latitude),
                longitude=float(entry.longitude),
                anchor=entry.anchor,
                number=number,
                ours=entry.ours,
            )
            for number, entry in enumerate(self.entries, start=1)
            if entry.latitude is not None and entry.longitude is not None
        ]


def _language_names(codes: Any) -> list[str]:
    names = dict(settings.LANGUAGES)
    return [str(names.get(code, code)) for code in codes if isinstance(code, str)]


def _remote_entry(anchor: str, actor: RemoteActor, profile: RemoteProfile | None) -> Entry:
    entry = Entry(
        anchor=anchor,
        name=actor.name or actor.username or actor.host,
        address=actor.handle or actor.host,
        url=actor.url,
        actor_pk=actor.pk,
    )
    if profile is not None:
        entry.region, entry.latitude, entry.longitude = profile.region, profile.latitude, profile.longitude
        entry.languages = _language_names(profile.languages)
        entry.working_groups, entry.coops = list(profile.working_groups), list(profile.coops)
    return entry


def _profile_of(actor: RemoteActor) -> RemoteProfile | None:
    try:
        return actor.directory_profile
    except RemoteProfile.DoesNotExist:
        return None


def directory_of(*, community: Community) -> Directory:
    profile: DirectoryProfile | None = directory.profile_of(community)
    ours = Entry(
        anchor="dir-0",
        name=community.name,
        address=f"@{community.slug}@{ids.host()}",
        url=actors.community_page_url(community),
        ours=True,
        relations=[_("this community")],
    )
    if profile is not None:
        ours.region, ours.latitude, ours.longitude = profile.region, profile.latitude, profile.longitude
        ours.languages = _language_names(profile.languages)
    ours.working_groups = directory.working_group_names(community)
    ours.coops = directory.profile_parts(community).get("coops", [])
    entries = [ours]
    by_uri: dict[str, Entry] = {}

    def add(actor: RemoteActor, relation: str) -> None:
        entry = by_uri.get(actor.uri)
        if entry is None:
            entry = _remote_entry(f"dir-{len(entries)}", actor, _profile_of(actor))
            by_uri[actor.uri] = entry
            entries.append(entry)
        entry.relations.append(relation)

    peers = (
        Peer.objects.filter(community=community, state=Peer.State.ACTIVE)
        .select_related("actor", "actor__directory_profile")
        .order_by("actor__name", "actor__pk")
    )
    peer_actors = [peer.actor for peer in peers]
    members = set(MemberCommunity.objects.filter(community=community).values_list("actor_id", flat=True))
    for actor in peer_actors:
        add(actor, _("peer"))
        if actor.pk in members:
            by_uri[actor.uri].relations.append(_("member community of %(name)s") % {"name": community.name})
    our_uri = ids.community_actor_id(community)
    bodies = (
        AnnouncedLink.objects.filter(kind=AnnouncedLink.Kind.MEMBER, target_uri=our_uri)
        .select_related("source", "source__directory_profile")
        .order_by("source__name", "source__pk")
    )
    for link in bodies:
        add(link.source, _("%(name)s is a member of it") % {"name": community.name})
    announced = (
        AnnouncedLink.objects.filter(kind=AnnouncedLink.Kind.PEER, source__in=peer_actors)
        .exclude(target_uri=our_uri)
        .select_related("source")
        .order_by("target_uri", "source__name")
    )
    through: dict[str, list[str]] = {}
    for link in announced[: THROUGH_SHOWN * 3]:
        names = through.setdefault(link.target_uri, [])
        names.append(link.source.name or link.source.username or link.source.host)
    through = {uri: names for uri, names in list(through.items())[:THROUGH_SHOWN]}
    known = {
        actor.uri: actor
        for actor in RemoteActor.objects.filter(uri__in=list(through)).select_related("directory_profile")
    }
    not_looked_up = 0
    for uri, names in through.items():
        relation = _("through %(peers)s") % {"peers": ", ".join(names)}
        if uri in by_uri:
            continue  # a peer of ours too: already listed
        if uri in known:
            add(known[uri], relation)
            continue
        not_looked_up += 1
        entry = Entry(
            anchor=f"dir-{len(entries)}",
            name=uri,
            address=ids.origin_of(uri).split("://", 1)[-1],
            looked_up=False,
            relations=[relation],
        )
        by_uri[uri] = entry
        entries.append(entry)
    return Directory(
        ours=ours, listed=bool(profile and profile.listed), entries=entries, not_looked_up=not_looked_up
    )
