"""The ActivityPub ids of this node's actors and activities, all derived from ``DP_SITE_URL``.

    instance actor     {site}/ap/actor                (type Application: fetches, signs as the node)
    community actor    {site}/ap/c/{slug}             (type Group, FEP-1b12)
    its inbox          {site}/ap/c/{slug}/inbox       shared inbox: {site}/ap/inbox
    its keys           {actor}#main-key (RSA, HTTP signatures), {actor}#ed25519-key (FEP-8b32)
    activities         {site}/ap/c/{slug}/activities/{uuid}, or {site}/ap/activities/{uuid}

An id is forever on the fediverse: changing ``DP_SITE_URL`` or a community's slug makes a new
actor that its followers do not know (docs/federation.md). Slug changes are rare and deliberate.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.conf import settings

from dualpower.community.models import Community
from dualpower.community.selectors import community_find
from dualpower.federation import keys
from dualpower.federation.fetch import FetchRefused, Signer, host_of
from dualpower.federation.signatures import sign_cavage


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")


def host() -> str:
    return host_of(site_url())


def origin_of(url: str) -> str:
    """``scheme://host[:port]``: two URLs of one origin belong to the same server. ValueError if
    ``url`` is not an http(s) address (callers comparing origins treat that as "not the same")."""
    try:
        return f"{urlsplit(url).scheme.lower()}://{host_of(url)}"
    except FetchRefused:
        raise ValueError(f"not an http(s) address: {url[:200]!r}") from None


def instance_actor_id() -> str:
    return f"{site_url()}/ap/actor"


def community_actor_id(community: Community) -> str:
    return f"{site_url()}/ap/c/{community.slug}"


def community_inbox(community: Community) -> str:
    return f"{community_actor_id(community)}/inbox"


def shared_inbox() -> str:
    return f"{site_url()}/ap/inbox"


def key_id(actor_id: str) -> str:
    return f"{actor_id}#main-key"


def proof_key_id(actor_id: str) -> str:
    return f"{actor_id}#ed25519-key"


def actor_key_name(community: Community | None) -> str:
    """The name of the actor's key file (keys.py): by primary key, so a new slug keeps the key."""
    return keys.community_key_name(community.pk) if community is not None else keys.INSTANCE


def new_activity_id(community: Community | None) -> str:
    base = community_actor_id(community) if community is not None else f"{site_url()}/ap"
    return f"{base}/activities/{uuid.uuid4()}"


def community_for_actor_id(uri: str) -> Community | None:
    """The community whose actor id is ``uri`` (one of ours), or None."""
    prefix = f"{site_url()}/ap/c/"
    if not uri.startswith(prefix):
        return None
    slug = uri[len(prefix) :]
    if not slug or "/" in slug or "#" in slug or "?" in slug:
        return None
    return community_find(slug=slug)


def signer_for(community: Community | None) -> Signer:
    """A ``fetch.Signer``: draft-cavage rsa-sha256 headers as the community's actor (or, with
    None, the node's instance actor), computed for every hop of a request."""
    actor = community_actor_id(community) if community is not None else instance_actor_id()
    name = actor_key_name(community)

    def sign(method: str, url: str, body: bytes | None) -> Mapping[str, str]:
        return sign_cavage(
            method=method,
            url=url,
            body=body,
            key_id=key_id(actor),
            private_key_pem=keys.actor_private_pem(name),
        )

    return sign
