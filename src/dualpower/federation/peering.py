"""Peering by decision: two communities on different nodes become peers when an assembly on each
side decides it (the assembly action ``federation.peer``), and either side ends it alone
(``federation.unpeer``). A peer receives what a community shares with peers only, and may fetch
its members-only objects (``rules.is_peer_actor``).

The protocol (docs/federation.md has the exact shapes), between our Group actor A and theirs, B:

- A decides first: A sends ``Offer{object: Peering(A → B)}``; A's Peer row is OFFERED, B's becomes
  INVITED and B's coordinators are told. When B decides, B sends ``Accept{object: A's Offer}``:
  both ACTIVE. Had both decided before hearing of the other, each Offer meets an OFFERED row and
  both become ACTIVE (an Accept is sent too, in case the other's Offer was lost).
- Ending: from ACTIVE or OFFERED, ``Undo{object: what our decision sent}``; declining an
  invitation, ``Reject{object: their Offer}``. The other side's row becomes ENDED at once.

Who sent an activity is known from its verified signature (F4's inbox); the Peer row is unique per
(our community, their actor), so an Undo or Reject is matched on who sent it, not only on ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies.actions import Result, result
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import DomainError, InvalidInput
from dualpower.federation import activities, delivery, directory_services, ids, remote
from dualpower.federation.handlers import Incoming, Refused, handler
from dualpower.federation.models import OutboundActivity, Peer, RemoteActor, RemoteHost
from dualpower.members.models import Membership
from dualpower.members.selectors import members_of
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text

PEERING = "Peering"
# Our one term: "Peering" expands to the dualpower vocabulary, so JSON-LD processors read it too.
CONTEXT: list[Any] = [*activities.CONTEXT, {PEERING: "https://dualpower.org/ns#Peering"}]
S = Peer.State


# --- choosing the other community (the proposal form's pickers) ---------------------------------


def known_communities(community: Community) -> list[tuple[int, str]]:
    """Communities on other nodes this node has met (Group actors), not already peers of ours."""
    active = Peer.objects.filter(community=community, state=S.ACTIVE).values("actor_id")
    groups = RemoteActor.objects.filter(kind=RemoteActor.Kind.GROUP).exclude(pk__in=active)
    return [(a.pk, _label(a)) for a in groups.order_by("name", "host", "pk")[:500]]


def current_peers(community: Community) -> list[tuple[int, str]]:
    """Peerings that can be ended: active, offered by us, or offered to us."""
    peers = Peer.objects.filter(community=community).exclude(state=S.ENDED).select_related("actor")
    return [
        (p.actor_id, f"{_label(p.actor)} · {p.get_state_display()}") for p in peers.order_by("actor__name")
    ]


def _label(actor: RemoteActor) -> str:
    return f"{actor.name or actor.username} ({actor.handle or actor.host})"


def _actor_chosen(community: Community, params: Mapping[str, Any]) -> RemoteActor:
    """The actor the params name: a picked id, a stored actor URI (params once validated), or a
    handle typed like @slug@host, resolved through WebFinger and fetched from its origin."""
    chosen, handle = params.get("actor"), str(params.get("handle") or "").strip()
    if chosen and handle:
        raise InvalidInput(_("Choose a community or type its address, not both."), field="handle")
    actor: RemoteActor | None = None
    if isinstance(chosen, int) and not isinstance(chosen, bool):
        actor = RemoteActor.objects.filter(pk=chosen).first()
    elif isinstance(chosen, str) and chosen:
        actor = RemoteActor.objects.filter(uri=chosen).first()
    elif handle:
        try:
            actor = remote.actor_get(remote.webfinger(handle))
        except DomainError as error:
            raise InvalidInput(
                _("%(handle)s could not be found: %(why)s") % {"handle": handle, "why": error.detail},
                field="handle",
            ) from None
    else:
        raise InvalidInput(_("Choose a community, or type its address."), field="actor")
    if actor is None:
        raise InvalidInput(_("This node does not know that community."), field="actor")
    field = "handle" if handle and not chosen else "actor"
    if actor.kind != RemoteActor.Kind.GROUP:
        raise InvalidInput(_("%(name)s is not a community (a group).") % {"name": _label(actor)}, field=field)
    if ids.community_for_actor_id(actor.uri) is not None:
        raise InvalidInput(_("That community is on this node: peering is between nodes."), field=field)
    if RemoteHost.objects.filter(host=actor.host, blocked_at__isnull=False).exists():
        raise InvalidInput(_("This node's operators blocked %(host)s.") % {"host": actor.host}, field=field)
    return actor


# --- the two actions ----------------------------------------------------------------------------


def validate_peer(community: Community, params: Mapping[str, Any]) -> dict[str, Any]:
    actor = _actor_chosen(community, params)
    if Peer.objects.filter(community=community, actor=actor, state=S.ACTIVE).exists():
        raise InvalidInput(_("%(name)s is already a peer.") % {"name": _label(actor)}, field="actor")
    return {"actor": actor.uri}


def describe_peer(community: Community, params: Mapping[str, Any]) -> str:
    return str(_sentence(gettext_lazy("Become peers with %(name)s."), params))


def run_peer(*, community: Community, params: Mapping[str, Any], decision: Any) -> Result:
    actor = _actor_chosen(community, params)
    peer = peering_decide(community=community, actor=actor, decision_ref=decision.ref)
    if peer.state == S.ACTIVE:
        return _sentence(gettext_lazy("%(name)s and this community are now peers."), params)
    return _sentence(gettext_lazy("Peering offered to %(name)s; it begins when they decide too."), params)


def validate_unpeer(community: Community, params: Mapping[str, Any]) -> dict[str, Any]:
    actor = _actor_chosen(community, params)
    if not Peer.objects.filter(community=community, actor=actor).exclude(state=S.ENDED).exists():
        raise InvalidInput(_("%(name)s is not a peer.") % {"name": _label(actor)}, field="actor")
    return {"actor": actor.uri}


def describe_unpeer(community: Community, params: Mapping[str, Any]) -> str:
    return str(_sentence(gettext_lazy("End the peering with %(name)s."), params))


def run_unpeer(*, community: Community, params: Mapping[str, Any], decision: Any) -> Result:
    actor = _actor_chosen(community, params)
    peering_end(community=community, actor=actor, decision_ref=decision.ref)
    return _sentence(gettext_lazy("The peering with %(name)s ended."), params)


def _sentence(message: Any, params: Mapping[str, Any]) -> Result:
    uri = params.get("actor")
    actor = RemoteActor.objects.filter(uri=uri).first() if isinstance(uri, str) else None
    return result(message, name=_label(actor) if actor else str(uri or params.get("handle") or "?"))


# --- our side: the services the actions run ----------------------------------------------------


def _peering(ours: str, theirs: str) -> dict[str, str]:
    return {"type": PEERING, "actor": ours, "target": theirs}


def _offer_as_sent(offer_id: str, by: str, to: str) -> dict[str, Any]:
    """An Offer of theirs as they sent it (we keep only its id), embedded in our answer so that
    its type shows what is accepted or rejected."""
    return {"id": offer_id, "type": "Offer", "actor": by, "to": [to], "object": _peering(by, to)}


def _answer(kind: str, community: Community, actor: RemoteActor, offer_id: str) -> dict[str, Any]:
    ours = ids.community_actor_id(community)
    return activities.activity_build(
        kind=kind, community=community, object=_offer_as_sent(offer_id, actor.uri, ours), to=[actor.uri]
    )


@transaction.atomic
def peering_decide(*, community: Community, actor: RemoteActor, decision_ref: str) -> Peer:
    """Our assembly decided to peer with ``actor``: accept their invitation, or offer ours."""
    peer = Peer.objects.select_for_update().filter(community=community, actor=actor).first()
    if peer is not None and peer.state == S.ACTIVE:
        return peer
    if peer is not None and peer.state == S.INVITED:
        activity, state = _answer("Accept", community, actor, peer.their_offer_id), S.ACTIVE
    else:
        ours = ids.community_actor_id(community)
        activity = activities.activity_build(
            kind="Offer",
            community=community,
            object=_peering(ours, actor.uri),
            to=[actor.uri],
            target=actor.uri,
        )
        activity["@context"], state = CONTEXT, S.OFFERED
    if peer is None:
        peer = Peer(community=community, actor=actor)
    if state == S.OFFERED:
        peer.their_offer_id = ""
    peer.state, peer.our_decision_ref, peer.our_offer_id = state, decision_ref, activity["id"]
    peer.save()
    delivery.activity_publish(community=community, activity=activity, audience="direct", to_actor=actor)
    if state == S.ACTIVE:
        directory_services.profile_publish(community=community)  # dp:peers changed
    audit_record(
        community=community,
        actor=None,
        action="federation.peer",
        target=peer,
        summary=_label(actor),
        data={"state": state, "actor": actor.uri},
        decision_ref=decision_ref,
    )
    return peer


@transaction.atomic
def peering_end(*, community: Community, actor: RemoteActor, decision_ref: str) -> Peer:
    """Our assembly decided to end the peering (or decline the invitation): ENDED on both sides."""
    peer = Peer.objects.select_for_update().filter(community=community, actor=actor).first()
    if peer is None or peer.state == S.ENDED:
        raise InvalidInput(_("%(name)s is not a peer.") % {"name": _label(actor)}, field="actor")
    sent = OutboundActivity.objects.filter(uri=peer.our_offer_id).values_list("data", flat=True).first()
    if peer.state == S.INVITED or not isinstance(sent, dict):
        # Declining their invitation (or, with nothing of ours kept, refusing what they sent).
        activity = _answer("Reject", community, actor, peer.their_offer_id)
    else:
        # Taking back what our decision sent: our Offer, or our Accept of theirs.
        activity = activities.undo(community=community, activity=sent)
    peer.state, peer.our_decision_ref = S.ENDED, decision_ref
    peer.save()
    delivery.activity_publish(community=community, activity=activity, audience="direct", to_actor=actor)
    directory_services.profile_publish(community=community)  # dp:peers changed
    audit_record(
        community=community,
        actor=None,
        action="federation.unpeer",
        target=peer,
        summary=_label(actor),
        data={"actor": actor.uri},
        decision_ref=decision_ref,
    )
    return peer


# --- their side: what arrives in the inbox (F4's handler registry) ------------------------------


def concerns_peering(activity: Mapping[str, Any]) -> bool:
    """An Offer of a Peering, or an Accept/Reject/Undo of one (embedded, as we send them)."""
    obj = activity.get("object")
    for _depth in range(3):
        if not isinstance(obj, Mapping):
            return False
        if obj.get("type") == PEERING:
            return True
        obj = obj.get("object")
    return False


def _our_community(incoming: Incoming) -> Community | None:
    """Which of our communities it is for: the inbox it was posted to, else the first of ours
    among its addressees and the Peering's actor and target."""
    if incoming.community is not None:
        return incoming.community
    found = [*activities.as_list(incoming.activity.get("to")), incoming.activity.get("target")]
    obj = incoming.object
    while isinstance(obj, Mapping):
        found += [obj.get("target"), obj.get("actor")]
        obj = obj.get("object")
    for uri in (activities.id_of(each) for each in found):
        if uri and uri != incoming.actor.uri:
            community = ids.community_for_actor_id(uri)
            if community is not None:
                return community
    return None


def _peer_for(incoming: Incoming) -> tuple[Community, Peer | None] | None:
    """Our community and its Peer row with the sender, for an activity about a peering: one that
    embeds the Peering, or names by id an Offer or Accept of a peering (theirs or ours)."""
    if incoming.actor.kind != RemoteActor.Kind.GROUP and concerns_peering(incoming.activity):
        raise Refused("only a community (a Group) peers")
    mine = Peer.objects.select_for_update().filter(actor=incoming.actor)
    if not concerns_peering(incoming.activity):
        named = incoming.object_id
        peer = mine.filter(Q(our_offer_id=named) | Q(their_offer_id=named)).first() if named else None
        # Not about a peering (an Offer or Undo of something else): not ours to take.
        return (peer.community, peer) if peer is not None else None
    community = _our_community(incoming)
    if community is None:
        raise Refused("not addressed to one of our communities", status=404)
    return community, mine.filter(community=community).first()


@handler("Offer")
def offer_received(incoming: Incoming) -> None:
    """Their assembly decided to peer with one of our communities."""
    found = _peer_for(incoming)
    if found is None:
        return
    community, peer = found
    peering = incoming.object
    if not isinstance(peering, Mapping) or activities.id_of(peering.get("actor")) != incoming.actor.uri:
        raise Refused("an offer made in someone else's name", status=403)
    offer_id = str(incoming.activity["id"])
    if peer is not None and peer.state == S.ACTIVE:
        return
    if peer is not None and peer.state == S.OFFERED:
        # Both assemblies decided before hearing of each other: peers now. Our Accept also covers
        # an Offer of ours they never received.
        peer.state, peer.their_offer_id = S.ACTIVE, offer_id
        peer.save()
        accept = _answer("Accept", community, incoming.actor, offer_id)
        delivery.activity_publish(
            community=community, activity=accept, audience="direct", to_actor=incoming.actor
        )
        _told(peer, "federation.peer_active", gettext_lazy("%(community)s and %(peer)s are now peers"))
        return
    if peer is None:
        peer = Peer(community=community, actor=incoming.actor)
    peer.state, peer.their_offer_id, peer.our_offer_id, peer.our_decision_ref = S.INVITED, offer_id, "", ""
    peer.save()
    _told(peer, "federation.peer_invited", gettext_lazy("%(peer)s asks %(community)s to become peers"))


@handler("Accept(Offer)")
def offer_accepted(incoming: Incoming) -> None:
    """Their assembly accepted our offer: peers."""
    found = _peer_for(incoming)
    if found is None:
        return
    _community, peer = found
    if peer is None or peer.state != S.OFFERED or incoming.object_id != peer.our_offer_id:
        return  # an answer to an offer we no longer make (ended, or replaced by a newer one)
    peer.state, peer.their_offer_id = S.ACTIVE, str(incoming.activity["id"])
    peer.save()
    _told(peer, "federation.peer_active", gettext_lazy("%(community)s and %(peer)s are now peers"))


@handler("Reject(Offer)")
def offer_rejected(incoming: Incoming) -> None:
    """Their assembly declined our offer."""
    found = _peer_for(incoming)
    if found is None:
        return
    _community, peer = found
    if peer is not None and peer.state != S.ENDED and incoming.object_id == peer.our_offer_id:
        _ended(peer)


@handler("Undo(Offer)")
@handler("Undo(Accept)")
def peering_undone(incoming: Incoming) -> None:
    """Their assembly ended the peering (or withdrew its offer). Signed by them, it ends what they
    started whatever id it names: the row is theirs and ours alone."""
    found = _peer_for(incoming)
    if found is None:
        return
    _community, peer = found
    if peer is not None and peer.state != S.ENDED:
        _ended(peer)


def _ended(peer: Peer) -> None:
    peer.state = S.ENDED
    peer.save()
    _told(peer, "federation.peer_ended", gettext_lazy("%(peer)s ended the peering with %(community)s"))


def _told(peer: Peer, action: str, title: Any) -> None:
    """The audit entry (the node acting on what arrived) and a note to the coordinators."""
    community = peer.community
    if action in ("federation.peer_active", "federation.peer_ended"):
        directory_services.profile_publish(community=community)  # dp:peers changed
    audit_record(
        community=community,
        actor=None,
        action=action,
        target=peer,
        summary=_label(peer.actor),
        data={"actor": peer.actor.uri},
    )
    coordinators = members_of(community=community).filter(role=Membership.Role.COORDINATOR)
    try:
        url = reverse("federation:network", args=[community.slug])
    except NoReverseMatch:  # the pages are not mounted
        url = ""
    notification_send(
        recipients=list(coordinators),
        community=community,
        kind=action,
        title=text(title, community=community.name, peer=_label(peer.actor)),
        url=url,
    )
