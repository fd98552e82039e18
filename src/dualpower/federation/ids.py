"""The ActivityPub ids of this node's actors and activities, all derived from ``DP_SITE_URL``.

    instance actor     {site}/ap/actor                (type Application: fetches, signs as the node)
    community actor    {site}/ap/c/{slug}             (type Group, FEP-1b12)
    person actor       {site}/ap/u/{handle}           (type Person: a member who chose it, persons.py)
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
from dualpower.federation.models import OutboundActivity, PersonActor
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
    slug = _name_after(uri, f"{site_url()}/ap/c/")
    return community_find(slug=slug) if slug else None


def person_actor_id(handle: str) -> str:
    return f"{site_url()}/ap/u/{handle}"


def person_handle_of(uri: str) -> str | None:
    """The handle in ``uri`` if it is the id of one of our person actors (live or gone), else None."""
    return _name_after(uri, f"{site_url()}/ap/u/")


def _name_after(uri: str, prefix: str) -> str | None:
    """The one path segment after ``prefix`` (a slug or a handle), or None if ``uri`` is anything
    else (a sub-path, a fragment, a query: another object than the actor)."""
    if not uri.startswith(prefix):
        return None
    name = uri[len(prefix) :]
    if not name or "/" in name or "#" in name or "?" in name:
        return None
    return name


def _signer(actor: str, name: str) -> Signer:
    def sign(method: str, url: str, body: bytes | None) -> Mapping[str, str]:
        return sign_cavage(
            method=method,
            url=url,
            body=body,
            key_id=key_id(actor),
            private_key_pem=keys.actor_private_pem(name),
        )

    return sign


def signer_for_outbound(outbound: OutboundActivity) -> Signer:
    """The signer of one of our activities: a person of ours when the activity is theirs (a
    person's activities have no community: persons.py), else its community or the instance actor."""
    if outbound.community_id is None and isinstance(outbound.data, dict):
        handle = person_handle_of(str(outbound.data.get("actor", "")))
        if handle is not None:
            pk = PersonActor.objects.filter(handle=handle).values_list("pk", flat=True).first()
            if pk is not None:
                return _signer(person_actor_id(handle), keys.person_key_name(pk))
    return signer_for(outbound.community)


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
