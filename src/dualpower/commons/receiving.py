"""Guides other communities send: Create(Document) and Update(Document) kept in the commons of
each of our communities that hears from the sender (a peer, or, for a public guide, a community
that follows it); Delete(Document) removes it. Registered with federation's handler registry
(registrations.py); the inbox verified the signature and that the activity is the signer's.

The object is taken only from its origin: its id must be of the signer's origin and it must be
attributed to the signer (else refused, nothing stored). It must be given inline, as dualpower
sends it: a Create naming its object by id alone reaches federation's generic "Create" handler
(handlers_notes.py), which fetches it from its origin but keeps only posts. What is kept is plain
text: the ``source`` the guide was written in, or the text of its HTML with every tag gone.
Remote HTML is never shown.
"""

from __future__ import annotations

import html
import re
from typing import Any

from django.utils.html import strip_tags

from dualpower.commons import objects, services
from dualpower.commons.models import BODY_MAX, TITLE_MAX, URI_MAX, Kind, Licence
from dualpower.community.selectors import communities_all
from dualpower.federation import activities
from dualpower.federation import selectors as federation
from dualpower.federation.handlers import Incoming, Refused, own_object, same_origin

_BREAKS = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.I)
_PLAIN = ("text/plain", "text/markdown")


def _is_guide(obj: Any) -> bool:
    return isinstance(obj, dict) and obj.get("type") == objects.OBJECT_TYPE and "guideKind" in obj


def _plain_body(obj: dict[str, Any]) -> str:
    source = obj.get("source")
    plain = isinstance(source, dict) and source.get("mediaType", "text/plain") in _PLAIN
    if plain and isinstance(source, dict) and isinstance(source.get("content"), str):
        return str(source["content"])[:BODY_MAX]
    content = obj.get("content")
    if not isinstance(content, str):
        return ""
    text = html.unescape(strip_tags(_BREAKS.sub("\n", content[: BODY_MAX * 2])))
    return text.strip()[:BODY_MAX]


def _language(obj: dict[str, Any]) -> str:
    content_map = obj.get("contentMap")
    if isinstance(content_map, dict) and content_map:
        return str(next(iter(content_map)))[:10]
    return ""


def _version(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Refused("a guide's version is a whole number from 1")
    return min(value, 2**31 - 1)


def fields_of(obj: dict[str, Any], *, origin_name: str) -> dict[str, Any]:
    """What is kept of a guide object, each field checked and clipped."""
    kind = obj.get("guideKind")
    licence_url = obj.get("license")
    url = activities.id_of(obj.get("url"))
    return {
        "title": (str(obj.get("name") or "").strip() or obj["id"])[:TITLE_MAX],
        "kind": kind if kind in Kind.values else Kind.GUIDE,
        "body": _plain_body(obj),
        # A licence we cannot read is treated as all rights reserved: no copies.
        "licence": objects.LICENCE_OF_URL.get(licence_url, Licence.RESERVED)
        if isinstance(licence_url, str)
        else Licence.RESERVED,
        "language": _language(obj),
        "version": _version(obj.get("version", 1)),
        "is_public": bool(activities.PUBLIC_FORMS & activities.recipients({"object": obj})),
        "url": url if len(url) <= URI_MAX and url.startswith(("https://", "http://")) else "",
        "origin_name": origin_name[:255],
    }


def guide_received(incoming: Incoming) -> None:
    """Create(Document) / Update(Document) of a guide."""
    obj = own_object(incoming)
    if not _is_guide(obj):
        return  # a Document that is not a guide: nothing of ours
    actor = incoming.actor
    fields = fields_of(obj, origin_name=actor.name or actor.username or actor.host)
    hearing = federation.communities_hearing_from(actor=actor)
    if incoming.community is not None:
        hearing = {k: v for k, v in hearing.items() if k == incoming.community.pk}
    # Peers get what is shared with peers; followers only what is public.
    chosen = [community_id for community_id, peer in hearing.items() if peer or fields["is_public"]]
    for community in communities_all().filter(pk__in=chosen).order_by("pk"):
        services.received_keep(community=community, uri=obj["id"], actor_uri=actor.uri, fields=fields)


def guide_deleted(incoming: Incoming) -> None:
    """Delete(Document): its origin withdrew it (up to the version it names)."""
    uri = incoming.object_id
    if not same_origin(uri, incoming.actor):
        raise Refused("object of another origin")
    obj = incoming.object
    version = obj.get("version") if isinstance(obj, dict) else None
    services.received_remove(
        uri=uri, actor_uri=incoming.actor.uri, version=_version(version) if version is not None else None
    )
