"""Federation's writes that people make from pages and the command line: a community following an
actor elsewhere (and stopping), removing a follower, and the operator's controls (blocking a
server, retrying a dead letter). Peering is not here: it is decided by an assembly (peering.py).

Every service writes its audit entry; one of the node's (an operator's act) is recorded without a
community, with the operator's account id in its data.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.clean import clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, DomainError, InvalidInput
from dualpower.federation import activities, delivery, fetch, ids, remote
from dualpower.federation.models import (
    Delivery,
    Follower,
    Following,
    OutboundActivity,
    RemoteActor,
    RemoteHost,
)
from dualpower.members.models import Membership

# A host name as people type it (with a port, maybe): letters, digits, dots and dashes.
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$")


def following_start(*, community: Community, handle: str, by: Membership | None) -> Following:
    """Our community follows the actor at ``handle`` (@name@host, or its URL): a Follow is sent,
    and the Following waits for their answer. Found and fetched first, outside the transaction."""
    handle = clean_text(handle, field="handle", label=_("Address"), limit=300, required=True)
    try:
        actor = remote.actor_get(remote.webfinger(handle))
    except DomainError as error:
        raise InvalidInput(
            _("%(handle)s could not be found: %(why)s") % {"handle": handle, "why": error.detail},
            field="handle",
        ) from None
    return _following_create(community=community, actor=actor, by=by)


@transaction.atomic
def _following_create(*, community: Community, actor: RemoteActor, by: Membership | None) -> Following:
    if ids.community_for_actor_id(actor.uri) is not None:
        raise InvalidInput(_("That is a community on this node."), field="handle")
    if RemoteHost.objects.filter(host=actor.host, blocked_at__isnull=False).exists():
        raise InvalidInput(
            _("This node's operators blocked %(host)s.") % {"host": actor.host}, field="handle"
        )
    existing = Following.objects.select_for_update().filter(community=community, actor=actor).first()
    if existing is not None and existing.state != Following.State.REJECTED:
        raise Conflict(
            _("%(community)s already follows %(actor)s.") % {"community": community.name, "actor": actor}
        )
    follow = activities.follow(community=community, target=actor)
    if existing is not None:  # refused before: ask again
        existing.delete()
    following = Following.objects.create(community=community, actor=actor, follow_id=follow["id"])
    delivery.activity_publish(community=community, activity=follow, audience="direct", to_actor=actor)
    audit_record(
        community=community,
        actor=by,
        action="federation.follow",
        target=following,
        summary=str(actor),
        data={"actor": actor.uri},
    )
    return following


@transaction.atomic
def following_stop(*, following: Following, by: Membership | None) -> None:
    """Stop following: an Undo of our Follow, and the Following is gone."""
    community, actor = following.community, following.actor
    follow = OutboundActivity.objects.filter(uri=following.follow_id).values_list("data", flat=True).first()
    if not isinstance(follow, dict):  # sent before the outbox kept it: the Follow as it was
        follow = {
            "id": following.follow_id,
            "type": "Follow",
            "actor": ids.community_actor_id(community),
            "object": actor.uri,
            "to": [actor.uri],
        }
    undo = activities.undo(community=community, activity=follow)
    delivery.activity_publish(community=community, activity=undo, audience="direct", to_actor=actor)
    audit_record(
        community=community,
        actor=by,
        action="federation.unfollow",
        summary=str(actor),
        data={"actor": actor.uri},
    )
    following.delete()


@transaction.atomic
def follower_remove(*, follower: Follower, by: Membership | None) -> None:
    """Remove a follower: it gets a Reject of its Follow (what Mastodon sends when it removes a
    follower) and nothing the community publishes from now on."""
    community, actor = follower.community, follower.actor
    theirs = {
        "id": follower.follow_id,
        "type": "Follow",
        "actor": actor.uri,
        "object": ids.community_actor_id(community),
    }
    reject = activities.answer(kind="Reject", community=community, request=theirs, to=actor)
    delivery.activity_publish(community=community, activity=reject, audience="direct", to_actor=actor)
    audit_record(
        community=community,
        actor=by,
        action="federation.follower_remove",
        summary=str(actor),
        data={"actor": actor.uri},
    )
    follower.delete()


# --- the operator's controls --------------------------------------------------------------------


def host_clean(value: str) -> str:
    """A host as typed (``example.org``, ``https://example.org/…``, ``Example.org:8443``) in the
    form RemoteHost keeps: lower-cased host[:port], the default port dropped."""
    text = clean_text(value, field="host", label=_("Server"), limit=300, required=True).strip().lower()
    if "://" in text or "/" in text:
        try:
            text = fetch.host_of(text if "://" in text else f"https://{text}")
        except (ValueError, DomainError):
            text = ""
    text = text.removeprefix("@").split("@")[-1]  # a handle typed whole: keep its host
    name = text.split(":")[0]
    if not _HOST.match(text) or ("." not in name and name != "localhost"):
        raise InvalidInput(_("Type a server's name, such as example.org."), field="host")
    return text


def _by(user: Any) -> dict[str, Any]:
    return {"by_user": getattr(user, "pk", None)}


@transaction.atomic
def host_block(*, host: str, reason: str = "", by: Any = None) -> RemoteHost:
    """Block a server: nothing is sent to it or taken from it, its actors no longer follow our
    communities, and what was waiting to go to it is dropped."""
    host = host_clean(host)
    reason = clean_text(reason, field="reason", label=_("Reason"), limit=300)
    row, _created = RemoteHost.objects.select_for_update().get_or_create(host=host)
    if row.blocked_at is not None:
        raise Conflict(_("%(host)s is already blocked.") % {"host": host})
    row.blocked_at, row.block_reason = timezone.now(), reason
    row.save(update_fields=["blocked_at", "block_reason"])
    followers, _n = Follower.objects.filter(actor__host=host).delete()
    pending, _n = Delivery.objects.filter(host=host, state=Delivery.State.PENDING).delete()
    audit_record(
        community=None,
        actor=None,
        action="federation.host_block",
        summary=host,
        data={**_by(by), "reason": reason, "followers_removed": followers, "deliveries_dropped": pending},
    )
    return row


@transaction.atomic
def host_unblock(*, host: str, by: Any = None) -> RemoteHost:
    host = host_clean(host)
    row = RemoteHost.objects.select_for_update().filter(host=host, blocked_at__isnull=False).first()
    if row is None:
        raise InvalidInput(_("%(host)s is not blocked.") % {"host": host}, field="host")
    row.blocked_at, row.block_reason = None, ""
    row.save(update_fields=["blocked_at", "block_reason"])
    audit_record(community=None, actor=None, action="federation.host_unblock", summary=host, data=_by(by))
    return row


@transaction.atomic
def dead_letter_retry(*, delivery_row: Delivery, by: Any = None) -> None:
    """Send a dead letter again, now (the operator's probe: it goes even to an unavailable host)."""
    if delivery_row.state != Delivery.State.DEAD:
        raise Conflict(_("This delivery is not a dead letter."))
    if RemoteHost.objects.filter(host=delivery_row.host, blocked_at__isnull=False).exists():
        raise Conflict(_("%(host)s is blocked: unblock it first.") % {"host": delivery_row.host})
    delivery.delivery_retry(delivery=delivery_row)
    audit_record(
        community=delivery_row.activity.community,
        actor=None,
        action="federation.delivery_retry",
        summary=delivery_row.inbox,
        data={**_by(by), "activity": delivery_row.activity.uri},
    )


def dead_letters_retry_all(*, by: Any = None) -> int:
    """Every dead letter to a host that is not blocked, again; how many."""
    blocked = RemoteHost.objects.filter(blocked_at__isnull=False).values("host")
    rows = (
        Delivery.objects.filter(state=Delivery.State.DEAD)
        .exclude(host__in=blocked)
        .select_related("activity")
    )
    count = 0
    for row in rows.order_by("pk").iterator():
        dead_letter_retry(delivery_row=row, by=by)
        count += 1
    return count


# --- outbox copies that must not outlive their delivery (aid referrals' sealed details) --------


def outbound_property_clear(*, uri: str, prop: str, force: bool = False) -> bool:
    """Blank the property ``prop`` of the object of our sent activity ``uri`` (its value becomes
    "", the rest of the activity stays as the record of what was sent), once no delivery of it is
    pending (or at once with ``force``: the pending ones are given up, as there is nothing left to
    send). True when the property is blank now. A domain app calls it for a secret it sent once,
    so that the outbox does not keep it after it has done its work."""
    with transaction.atomic():
        row = OutboundActivity.objects.select_for_update().filter(uri=uri).first()
        if row is None:
            return True
        obj = row.data.get("object") if isinstance(row.data, dict) else None
        if not isinstance(obj, dict) or obj.get(prop) in (None, ""):
            return True
        pending = Delivery.objects.filter(activity=row, state=Delivery.State.PENDING)
        if pending.exists():
            if not force:
                return False
            pending.update(state=Delivery.State.DEAD, last_error="secret erased before delivery")
        row.data = {**row.data, "object": {**obj, prop: ""}}
        row.save(update_fields=["data"])
    return True
