"""Deliberations across peer communities (federation).

Where it was opened (the origin): the facilitators open it to the members of the community's
peers; it is published to them (publishing.py), and the votes and statements their nodes relay
are counted under a participant of kind ``PEER`` per (peer, pseudonymous id). A relayed statement
always waits for a facilitator.

At a peer: the deliberation is kept as a ``PeerDeliberation`` for each of our communities that
peers with its origin; our members vote and add statements here, and each is relayed to the
origin under a keyed hash of the member and the deliberation (``peer_participant_id``): stable,
so a changed vote replaces the earlier one there, and never their actor id, their name or
anything another node could link to them. Their own votes are kept here under that hash only.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from dualpower.clean import clean_choice
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.deliberation import publishing
from dualpower.deliberation.models import (
    DESCRIPTION_MAX,
    KEY_MAX,
    QUESTION_MAX,
    STATEMENT_MAX,
    Deliberation,
    ErasedPeerParticipant,
    Participant,
    PeerDeliberation,
    PeerVote,
    Statement,
    Vote,
)
from dualpower.deliberation.services.deliberations import (
    VOTE_VALUES,
    participant_make,
    participation_erase,
    require_open,
    statement_text,
    statement_write,
    vote_record,
)
from dualpower.errors import Conflict, NotFound
from dualpower.federation import selectors as federation
from dualpower.members.models import Membership

# What a node may send as a participant: a hex digest, never an URL or a handle.
PARTICIPANT = re.compile(r"^[0-9a-f]{32," + str(KEY_MAX) + r"}$")


# --- where it was opened ----------------------------------------------------------------------------


@transaction.atomic
def deliberation_peers_set(
    *, deliberation: Deliberation, by: Membership, open_to_peers: bool
) -> Deliberation:
    """Open the deliberation to the members of the community's peers (published to them), or stop
    (withdrawn from them; what they sent stays counted)."""
    locked = Deliberation.objects.select_for_update().select_related("community").get(pk=deliberation.pk)
    if open_to_peers == locked.peers_open:
        return locked
    if open_to_peers:
        require_open(locked)
        if not federation.peers_active(community=locked.community).exists():
            raise Conflict(_("This community has no peer communities yet."))
    locked.peers_open = open_to_peers
    locked.save(update_fields=["peers_open"])
    if open_to_peers:
        publishing.deliberation_publish(deliberation=locked)
    else:
        publishing.deliberation_withdraw(deliberation=locked)
    audit_record(
        community=locked.community,
        actor=by,
        action="deliberation.peers_open" if open_to_peers else "deliberation.peers_close",
        target=locked,
        summary=locked.question,
    )
    return locked


def _peer_participant(deliberation: Deliberation, peer_uri: str, participant: Any) -> Participant:
    if not isinstance(participant, str) or not PARTICIPANT.match(participant):
        raise Conflict("the participant must be a pseudonymous hex id")
    return participant_make(
        deliberation=deliberation, kind=Participant.Kind.PEER, key=participant, peer=peer_uri
    )


def _not_withdrawn(deliberation: Deliberation, peer_uri: str, participant: Any, sent_at: datetime) -> None:
    """Refuse what a peer's participant sent before (or as) their node withdrew their votes: an old
    vote delivered late must not bring an erased person back."""
    if ErasedPeerParticipant.objects.filter(
        deliberation=deliberation, peer=peer_uri, key=str(participant), erased_at__gte=sent_at
    ).exists():
        raise Conflict("this participant's votes were withdrawn after this was sent")


def relayed_vote_take(
    *,
    deliberation: Deliberation,
    peer_uri: str,
    participant: Any,
    statement: Any,
    vote: Any,
    sent_at: datetime,
) -> Vote:
    """A vote a peer's node relayed (the caller checked the peer and that the deliberation is
    open to peers), sent at ``sent_at`` by their node's clock: counted under that peer's participant."""
    require_open(deliberation)
    _not_withdrawn(deliberation, peer_uri, participant, sent_at)
    if isinstance(statement, bool) or not isinstance(statement, int):
        raise Conflict("the statement is its number")
    found = Statement.objects.filter(deliberation=deliberation, number=statement).first()
    if found is None:
        raise NotFound()
    found.deliberation = deliberation
    return vote_record(
        statement=found,
        participant=lambda: _peer_participant(deliberation, peer_uri, participant),
        value=str(vote),
    )


def relayed_statement_take(
    *, deliberation: Deliberation, peer_uri: str, participant: Any, text: Any, sent_at: datetime
) -> Statement:
    """A statement a peer's node relayed: it waits for a facilitator."""
    require_open(deliberation)
    _not_withdrawn(deliberation, peer_uri, participant, sent_at)
    return statement_write(
        deliberation=deliberation,
        author=lambda: _peer_participant(deliberation, peer_uri, participant),
        text=str(text or ""),
        language="",
        waits=True,
    )


@transaction.atomic
def relayed_votes_erase(
    *, deliberation: Deliberation, peer_uri: str, participant: Any, sent_at: datetime
) -> int:
    """A peer's node withdrew one of its members' participation (they erased their votes there, or
    left) at ``sent_at``: that participant's votes and waiting statements go, and the map is
    recomputed; what they sent before then and arrives later is refused (``ErasedPeerParticipant``).
    The caller checked that the sender is an active peer; erasing works on a closed deliberation, or
    one no longer open to peers, as it does for anyone. Unknown: nothing to erase (0)."""
    if not isinstance(participant, str) or not PARTICIPANT.match(participant):
        raise Conflict("the participant must be a pseudonymous hex id")
    mark, made = ErasedPeerParticipant.objects.select_for_update().get_or_create(
        deliberation=deliberation, peer=peer_uri, key=participant, defaults={"erased_at": sent_at}
    )
    if not made:
        if mark.erased_at >= sent_at:
            return 0  # a later withdrawal already erased all this one asks for (and what came after stays)
        mark.erased_at = sent_at
        mark.save(update_fields=["erased_at"])
    found = Participant.objects.filter(
        deliberation=deliberation, kind=Participant.Kind.PEER, peer=peer_uri, key=participant
    ).first()
    return 0 if found is None else participation_erase(participant=found)


# --- at a peer ---------------------------------------------------------------------------------------


def peer_participant_id(*, deliberation: PeerDeliberation, membership: Membership) -> str:
    """The pseudonymous id of ``membership`` on a peer's deliberation: a keyed hash (this node's
    secret) of the deliberation's id and the member, stable, and meaningless to any other node."""
    return salted_hmac(
        "dualpower.deliberation.peer", f"{deliberation.uri}|{membership.pk}", algorithm="sha256"
    ).hexdigest()[:KEY_MAX]


def peer_deliberation_keep(*, community: Community, uri: str, actor_uri: str, fields: dict[str, Any]) -> None:
    """Keep (or bring up to date) what a peer sent of its deliberation, for ``community``."""
    PeerDeliberation.objects.update_or_create(
        community=community,
        uri=uri,
        defaults={
            "actor_uri": actor_uri,
            "origin_name": str(fields.get("origin_name", ""))[:255],
            "question": str(fields.get("question", ""))[:QUESTION_MAX] or uri[:QUESTION_MAX],
            "description": str(fields.get("description", ""))[:DESCRIPTION_MAX],
            "statements": fields.get("statements", []),
            "opinion_map": fields.get("opinion_map", {}),
            "is_closed": bool(fields.get("is_closed")),
        },
    )


def peer_deliberation_remove(*, uri: str, actor_uri: str) -> None:
    PeerDeliberation.objects.filter(uri=uri, actor_uri=actor_uri).delete()


def _origin(deliberation: PeerDeliberation) -> Any:
    """The peer community's actor, while it is still our peer (else the deliberation is closed to us)."""
    actor = _origin_if_peer(deliberation)
    if actor is None:
        raise Conflict(_("This community is no longer a peer of ours: its deliberation is closed to us."))
    return actor


def _require_peer_open(deliberation: PeerDeliberation) -> None:
    if deliberation.is_closed:
        raise Conflict(_("This deliberation is closed: its map stays as it was."))


@transaction.atomic
def peer_vote_cast(*, deliberation: PeerDeliberation, by: Membership, statement: int, value: str) -> PeerVote:
    """Our member's vote on a peer's deliberation: kept here under their pseudonymous id, and
    relayed to the origin under the same id."""
    _require_peer_open(deliberation)
    choice = clean_choice(value, list(VOTE_VALUES), field="value")
    if statement not in {s["number"] for s in deliberation.statements}:
        raise NotFound()
    to = _origin(deliberation)
    participant = peer_participant_id(deliberation=deliberation, membership=by)
    vote, _made = PeerVote.objects.update_or_create(
        deliberation=deliberation,
        participant=participant,
        statement=statement,
        defaults={"value": VOTE_VALUES[choice]},
    )
    publishing.relayed(
        community=deliberation.community,
        to=to,
        kind=publishing.VOTE_TYPE,
        deliberation_uri=deliberation.uri,
        participant=participant,
        statement=statement,
        vote=choice,
    )
    return vote


@transaction.atomic
def peer_statement_add(*, deliberation: PeerDeliberation, by: Membership, text: str) -> str:
    """Our member's statement, relayed to the origin (whose facilitators read it first)."""
    _require_peer_open(deliberation)
    text = statement_text(text)
    publishing.relayed(
        community=deliberation.community,
        to=_origin(deliberation),
        kind=publishing.STATEMENT_TYPE,
        deliberation_uri=deliberation.uri,
        participant=peer_participant_id(deliberation=deliberation, membership=by),
        name=text[:STATEMENT_MAX],
    )
    return text


def _origin_if_peer(deliberation: PeerDeliberation) -> Any:
    peer = (
        federation.peers_active(community=deliberation.community)
        .filter(actor__uri=deliberation.actor_uri)
        .select_related("actor")
        .first()
    )
    return None if peer is None else peer.actor


def _withdraw(deliberation: PeerDeliberation, participant: str) -> bool:
    """Erase the votes kept here under ``participant`` and ask the origin to erase its own; False
    when the origin is no longer our peer (it would refuse: what it counted stays there)."""
    PeerVote.objects.filter(deliberation=deliberation, participant=participant).delete()
    to = _origin_if_peer(deliberation)
    if to is None:
        return False
    publishing.relayed(
        community=deliberation.community,
        to=to,
        kind=publishing.VOTE_TYPE,
        deliberation_uri=deliberation.uri,
        verb="Delete",
        participant=participant,
    )
    return True


@transaction.atomic
def peer_votes_erase(*, deliberation: PeerDeliberation, by: Membership) -> bool:
    """Our member erases their votes on a peer's deliberation: here, and at the origin (a signed
    Delete of their votes under the same pseudonym). Allowed once it is closed too: erasing is
    always the person's right. Returns whether the origin was asked (it is still our peer)."""
    return _withdraw(deliberation, peer_participant_id(deliberation=deliberation, membership=by))


def peer_votes_of_former_member(*, membership: Membership) -> None:
    """``members.hooks.register_member_erased``: someone who deleted their account leaves with their
    votes on peers' deliberations, here and at each origin still our peer. Never raises for a peer
    gone (an exception would undo the account's deletion)."""
    kept = list(
        PeerDeliberation.objects.filter(community_id=membership.community_id).select_related("community")
    )
    theirs = {d.pk: peer_participant_id(deliberation=d, membership=membership) for d in kept}
    voted = set(
        PeerVote.objects.filter(deliberation__in=kept, participant__in=theirs.values()).values_list(
            "deliberation_id", "participant"
        )
    )
    for deliberation in kept:
        if (deliberation.pk, theirs[deliberation.pk]) in voted:
            _withdraw(deliberation, theirs[deliberation.pk])
