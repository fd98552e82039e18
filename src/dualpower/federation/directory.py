"""The directory: what a community says of itself to the network, in its ``Group`` actor.

A community's coordinators set a coarse region ("Jackson, Mississippi, US", never an address), an
optional coarse point for maps (one decimal of latitude and longitude: about 11 km, a town and
never a house), its languages, and whether it is listed at all. Listed, its actor carries that,
its working groups, its co-ops (and whatever else a higher app registers with
``register_profile_part``), its active peers (``dp:peers``) and its member communities
(``dp:members``: a regional or national body is a community whose members are communities).
Unlisted, the actor carries none of it (name and handle only, as before).

The terms are a small dualpower vocabulary (``dp:`` = https://dualpower.org/ns#) beside the
standard ones: ``name`` and ``summary`` stay where every server reads them, and the point is an
ActivityStreams ``Place`` in ``location`` with ``latitude`` / ``longitude``.

This module only builds and reads documents; directory_services.py writes and publishes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef

from dualpower.community.models import Community
from dualpower.federation import ids
from dualpower.federation.models import REGION_MAX, URI_LENGTH, DirectoryProfile, MemberCommunity, Peer
from dualpower.groups.selectors import groups_of

VOCABULARY = "https://dualpower.org/ns#"
# Added to the actor's @context (actors.py): the prefix, and the two terms whose values are ids.
CONTEXT_TERMS: dict[str, Any] = {
    "dp": VOCABULARY,
    "dp:peers": {"@id": "dp:peers", "@type": "@id"},
    "dp:members": {"@id": "dp:members", "@type": "@id"},
}
REGION, LANGUAGES, WORKING_GROUPS, PEERS, MEMBERS = (
    "dp:region",
    "dp:languages",
    "dp:workingGroups",
    "dp:peers",
    "dp:members",
)
# What is read from another node's actor is capped: a profile is small, a hostile one is not.
MAX_NAMES, NAME_MAX = 100, 120
MAX_LINKS = 500
MAX_LANGUAGES, LANGUAGE_MAX = 20, 12

ProfilePart = Callable[[Community], list[str]]
_parts: dict[str, ProfilePart] = {}


def register_profile_part(key: str, part: ProfilePart) -> None:
    """A higher app adds what it publishes in listed profiles: ``part(community)`` gives names
    (the co-ops' names), published as ``dp:<key>``. Registered in the app's registrations.py."""
    _parts[key] = part


def profile_parts(community: Community) -> dict[str, list[str]]:
    """What each registered app publishes of the community, by key ("coops": the co-ops' names)."""
    return {
        key: [str(name)[:NAME_MAX] for name in part(community)][:MAX_NAMES]
        for key, part in sorted(_parts.items())
    }


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def profile_of(community: Community) -> DirectoryProfile | None:
    return DirectoryProfile.objects.filter(community=community).first()


def working_group_names(community: Community) -> list[str]:
    return list(groups_of(community=community).order_by("name").values_list("name", flat=True)[:MAX_NAMES])


def active_peer_uris(community: Community) -> list[str]:
    return sorted(
        Peer.objects.filter(community=community, state=Peer.State.ACTIVE).values_list("actor__uri", flat=True)
    )


def peers_and_members(community: Community) -> tuple[list[str], list[str]]:
    """The active peers' ids, and those of them that are member communities, in one query (a body
    speaks only for the member communities it still peers with)."""
    members = MemberCommunity.objects.filter(community=community, actor_id=OuterRef("actor_id"))
    rows = (
        Peer.objects.filter(community=community, state=Peer.State.ACTIVE)
        .annotate(is_member=Exists(members))
        .order_by("actor__uri")
        .values_list("actor__uri", "is_member")
    )
    peers, member_ids = [], []
    for uri, is_member in rows:
        peers.append(uri)
        if is_member:
            member_ids.append(uri)
    return peers, member_ids


def profile_fields(community: Community) -> dict[str, Any]:
    """The profile's part of the community's actor (empty when it is not listed)."""
    profile = profile_of(community)
    if profile is None or not profile.listed:
        return {}
    fields: dict[str, Any] = {
        REGION: profile.region,
        LANGUAGES: list(profile.languages),
        WORKING_GROUPS: working_group_names(community),
    }
    for key, names in profile_parts(community).items():
        fields[f"dp:{key}"] = names
    if profile.latitude is not None and profile.longitude is not None:
        fields["location"] = {
            "type": "Place",
            "name": profile.region,
            "latitude": float(profile.latitude),
            "longitude": float(profile.longitude),
        }
    fields[PEERS], fields[MEMBERS] = peers_and_members(community)
    return fields


# --- reading another node's profile --------------------------------------------------------------


@dataclass(frozen=True)
class ReadProfile:
    """A remote actor's profile, checked and capped (``None`` fields: not given)."""

    region: str
    latitude: Decimal | None
    longitude: Decimal | None
    languages: list[str]
    working_groups: list[str]
    coops: list[str]
    peers: list[str]
    members: list[str]


def _names(value: Any, *, limit: int = MAX_NAMES, size: int = NAME_MAX) -> list[str]:
    items = value if isinstance(value, list) else []
    return [item.strip()[:size] for item in items if isinstance(item, str) and item.strip()][:limit]


def _uris(value: Any, own: str) -> list[str]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    found: list[str] = []
    for item in items[: MAX_LINKS * 2]:
        uri = item if isinstance(item, str) else item.get("id") if isinstance(item, dict) else None
        if not isinstance(uri, str) or len(uri) > URI_LENGTH or uri == own or uri in found:
            continue
        try:
            ids.origin_of(uri)  # http(s) with a host: anything else is not an actor's id
        except ValueError:
            continue
        found.append(uri)
    return found[:MAX_LINKS]


def _degrees(value: Any, bound: int) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) > bound:
        return None
    return number.quantize(Decimal("0.1"))  # coarse, whatever precision they sent


def profile_read(document: dict[str, Any]) -> ReadProfile | None:
    """The profile in an actor document of a dualpower community, or ``None`` if it lists none."""
    if not isinstance(document.get(REGION), str):
        return None
    own = str(document.get("id", ""))
    place = document.get("location")
    place = place[0] if isinstance(place, list) and place else place
    latitude = longitude = None
    if isinstance(place, dict):
        latitude, longitude = _degrees(place.get("latitude"), 90), _degrees(place.get("longitude"), 180)
        if latitude is None or longitude is None:
            latitude = longitude = None
    return ReadProfile(
        region=document[REGION].strip()[:REGION_MAX],
        latitude=latitude,
        longitude=longitude,
        languages=_names(document.get(LANGUAGES), limit=MAX_LANGUAGES, size=LANGUAGE_MAX),
        working_groups=_names(document.get(WORKING_GROUPS)),
        coops=_names(document.get("dp:coops")),
        peers=_uris(document.get(PEERS), own),
        members=_uris(document.get(MEMBERS), own),
    )
