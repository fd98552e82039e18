"""The directory's writes: a community's profile, publishing it as ``Update(Group)``, member
communities (by an assembly's decision), keeping what other nodes publish, and looking up the
communities our peers announce.

Publishing: every change of what the actor says (the profile, a peering that starts or ends, a
member community added or removed) sends ``Update`` with the whole actor document as its object,
in the transaction of the change, to the followers and to the peers (delivery.activity_publish;
dualpower recipients get the FEP-8b32 proof it adds).

Receiving (``remote_profile_store``, registered with ``remote.on_actor_stored``): the profile is
kept from the actor document *as its origin served it*, never from the copy embedded in an
``Update``. An ``Update(Group)`` reaches handlers_notes.py's ``Update(Actor)``, which refuses one
whose object is not the signer itself and fetches the signer again from its origin. We could
believe the embedded document when its id is the verified signer's (its key signed the request),
but we do not: deliveries are retried and arrive in any order (delivery.py), so an older Update
arriving late would overwrite a newer profile, and a changed key or inbox is only safe to take
from the origin. The fetch costs one signed GET per Update, outside the inbox's transaction.

Peers' peers: a peer's ``dp:peers`` and ``dp:members`` are kept as ``AnnouncedLink`` rows (ids
only). They are fetched from their own origins only when a coordinator asks ("look up" on the
directory page), through the guarded fetcher, never while a request from elsewhere is handled.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies.actions import Result, result
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import DomainError, InvalidInput
from dualpower.federation import activities, actors, delivery, directory, ids, remote
from dualpower.federation.models import (
    AnnouncedLink,
    DirectoryProfile,
    Follower,
    MemberCommunity,
    OutboundActivity,
    Peer,
    RemoteActor,
    RemoteProfile,
)
from dualpower.members.models import Membership

LOOKUPS_PER_CLICK = 10  # communities fetched per "look up": each is a signed GET elsewhere


# --- our profile --------------------------------------------------------------------------------


@transaction.atomic
def profile_save(
    *,
    community: Community,
    by: Membership | None,
    listed: bool,
    region: str,
    latitude: Decimal | None,
    longitude: Decimal | None,
    languages: list[str],
) -> DirectoryProfile:
    """Set the community's directory profile and tell the network (``Update(Group)``)."""
    if (latitude is None) != (longitude is None):
        raise InvalidInput(_("Give both the latitude and the longitude, or neither."), field="latitude")
    if latitude is not None and not -90 <= latitude <= 90:
        raise InvalidInput(_("A latitude is between -90 and 90."), field="latitude")
    if longitude is not None and not -180 <= longitude <= 180:
        raise InvalidInput(_("A longitude is between -180 and 180."), field="longitude")
    known = directory.language_codes()
    unknown = [code for code in languages if code not in known]
    if unknown:
        raise InvalidInput(_("Choose languages from the list."), field="languages")
    if listed and not region.strip():
        raise InvalidInput(_("A listed community says roughly where it is."), field="region")
    tenth = Decimal("0.1")
    profile, _created = DirectoryProfile.objects.update_or_create(
        community=community,
        defaults={
            "listed": listed,
            "region": region.strip(),
            # Rounded here whatever the form did: one decimal is a town, never a house.
            "latitude": latitude.quantize(tenth) if latitude is not None else None,
            "longitude": longitude.quantize(tenth) if longitude is not None else None,
            "languages": [code for code in known if code in languages],
        },
    )
    audit_record(
        community=community,
        actor=by,
        action="federation.profile_save",
        target=profile,
        summary=profile.region,
        data={"listed": listed},
    )
    profile_publish(community=community, always=True)
    return profile


def profile_publish(*, community: Community, always: bool = False) -> list[OutboundActivity]:
    """Send ``Update(Group)`` with the actor as it is now, to followers and peers, in the caller's
    transaction. Without ``always`` (a peering or a membership changed) only a listed community
    sends it: an unlisted one publishes no peers, so nothing it says has changed."""
    if not always:
        profile = directory.profile_of(community)
        if profile is None or not profile.listed:
            return []
    document = {key: value for key, value in actors.group_actor(community).items() if key != "@context"}
    sent = []
    update = activities.activity_build(
        kind="Update",
        community=community,
        object=document,
        **activities.addressing(community=community, audience="public"),
    )
    update["@context"] = actors.CONTEXT
    sent.append(delivery.activity_publish(community=community, activity=update, audience="public"))
    # Peers that do not follow the community would not get the public Update: one more for them.
    following = Follower.objects.filter(community=community).values("actor_id")
    peers = Peer.objects.filter(community=community, state=Peer.State.ACTIVE)
    if peers.exclude(actor_id__in=following).exists():
        to_peers = activities.activity_build(
            kind="Update",
            community=community,
            object=document,
            **activities.addressing(
                community=community, audience="peers", peers=directory.active_peer_uris(community)
            ),
        )
        to_peers["@context"] = actors.CONTEXT
        sent.append(delivery.activity_publish(community=community, activity=to_peers, audience="peers"))
    return sent


# --- what other nodes publish --------------------------------------------------------------------


def remote_profile_store(actor: RemoteActor, document: dict[str, Any]) -> None:
    """Keep the profile of a dualpower community fetched from its origin (remote.actor_store's
    hook, inside its transaction). An actor that lists none any more has its profile forgotten."""
    if not actor.is_dualpower or actor.kind != RemoteActor.Kind.GROUP:
        return
    read = directory.profile_read(document)
    if read is None:
        RemoteProfile.objects.filter(actor=actor).delete()
        AnnouncedLink.objects.filter(source=actor).delete()
        return
    RemoteProfile.objects.update_or_create(
        actor=actor,
        defaults={
            "region": read.region,
            "latitude": read.latitude,
            "longitude": read.longitude,
            "languages": read.languages,
            "working_groups": read.working_groups,
            "coops": read.coops,
        },
    )
    AnnouncedLink.objects.filter(source=actor).delete()
    AnnouncedLink.objects.bulk_create(
        [AnnouncedLink(source=actor, kind=AnnouncedLink.Kind.PEER, target_uri=uri) for uri in read.peers]
        + [
            AnnouncedLink(source=actor, kind=AnnouncedLink.Kind.MEMBER, target_uri=uri)
            for uri in read.members
        ]
    )


def announced_lookup(*, community: Community) -> tuple[int, int]:
    """Fetch, from their own origins, communities our active peers announce that this node has not
    met yet (at most ``LOOKUPS_PER_CLICK``): (found, failed). Not in a transaction: each fetch is
    network work, and each actor stored is kept whatever happens to the next."""
    peers = Peer.objects.filter(community=community, state=Peer.State.ACTIVE).values("actor_id")
    known = RemoteActor.objects.values("uri")
    wanted = (
        AnnouncedLink.objects.filter(source_id__in=peers)
        .exclude(target_uri__in=known)
        .values_list("target_uri", flat=True)
        .distinct()
        .order_by("target_uri")
    )
    found = failed = 0
    for uri in list(wanted[: LOOKUPS_PER_CLICK * 2]):
        if found + failed >= LOOKUPS_PER_CLICK:
            break
        if ids.community_for_actor_id(uri) is not None:
            continue  # one of ours, announced back
        try:
            remote.actor_get(uri)
        except DomainError:
            failed += 1
        else:
            found += 1
    return found, failed


# --- member communities (a regional or national body) -------------------------------------------


def _label(actor: RemoteActor) -> str:
    return f"{actor.name or actor.username} ({actor.handle or actor.host})"


def member_candidates(community: Community) -> list[tuple[int, str]]:
    """Active peers not yet member communities (the proposal form's picker)."""
    members = MemberCommunity.objects.filter(community=community).values("actor_id")
    peers = (
        Peer.objects.filter(community=community, state=Peer.State.ACTIVE)
        .exclude(actor_id__in=members)
        .select_related("actor")
        .order_by("actor__name", "actor__pk")
    )
    return [(p.actor_id, _label(p.actor)) for p in peers]


def current_members(community: Community) -> list[tuple[int, str]]:
    rows = MemberCommunity.objects.filter(community=community).select_related("actor").order_by("actor__name")
    return [(row.actor_id, _label(row.actor)) for row in rows]


def _chosen(params: Mapping[str, Any]) -> RemoteActor:
    chosen = params.get("actor")
    actor = None
    if isinstance(chosen, int) and not isinstance(chosen, bool):
        actor = RemoteActor.objects.filter(pk=chosen).first()
    elif isinstance(chosen, str) and chosen:
        actor = RemoteActor.objects.filter(uri=chosen).first()
    if actor is None:
        raise InvalidInput(_("Choose a community."), field="actor")
    return actor


def validate_add_member(community: Community, params: Mapping[str, Any]) -> dict[str, Any]:
    actor = _chosen(params)
    if not Peer.objects.filter(community=community, actor=actor, state=Peer.State.ACTIVE).exists():
        raise InvalidInput(
            _("%(name)s must be a peer before it can be a member community.") % {"name": _label(actor)},
            field="actor",
        )
    if MemberCommunity.objects.filter(community=community, actor=actor).exists():
        raise InvalidInput(
            _("%(name)s is already a member community.") % {"name": _label(actor)}, field="actor"
        )
    return {"actor": actor.uri}


def validate_remove_member(community: Community, params: Mapping[str, Any]) -> dict[str, Any]:
    actor = _chosen(params)
    if not MemberCommunity.objects.filter(community=community, actor=actor).exists():
        raise InvalidInput(_("%(name)s is not a member community.") % {"name": _label(actor)}, field="actor")
    return {"actor": actor.uri}


def _sentence(message: Any, params: Mapping[str, Any]) -> Result:
    uri = params.get("actor")
    actor = RemoteActor.objects.filter(uri=uri).first() if isinstance(uri, str) else None
    return result(message, name=_label(actor) if actor else str(uri or "?"))


def describe_add_member(community: Community, params: Mapping[str, Any]) -> str:
    return str(_sentence(gettext_lazy("Record %(name)s as a member community."), params))


def describe_remove_member(community: Community, params: Mapping[str, Any]) -> str:
    return str(_sentence(gettext_lazy("%(name)s is no longer a member community."), params))


def run_add_member(*, community: Community, params: Mapping[str, Any], decision: Any) -> Result:
    validate_add_member(community, params)  # still a peer, not yet a member, when it is carried out
    member_community_add(community=community, actor=_chosen(params), decision_ref=decision.ref)
    return _sentence(gettext_lazy("%(name)s is now a member community."), params)


def run_remove_member(*, community: Community, params: Mapping[str, Any], decision: Any) -> Result:
    validate_remove_member(community, params)
    member_community_remove(community=community, actor=_chosen(params), decision_ref=decision.ref)
    return _sentence(gettext_lazy("%(name)s is no longer a member community."), params)


@transaction.atomic
def member_community_add(*, community: Community, actor: RemoteActor, decision_ref: str) -> MemberCommunity:
    row = MemberCommunity.objects.create(community=community, actor=actor, decision_ref=decision_ref)
    audit_record(
        community=community,
        actor=None,
        action="federation.add_member_community",
        target=row,
        summary=_label(actor),
        data={"actor": actor.uri},
        decision_ref=decision_ref,
    )
    profile_publish(community=community)
    return row


@transaction.atomic
def member_community_remove(*, community: Community, actor: RemoteActor, decision_ref: str) -> None:
    MemberCommunity.objects.filter(community=community, actor=actor).delete()
    audit_record(
        community=community,
        actor=None,
        action="federation.remove_member_community",
        summary=_label(actor),
        data={"actor": actor.uri},
        decision_ref=decision_ref,
    )
    profile_publish(community=community)
