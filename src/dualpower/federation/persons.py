"""People on the fediverse: a member who chooses to may be visible as a ``Person`` actor.

Nobody is federated without choosing. Our users may be watched by landlords, employers and
police, so being visible is an informed choice the member makes on their own page
(``/c/<slug>/network/me/``), off by default and revocable at any time:

- what becomes public is only what they type: a handle (``@handle@host``), a display name (empty
  unless they type one: never their name in the community or their account's email) and a short
  bio. The actor names no community, no role, no membership date; the Group actors never list
  members. That the handle lives on this server is public, as any address is.
- others may follow them; follows are accepted at once and shown as a count only (who follows
  them is not published, as for communities).
- stopping (their choice, or their account deleted: ``members.hooks.register_member_erased``)
  sends ``Delete`` with a ``Tombstone`` to the servers of their followers, forgets the followers,
  and the actor answers 410 Gone from then on. The row stays as a tombstone with nothing personal
  in it, so the handle is never given to someone else. The key that signed the Delete is removed
  once the Delete has reached every follower's server or been given up on (the clock job
  ``federation.person_keys``): until then it must still sign it.

Handles and community slugs share the WebFinger namespace (``acct:<name>@<host>``): a handle may
not be a community's slug (nor reserved, nor used before), and a community may not be created
with a slug that is a handle (``community.hooks.on_community_created``). Should both ever exist
(a restored backup), WebFinger answers with the community, as it did before.

Shapes follow Mastodon's and Lemmy's ``Person``: ``preferredUsername``, ``name``, ``summary``
(HTML), ``inbox``, ``outbox``, ``followers``, ``endpoints.sharedInbox``, ``publicKey`` (RSA, for
HTTP signatures) and ``assertionMethod`` (the node's Ed25519 ``Multikey``, for FEP-8b32 proofs, as
the Group has). ``discoverable``/``indexable`` are false: visible to whoever looks them up, never
offered in directories or search.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.clean import clean_text
from dualpower.community.hooks import CommunityCreated
from dualpower.community.selectors import community_find
from dualpower.errors import Conflict, DomainError, InvalidInput, NotFound
from dualpower.federation import activities, actors, delivery, ids, keys, proofs
from dualpower.federation.handlers import Incoming, Refused
from dualpower.federation.models import (
    PERSON_HANDLE_MAX,
    PERSON_NAME_MAX,
    PERSON_SUMMARY_MAX,
    Delivery,
    PersonActor,
    PersonFollower,
    RemoteActor,
)
from dualpower.members.models import Membership

HANDLE = re.compile(r"^[a-z0-9_]+$")
# Names that would mislead (someone posing as the node or its staff) or that our addresses and
# other servers' conventions use. Compared in lower case.
RESERVED = frozenset(
    {
        "abuse", "admin", "administrator", "actor", "all", "ap", "api", "c", "dualpower", "everyone",
        "help", "hostmaster", "inbox", "info", "instance", "mod", "moderator", "moderators", "node",
        "nobody", "noreply", "operator", "outbox", "postmaster", "relay", "root", "security", "setup",
        "staff", "support", "system", "u", "webmaster",
    }
)  # fmt: skip


# The Group's context, and Mastodon's term for "may be indexed by search" (the "toot" prefix is
# defined there).
PERSON_CONTEXT: list[Any] = [*actors.CONTEXT, {"indexable": "toot:indexable"}]


class Gone(DomainError):
    """The person stopped being visible: their actor is gone for good (410)."""

    code = "gone"
    status = 410
    default_detail = gettext_lazy("This person is no longer on the fediverse.")


# --- reading ----------------------------------------------------------------------------------


def person_of(membership: Membership | None) -> PersonActor | None:
    """The member's live person actor, if they chose one."""
    if membership is None or membership.pk is None:
        return None
    return PersonActor.objects.filter(membership=membership, stopped_at=None).first()


def _live(person: PersonActor) -> bool:
    membership = person.membership
    return (
        person.stopped_at is None
        and membership is not None
        and membership.status == Membership.Status.ACTIVE
        and membership.user_id is not None
    )


def person_find(handle: str) -> PersonActor | None:
    """The person answering to ``handle`` (live or gone), or None: nobody chose it."""
    handle = handle.lower()
    if not HANDLE.match(handle):
        return None
    return PersonActor.objects.filter(handle=handle).select_related("membership").first()


def person_live_get(handle: str) -> PersonActor:
    """The live person at ``handle``: 404 if nobody chose it, 410 if they stopped."""
    person = person_find(handle)
    if person is None:
        raise NotFound(_("Nobody on this server answers to this address."))
    if not _live(person):
        raise Gone()
    return person


def person_document(person: PersonActor) -> dict[str, Any]:
    """The ``Person`` actor: only what the member typed, nothing of their membership."""
    actor_id = ids.person_actor_id(person.handle)
    document: dict[str, Any] = {
        "@context": PERSON_CONTEXT,
        "id": actor_id,
        "type": "Person",
        "preferredUsername": person.handle,
        # Servers show the handle when no name is given; never a name the member did not type.
        "name": person.name or person.handle,
        "inbox": f"{actor_id}/inbox",
        "outbox": f"{actor_id}/outbox",
        "followers": f"{actor_id}/followers",
        "endpoints": {"sharedInbox": ids.shared_inbox()},
        "manuallyApprovesFollowers": False,
        "discoverable": False,
        "indexable": False,
        "dualpower": True,
        "publicKey": {
            "id": ids.key_id(actor_id),
            "owner": actor_id,
            "publicKeyPem": keys.actor_public_pem(keys.person_key_name(person.pk)),
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
    if person.summary:
        document["summary"] = linebreaks(person.summary, autoescape=True)
    return document


def tombstone_document(person: PersonActor) -> dict[str, Any]:
    """What the actor's id answers once they stopped (with 410), as Mastodon's deleted accounts do."""
    return {
        "@context": actors.AS_CONTEXT,
        "id": ids.person_actor_id(person.handle),
        "type": "Tombstone",
        "formerType": "Person",
    }


def followers_collection(person: PersonActor) -> dict[str, Any]:
    """A count only: who follows a member is not published."""
    total = PersonFollower.objects.filter(person=person).count()
    return actors.collection(f"{ids.person_actor_id(person.handle)}/followers", total)


def outbox_collection(person: PersonActor) -> dict[str, Any]:
    """Empty: members publish nothing as themselves in this version (their activities in the
    community stay members-only); the Accepts and the Delete they send are not posts."""
    return actors.collection(f"{ids.person_actor_id(person.handle)}/outbox", 0)


def person_followers_count(person: PersonActor) -> int:
    return PersonFollower.objects.filter(person=person).count()


# --- choosing and stopping ---------------------------------------------------------------------


def handle_clean(value: object) -> str:
    """A handle as typed, checked: letters, digits and underscores, unused, not a community's."""
    label = _("Handle")
    text = clean_text(value, field="handle", label=label, limit=PERSON_HANDLE_MAX, required=True)
    handle = text.lstrip("@").lower()
    if not HANDLE.match(handle) or not handle.isascii():
        raise InvalidInput(
            _("A handle has only letters a to z, digits and underscores (_), with no spaces."), field="handle"
        )
    if handle in RESERVED:
        raise InvalidInput(
            _("“%(handle)s” is kept for the server. Choose another.") % {"handle": handle}, field="handle"
        )
    if community_find(slug=handle) is not None:
        raise InvalidInput(
            _("“%(handle)s” is the address of a community. Choose another.") % {"handle": handle},
            field="handle",
        )
    if PersonActor.objects.filter(handle=handle).exists():
        raise InvalidInput(
            _("“%(handle)s” is taken or was used before. Choose another.") % {"handle": handle},
            field="handle",
        )
    return handle


@transaction.atomic
def person_start(*, membership: Membership, handle: str, name: str = "", summary: str = "") -> PersonActor:
    """The member chose to be visible as ``@handle``. Only a full member (not an observer) of an
    active membership may; one live person per membership. Its key is made now, outside the db.

    Nothing goes to the community's audit log: being visible is the member's own choice, and an
    entry would link their membership to a public handle for everyone who reads the log."""
    if membership.status != Membership.Status.ACTIVE or membership.role not in (
        Membership.Role.MEMBER,
        Membership.Role.COORDINATOR,
    ):
        raise Conflict(_("Only members of the community may be visible on the fediverse."))
    if person_of(membership) is not None:
        raise Conflict(_("You are already visible on the fediverse. Stop first to choose another handle."))
    checked = handle_clean(handle)
    try:
        # The unique handle and the one-to-one membership settle two requests at once: one wins.
        with transaction.atomic():
            person = PersonActor.objects.create(
                handle=checked,
                membership=membership,
                name=clean_text(name, field="name", label=_("Name shown"), limit=PERSON_NAME_MAX),
                summary=clean_text(summary, field="summary", label=_("About you"), limit=PERSON_SUMMARY_MAX),
            )
    except IntegrityError:
        raise Conflict(_("This handle was just taken, or you just chose one. Reload the page.")) from None
    keys.actor_private_pem(keys.person_key_name(person.pk))
    return person


def _signed_activity(
    person: PersonActor, kind: str, obj: Any, *, to: list[str], cc: list[str]
) -> dict[str, Any]:
    actor_id = ids.person_actor_id(person.handle)
    activity: dict[str, Any] = {
        "@context": activities.CONTEXT,
        "id": f"{actor_id}/activities/{uuid.uuid4()}",
        "type": kind,
        "actor": actor_id,
        "object": obj,
        "to": to,
        "published": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if cc:
        activity["cc"] = cc
    # FEP-8b32 with the person's own verification method (delivery would otherwise add one naming
    # the instance actor for dualpower recipients).
    return proofs.proof_add(
        activity,
        private_key_pem=keys.node_proof_private_pem(),
        verification_method=ids.proof_key_id(actor_id),
    )


@transaction.atomic
def person_stop(*, person: PersonActor) -> PersonActor:
    """Stop being visible: ``Delete(Tombstone)`` to every follower's server (one per shared inbox:
    it is addressed to everyone), the followers forgotten, nothing personal kept. The key goes
    once the Delete has been delivered (``person_keys_due``), or now if nobody follows."""
    person = PersonActor.objects.select_for_update().get(pk=person.pk)
    if person.stopped_at is not None:
        raise Conflict(_("You are already not visible on the fediverse."))
    actor_id = ids.person_actor_id(person.handle)
    followers = list(PersonFollower.objects.filter(person=person).select_related("actor").order_by("pk"))
    by_inbox: dict[str, RemoteActor] = {}
    for follower in followers:
        by_inbox.setdefault(follower.actor.delivery_inbox, follower.actor)
    for remote in by_inbox.values():
        delete = _signed_activity(
            person,
            "Delete",
            {"id": actor_id, "type": "Tombstone", "formerType": "Person"},
            to=[activities.PUBLIC],
            cc=[f"{actor_id}/followers"],
        )
        delivery.activity_publish(community=None, activity=delete, audience="direct", to_actor=remote)
    PersonFollower.objects.filter(person=person).delete()
    person.membership, person.name, person.summary = None, "", ""
    person.stopped_at = timezone.now()
    person.save(update_fields=["membership", "name", "summary", "stopped_at"])
    if not by_inbox:
        key_name = keys.person_key_name(person.pk)
        pk = person.pk
        transaction.on_commit(lambda: _key_remove(pk, key_name))
    return person


def _key_remove(pk: int, key_name: str) -> None:
    keys.actor_key_delete(key_name)
    PersonActor.objects.filter(pk=pk).update(key_removed_at=timezone.now())


def person_keys_due(now: datetime) -> str:
    """The clock job: remove the key of each person who stopped once no delivery of their Delete
    is still waiting (delivered, or given up on as a dead letter)."""
    removed = 0
    waiting = PersonActor.objects.filter(key_removed_at=None).exclude(stopped_at=None)
    for pk, handle in waiting.values_list("pk", "handle")[:200]:
        prefix = f"{ids.person_actor_id(handle)}/activities/"
        if Delivery.objects.filter(state=Delivery.State.PENDING, activity__uri__startswith=prefix).exists():
            continue
        _key_remove(pk, keys.person_key_name(pk))
        removed += 1
    return f"{removed} keys of people who stopped removed" if removed else ""


# --- hooks (registered in registrations.py) -----------------------------------------------------


def person_erased(*, membership: Membership) -> None:
    """``members.hooks.register_member_erased``: the account was deleted, so its person goes too
    (inside the deletion's transaction: if the Delete cannot be written, nothing is deleted)."""
    person = person_of(membership)
    if person is not None:
        person_stop(person=person)


def community_slug_free(event: CommunityCreated) -> None:
    """``community.hooks.on_community_created``: a new community may not take a person's handle
    (live or gone) as its slug: both answer WebFinger as ``acct:<name>@<host>``."""
    if PersonActor.objects.filter(handle=event.community.slug.lower()).exists():
        raise InvalidInput(
            _("“%(slug)s” is someone's address on this server. Choose another short name.")
            % {"slug": event.community.slug},
            field="slug",
        )


# --- inbox: following a person -------------------------------------------------------------------


def followed_person(incoming: Incoming, uri: str) -> PersonActor | None:
    """The person ``uri`` names if it is one of ours: live, else refused (gone: 410); None if ``uri``
    is not a person's id at all."""
    handle = ids.person_handle_of(uri)
    if handle is None:
        return None
    person = person_find(handle)
    if person is None:
        raise Refused("nobody here answers to this address", status=404)
    if not _live(person):
        raise Refused("gone", status=410)
    if incoming.community is not None:
        raise Refused("posted to a community's inbox")
    return person


def person_follow(incoming: Incoming, person: PersonActor) -> None:
    """Someone follows a person of ours: accepted at once (as a community's follows are), the
    Accept signed as the person and sent to them alone."""
    PersonFollower.objects.update_or_create(
        person=person, actor=incoming.actor, defaults={"follow_id": incoming.activity["id"]}
    )
    inner = {k: v for k, v in incoming.activity.items() if k not in ("@context", "signature", "proof")}
    accept = _signed_activity(person, "Accept", inner, to=[incoming.actor.uri], cc=[])
    delivery.activity_publish(community=None, activity=accept, audience="direct", to_actor=incoming.actor)


def person_unfollow(incoming: Incoming) -> None:
    """They stop following: by the person their Follow named, or by their Follow's id."""
    mine = PersonFollower.objects.filter(actor=incoming.actor)
    inner = incoming.object
    handle = ids.person_handle_of(activities.id_of(inner.get("object"))) if isinstance(inner, dict) else None
    if handle is not None:
        mine.filter(person__handle=handle.lower()).delete()
    else:
        mine.filter(follow_id=incoming.object_id).delete()
