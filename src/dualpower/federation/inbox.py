"""Taking an activity POSTed to an inbox: verify → idempotency → dispatch.

Order matters, and every refusal leaves nothing stored:

1. size (413) and the signature's keyId only (401 unsigned): nothing else of the body is read yet;
2. the key's host not blocked (403), then its owner fetched from its origin (``remote.actor_for_key``);
3. the HTTP signature verified against our host and the request's path (401); on failure the key is
   fetched again once (the actor may have rotated it) before refusing;
4. the body parsed: a JSON object with id, type, actor; the actor must be the key's owner
   (Mastodon's CVE-2024-23832: a valid signature by one actor for another's activity) and the
   activity id of the same origin;
5. an id taken before is acknowledged (202) with no second effect;
6. the handler's ``prepare`` (network: objects re-fetched from their origin) outside any
   transaction, then ``apply`` and the InboxEntry in one transaction: a refusal rolls back both.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from dualpower.community.models import Community
from dualpower.errors import DomainError
from dualpower.federation import activities, fetch, handlers, ids, remote, sending, signatures
from dualpower.federation.models import InboxEntry, RemoteActor

log = logging.getLogger("dualpower.federation.inbox")

MAX_BODY = 256 * 1024


@dataclass(frozen=True)
class Received:
    status: int
    reason: str


def _refused(status: int, reason: str) -> Received:
    log.info("inbox refused (%s): %s", status, reason)
    return Received(status, reason)


def signer_verified(
    *, method: str, path: str, headers: dict[str, str], body: bytes
) -> RemoteActor | Received:
    """The remote actor whose key signed this request (to our host and ``path``), or the refusal.
    Also used for signed GETs of objects shared with peers only (views/objects.py)."""
    try:
        key_id = signatures.claimed_key_id(headers=headers)
    except signatures.SignatureRefused as refused:
        return _refused(401, refused.reason)
    try:
        key_host = fetch.host_of(key_id)
    except DomainError:
        return _refused(401, "malformed key id")
    if fetch.host_is_blocked(key_host):
        return _refused(403, "blocked host")
    for refresh in (False, True):
        try:
            actor = remote.actor_for_key(key_id, refresh=refresh)
        except DomainError as error:
            return _refused(401, f"key not found: {error.detail}")
        try:
            signatures.verify(
                method=method,
                path=path,
                host=ids.host(),
                headers=headers,
                body=body,
                public_key_pem=actor.public_key_pem,
            )
            return actor
        except signatures.SignatureRefused as refused:
            # Only a signature that does not match the key may be a rotated key: a stale date or
            # a wrong digest stays wrong whatever key we fetch.
            if refused.reason != "bad_signature" or refresh or _fetched_recently(actor):
                return _refused(401, refused.reason)
    return _refused(401, "bad_signature")  # pragma: no cover - the loop returns


# A key fetched this recently is not fetched again on a bad signature: otherwise every forged
# POST naming an actor would make this node send that actor's server a request.
KEY_REFRESH_AFTER = timedelta(minutes=1)


def _fetched_recently(actor: RemoteActor) -> bool:
    return timezone.now() - actor.fetched_at < KEY_REFRESH_AFTER


def _parsed(body: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    if not all(isinstance(data.get(field), str) and data[field] for field in ("id", "type")):
        return None
    return data if activities.id_of(data.get("actor")) else None


def _proof_checked(activity: dict[str, Any], actor: RemoteActor) -> bool:
    """A FEP-8b32 proof, when present and its key known (dualpower nodes), must verify."""
    if "proof" not in activity or not actor.proof_key_multibase:
        return True
    from dualpower.federation import proofs

    try:
        proofs.proof_verify(activity, public_key_multibase=actor.proof_key_multibase)
    except proofs.ProofRefused:
        return False
    return True


def inbox_receive(
    *, method: str, path: str, headers: dict[str, str], body: bytes, community: Community | None = None
) -> Received:
    """Take one POSTed activity (``headers`` with lower-case names); the status to answer with."""
    if len(body) > MAX_BODY:
        return _refused(413, "too large")
    verified = signer_verified(method=method, path=path, headers=headers, body=body)
    if isinstance(verified, Received):
        return verified
    actor = verified
    activity = _parsed(body)
    if activity is None:
        return _refused(400, "not an activity")
    if activities.id_of(activity["actor"]) != actor.uri:
        return _refused(401, "signer is not the actor")
    try:
        same_origin = ids.origin_of(activity["id"]) == ids.origin_of(actor.uri)
    except ValueError:
        same_origin = False
    if not same_origin:
        return _refused(400, "activity id of another origin")
    if fetch.host_is_blocked(actor.host):
        return _refused(403, "blocked host")
    if not _proof_checked(activity, actor):
        return _refused(401, "bad proof")
    sending.host_heard_from(host=actor.host)
    if InboxEntry.objects.filter(activity_id=activity["id"]).exists():
        return Received(202, "seen before")
    incoming = handlers.Incoming(activity=activity, actor=actor, community=community)
    chosen = handlers.handler_for(incoming)
    if chosen is None:
        return Received(202, "ignored")
    try:
        if chosen.prepare is not None:
            chosen.prepare(incoming)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    InboxEntry.objects.create(
                        activity_id=activity["id"], kind=chosen.kind, actor_uri=actor.uri
                    )
            except IntegrityError:  # the same activity arriving twice at once: one takes effect
                return Received(202, "seen before")
            chosen.apply(incoming)
    except handlers.Refused as refused:
        return _refused(refused.status, refused.reason)
    except DomainError as error:  # a fetch of an object failed: the sender may try again later
        return _refused(error.status if error.status < 500 else 502, error.detail)
    except (ValueError, TypeError, KeyError, AttributeError):
        # A shape no handler expected (a date that is no date, a list for a string): the sender's
        # mistake, answered 400 like any other malformed activity, never a 500.
        log.warning("inbox: malformed %s from %s", activity.get("type"), actor.uri, exc_info=True)
        return _refused(400, "malformed")
    return Received(202, "accepted")
