"""Follows, both ways: someone following one of our communities (Follow, Undo(Follow)), and the
answer to one of ours following them (Accept(Follow), Reject(Follow))."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dualpower.federation import activities, ids
from dualpower.federation.handlers import Incoming, Refused, handler
from dualpower.federation.models import Follower, Following


def _followed_community(incoming: Incoming) -> Any:
    community = ids.community_for_actor_id(incoming.object_id)
    if community is None:
        raise Refused("not one of our communities", status=404)
    if incoming.community is not None and incoming.community.pk != community.pk:
        raise Refused("posted to another community's inbox")
    return community


@handler("Follow")
def follow(incoming: Incoming) -> None:
    """Someone follows one of our communities: they become a follower and get an Accept, signed
    as the community, sent to them alone. Following again (a lost Accept) answers again. A
    member who chose to be a Person actor is followed the same way (persons.py)."""
    from dualpower.federation import persons
    from dualpower.federation.delivery import activity_publish

    person = persons.followed_person(incoming, incoming.object_id)
    if person is not None:
        persons.person_follow(incoming, person)
        return

    community = _followed_community(incoming)
    Follower.objects.update_or_create(
        community=community, actor=incoming.actor, defaults={"follow_id": incoming.activity["id"]}
    )
    accept = activities.answer(
        kind="Accept", community=community, request=incoming.activity, to=incoming.actor
    )
    activity_publish(community=community, activity=accept, audience="direct", to_actor=incoming.actor)


@handler("Undo(Follow)")
def unfollow(incoming: Incoming) -> None:
    """They stop following: by their Follow's id, or (as some servers send it) a fresh copy of it
    naming the community (or one of our persons, persons.py)."""
    from dualpower.federation import persons

    persons.person_unfollow(incoming)
    mine = Follower.objects.filter(actor=incoming.actor)
    inner = incoming.object
    community = (
        ids.community_for_actor_id(activities.id_of(inner.get("object"))) if isinstance(inner, dict) else None
    )
    if community is not None:
        mine.filter(community=community).delete()
    else:
        mine.filter(follow_id=incoming.object_id).delete()


def _our_following(incoming: Incoming) -> Following | None:
    """The Following the answer is about: our Follow's id, which only the followed may answer."""
    following = Following.objects.filter(follow_id=incoming.object_id).select_related("actor").first()
    if following is None:
        inner = incoming.object
        # Some servers answer with a Follow of their own making: match on who and whom instead.
        if isinstance(inner, dict) and activities.id_of(inner.get("object")) == incoming.actor.uri:
            community = ids.community_for_actor_id(activities.id_of(inner.get("actor")))
            if community is not None:
                following = Following.objects.filter(community=community, actor=incoming.actor).first()
    if following is not None and following.actor_id != incoming.actor.pk:
        raise Refused("only the followed actor answers a follow", status=403)
    return following


@handler("Accept(Follow)")
def follow_accepted(incoming: Incoming) -> None:
    following = _our_following(incoming)
    if following is not None:
        following.state, following.answered_at = Following.State.ACCEPTED, timezone.now()
        following.save(update_fields=["state", "answered_at"])


@handler("Reject(Follow)")
def follow_rejected(incoming: Incoming) -> None:
    """A refusal, or (Mastodon sends the same) a follower removed later: we no longer follow."""
    following = _our_following(incoming)
    if following is not None:
        following.state, following.answered_at = Following.State.REJECTED, timezone.now()
        following.save(update_fields=["state", "answered_at"])
