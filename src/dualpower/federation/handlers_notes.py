"""Posts and actors: Create / Update / Delete of a Note (replies to us, posts of actors we follow,
posts addressed to one of our communities), Announce (the object fetched from its origin, never
taken as embedded), Update of an actor (fetched again) and Delete of an actor (its follows end).

What is not for us (a post of someone nobody here follows, addressed to nobody here) is not stored.
An object's id must be of its actor's origin: nobody creates, edits or deletes another server's
objects (a Create "by" a.example of an object of b.example is refused).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dualpower.community.models import Community
from dualpower.federation import activities, fetch, ids, polls, remote
from dualpower.federation.handlers import Incoming, Refused, handler, own_object, same_origin
from dualpower.federation.models import URI_LENGTH, Follower, Following, Peer, RemoteActor, RemoteObject

OBJECT_KINDS = ("Note", "Article", "Page")


def _our_community_of(uri: str) -> Community | None:
    """The community owning ``uri`` when it is one of ours ({site}/ap/c/{slug}[/...])."""
    prefix = f"{ids.site_url()}/ap/c/"
    if not uri.startswith(prefix):
        return None
    slug = uri[len(prefix) :].split("/", 1)[0].split("#", 1)[0]
    return ids.community_for_actor_id(prefix + slug) if slug else None


def _addressed_community(incoming: Incoming, obj: dict[str, Any]) -> Community | None:
    if incoming.community is not None:
        return incoming.community
    for uri in sorted(activities.recipients(incoming.activity)):
        found = ids.community_for_actor_id(uri)
        if found is not None:
            return found
    reply_to = activities.id_of(obj.get("inReplyTo"))
    if reply_to:
        found = _our_community_of(reply_to)
        if found is not None:
            return found
        thread = RemoteObject.objects.filter(uri=reply_to).exclude(community=None).first()
        if thread is not None:
            return thread.community
    return None


def _followed(actor: RemoteActor) -> bool:
    return (
        Following.objects.filter(actor=actor, state=Following.State.ACCEPTED).exists()
        or Peer.objects.filter(actor=actor, state=Peer.State.ACTIVE).exists()
    )


def _published(obj: dict[str, Any]) -> Any:
    value = obj.get("published")
    return parse_datetime(value) if isinstance(value, str) else None


def _keep(*, obj: dict[str, Any], author: RemoteActor, community: Community | None) -> None:
    if len(obj["id"]) > URI_LENGTH:
        raise Refused("the object's id is too long")
    RemoteObject.objects.update_or_create(
        uri=obj["id"],
        defaults={
            "kind": str(obj.get("type", ""))[:40],
            "actor": author,
            "community": community,
            "in_reply_to": activities.id_of(obj.get("inReplyTo"))[:500],
            "data": obj,
            "published": _published(obj),
            "deleted_at": None,
        },
    )


def _fetch_own_object(incoming: Incoming) -> None:
    """Create by reference (an id alone): fetched from its origin, which must be the actor's."""
    if isinstance(incoming.object, dict):
        return
    if not same_origin(incoming.object_id, incoming.actor):
        raise Refused("object of another origin")
    incoming.activity = {
        **incoming.activity,
        "object": fetch.get_json(incoming.object_id, sign=ids.signer_for(None)),
    }


def create_note(incoming: Incoming) -> None:
    obj = own_object(incoming)
    if polls.answer_take(incoming=incoming, obj=obj):
        return  # an answer to one of our advisory polls: counted apart, never kept as a reply
    if obj.get("type") not in OBJECT_KINDS:
        return  # events, polls...: not taken in this version
    community = _addressed_community(incoming, obj)
    if community is None and not _followed(incoming.actor):
        return  # not for anyone here
    _keep(obj=obj, author=incoming.actor, community=community)


def update_note(incoming: Incoming) -> None:
    obj = own_object(incoming)
    known = RemoteObject.objects.filter(uri=obj["id"], actor=incoming.actor, deleted_at=None).first()
    if known is not None:  # an edit of something we never kept is nothing to us
        _keep(obj=obj, author=incoming.actor, community=known.community)


for _kind in OBJECT_KINDS:
    handler(f"Create({_kind})", prepare=_fetch_own_object)(create_note)
    handler(f"Update({_kind})")(update_note)
handler("Create", prepare=_fetch_own_object)(create_note)  # the object by reference: fetched


@handler("Delete")
def delete_object(incoming: Incoming) -> None:
    """Delete of a post (by id, or as a Tombstone): kept as a tombstone, its content gone."""
    uri = incoming.object_id
    if not same_origin(uri, incoming.actor):
        raise Refused("object of another origin")
    RemoteObject.objects.filter(uri=uri, actor=incoming.actor, deleted_at=None).update(
        deleted_at=timezone.now(), data={"id": uri, "type": "Tombstone"}
    )


def _actor_refetch(incoming: Incoming) -> None:
    if incoming.object_id != incoming.actor.uri:
        raise Refused("an actor updates only itself", status=403)
    incoming.fetched["actor"] = remote.actor_get(incoming.actor.uri, refresh=True)


@handler("Update(Actor)", prepare=_actor_refetch)
def actor_updated(incoming: Incoming) -> None:
    """The actor changed (name, key, inbox): ``prepare`` fetched it again from its origin, which
    stored it; what was embedded in the Update is not used."""


@handler("Delete(Actor)")
def actor_deleted(incoming: Incoming) -> None:
    """The actor is gone: it follows nothing here, we follow it no more, peerings with it end, and
    its posts become tombstones. The actor's row stays, so the history still names it."""
    actor = incoming.actor
    if incoming.object_id != actor.uri:
        raise Refused("an actor deletes only itself", status=403)
    Follower.objects.filter(actor=actor).delete()
    Following.objects.filter(actor=actor).delete()
    Peer.objects.filter(actor=actor).exclude(state=Peer.State.ENDED).update(state=Peer.State.ENDED)
    RemoteObject.objects.filter(actor=actor, deleted_at=None).update(deleted_at=timezone.now())


def _announced_fetch(incoming: Incoming) -> None:
    """Fetch what is announced from its own origin (the copy embedded in the Announce may be
    forged: it is never read). Only for announcers someone here follows or peers with."""
    uri = incoming.object_id
    if not uri or uri.startswith(ids.site_url() + "/"):
        return  # one of ours, announced back: nothing to keep
    if not _followed(incoming.actor) and _addressed_community(incoming, {}) is None:
        return
    obj = fetch.get_json(uri, sign=ids.signer_for(None))
    if obj.get("id") != uri:
        raise Refused("the fetched object has another id")
    if obj.get("type") in ("Create", "Update") and isinstance(obj.get("object"), dict):
        # FEP-1b12 groups announce the author's activity: keep its object, of the same origin.
        inner = obj["object"]
        if ids.origin_of(activities.id_of(inner)) != ids.origin_of(uri):
            raise Refused("the announced activity carries an object of another origin")
        obj = inner
    author_uri = activities.id_of(obj.get("attributedTo"))
    if not author_uri or ids.origin_of(author_uri) != ids.origin_of(obj["id"]):
        raise Refused("the announced object is not attributed to an actor of its origin")
    incoming.fetched["object"] = obj
    incoming.fetched["author"] = remote.actor_get(author_uri)


@handler("Announce", prepare=_announced_fetch)
def announce(incoming: Incoming) -> None:
    obj, author = incoming.fetched.get("object"), incoming.fetched.get("author")
    if obj is None or author is None:
        return
    community = _addressed_community(incoming, obj)
    _keep(obj=obj, author=author, community=community)
