"""The JSON documents of this node's actors: each community's ``Group`` (FEP-1b12), the node's
instance actor (``Application``), and their collections.

A community's actor says only what its public page says: its name always (it is in its handle's
neighbourhood anyway: the slug), its description only if the community is listed publicly. The
shape follows what Mastodon, Lemmy and Fedify read: ``publicKey`` (RSA, for HTTP signatures),
``assertionMethod`` with a ``Multikey`` (FEP-521a; the node's Ed25519 key, for FEP-8b32 proofs),
``endpoints.sharedInbox``, and ``dualpower: true`` so that another dualpower node knows a peer
when it sees one. Every context URL below is one Fedify has preloaded (no JSON-LD fetches).

Collections give their ``totalItems`` but no items: who follows a community is not published
(Mastodon lets people hide theirs the same way). The outbox lists the newest public activities
(announcements, public events); everything else a community published lives at its activities' ids.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import linebreaks

from dualpower.community.models import Community
from dualpower.federation import directory, ids, keys
from dualpower.federation.models import Follower, Following, OutboundActivity

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
CONTEXT: list[Any] = [
    AS_CONTEXT,
    "https://w3id.org/security/v1",
    "https://w3id.org/security/data-integrity/v1",
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/security/multikey/v1",
    {
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "toot": "http://joinmastodon.org/ns#",
        "discoverable": "toot:discoverable",
        "lemmy": "https://join-lemmy.org/ns#",
        "postingRestrictedToMods": "lemmy:postingRestrictedToMods",
        "dualpower": {"@id": "https://dualpower.org/ns#dualpower"},
        **directory.CONTEXT_TERMS,  # the directory's profile terms (dp:region, dp:peers...)
    },
]


def _absolute(path: str) -> str:
    return f"{ids.site_url()}{path}"


def community_page_url(community: Community) -> str:
    """The community's page for people (its description, or a sign-in for an unlisted one)."""
    return _absolute(reverse("community-about", args=[community.slug]))


def _keys(actor_id: str, key_name: str) -> dict[str, Any]:
    return {
        "publicKey": {
            "id": ids.key_id(actor_id),
            "owner": actor_id,
            "publicKeyPem": keys.actor_public_pem(key_name),
        },
        "assertionMethod": [
            {
                "id": ids.proof_key_id(actor_id),
                "type": "Multikey",
                "controller": actor_id,
                "publicKeyMultibase": keys.node_proof_multibase(),
            }
        ],
    }


def group_actor(community: Community) -> dict[str, Any]:
    """The community's ``Group`` actor."""
    actor_id = ids.community_actor_id(community)
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "id": actor_id,
        "type": "Group",
        "preferredUsername": community.slug,
        "name": community.name,
        "url": community_page_url(community),
        "inbox": ids.community_inbox(community),
        "outbox": f"{actor_id}/outbox",
        "followers": f"{actor_id}/followers",
        "following": f"{actor_id}/following",
        "endpoints": {"sharedInbox": ids.shared_inbox()},
        "manuallyApprovesFollowers": False,
        # Only the community publishes in its name; others reply (Lemmy's moderators-only flag).
        "postingRestrictedToMods": True,
        "discoverable": community.is_public,
        "published": community.created_at.isoformat().replace("+00:00", "Z"),
        "dualpower": True,
        **_keys(actor_id, ids.actor_key_name(community)),
    }
    if community.is_public and community.description:
        document["summary"] = linebreaks(community.description, autoescape=True)
    # The directory profile, when the community chose to be listed (directory.py).
    document.update(directory.profile_fields(community))
    return document


def instance_actor() -> dict[str, Any]:
    """The node's own actor: it signs the node's fetches (authorized fetch) and nothing else."""
    actor_id = ids.instance_actor_id()
    return {
        "@context": CONTEXT,
        "id": actor_id,
        "type": "Application",
        "preferredUsername": ids.host(),
        "name": ids.host(),
        "url": _absolute(reverse("home")),
        "inbox": ids.shared_inbox(),
        "outbox": f"{actor_id}/outbox",
        "endpoints": {"sharedInbox": ids.shared_inbox()},
        "manuallyApprovesFollowers": True,
        "discoverable": False,
        "dualpower": True,
        **_keys(actor_id, keys.INSTANCE),
    }


def collection(collection_id: str, total: int) -> dict[str, Any]:
    return {"@context": AS_CONTEXT, "id": collection_id, "type": "OrderedCollection", "totalItems": total}


def followers_collection(community: Community) -> dict[str, Any]:
    total = Follower.objects.filter(community=community).count()
    return collection(f"{ids.community_actor_id(community)}/followers", total)


def following_collection(community: Community) -> dict[str, Any]:
    total = Following.objects.filter(community=community, state=Following.State.ACCEPTED).count()
    return collection(f"{ids.community_actor_id(community)}/following", total)


OUTBOX_ITEMS = 20  # the newest public activities listed in the outbox (F8); older ones by their ids


def outbox_collection(community: Community | None) -> dict[str, Any]:
    """What the actor published to everyone (peers-only and direct activities are not counted),
    the newest listed (public announcements and events, as Mastodon lists an account's posts)."""
    public = OutboundActivity.objects.filter(community=community, audience=OutboundActivity.Audience.PUBLIC)
    total = public.count()
    actor_id = ids.community_actor_id(community) if community is not None else ids.instance_actor_id()
    document = collection(f"{actor_id}/outbox", total)
    if total:
        newest = public.order_by("-created_at", "-pk").values_list("data", flat=True)[:OUTBOX_ITEMS]
        document["orderedItems"] = [
            {key: value for key, value in data.items() if key not in ("@context", "proof")} for data in newest
        ]
    return document
