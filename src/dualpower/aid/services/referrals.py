"""Aid referrals between peer communities on different nodes: a request a community cannot meet,
offered to a peer; the peer's dispatchers accept or decline; the details travel after acceptance
only, sealed for the accepting community (referral_crypto.py).

The protocol, between our Group actor A (referring) and the peer's B (docs: federation.md, "Aid
referrals", has the exact shapes):

1. A's dispatcher refers: ``Offer{object: Referral}`` direct to B, carrying only the category (a
   portable key and its label), a coarse region, the urgency, the languages and an expiry. The
   request stays open on A, "referred to B (waiting)". Only an ACTIVE peer may be offered one, and
   only an active peer's Offer is taken (nothing is stored otherwise).
2. B's dispatchers see it waiting and answer: ``Accept{object: A's Offer}`` or ``Reject{...}``.
3. On A's side an Accept closes the request as referred, tells the requester where it went, and
   sends ``Update{object: Referral with dp:sealedDetails}`` direct to B: the description, quantity,
   contact channel and language and the private details, encrypted for B's Group key. On B's side
   they are opened once, sealed again with B's own aid key (aid/crypto.py) into a new local
   request for B's dispatchers, "referred from A"; the box itself is not kept.
4. A's outbox keeps the activity as sent minus the box: the clock job blanks ``dp:sealedDetails``
   once its delivery is over (``referrals_tick``), and the retention job at the latest.

An Offer past its expiry is EXPIRED on both sides by the clock (no answer is taken after it).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import dualpower.aid.services._clean as validation
from dualpower.aid import crypto, referral_crypto
from dualpower.aid.models import AidReferral, AidRequest, Urgency
from dualpower.aid.notify import community_dispatchers
from dualpower.aid.selectors import BUILTIN_CATEGORIES, category_names
from dualpower.aid.services.requests import _close, _new_code
from dualpower.clean import clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.federation import activities, delivery, ids, keys, rules, selectors, services
from dualpower.federation.handlers import Incoming, Refused, same_origin
from dualpower.federation.models import RemoteActor
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text

REFERRAL = "Referral"
NS = "https://dualpower.org/ns#"
CONTEXT: list[Any] = [*activities.CONTEXT, {REFERRAL: NS + REFERRAL, "dp": NS}]
SEALED = "dp:sealedDetails"
URGENCY_KEYS = {0: "low", 1: "normal", 2: "high", 3: "critical"}
MAX_DAYS = 90  # a referral waits at most this long for an answer
DEFAULT_DAYS = 7
R = AidReferral.State
LIVE = (R.OFFERED, R.ACCEPTED)


def peer_name(actor: RemoteActor) -> str:
    return actor.name or actor.handle or actor.host


def peers_to_refer_to(*, community: Community) -> list[RemoteActor]:
    """The community's active peers (only they may be offered a referral), by name."""
    return [p.actor for p in selectors.peers_active(community=community).select_related("actor")]


def _expiry(value: object, *, now: datetime) -> datetime:
    """The end of the chosen day (a date, or its ISO text), between tomorrow and MAX_DAYS away."""
    if value in (None, ""):
        return now + timedelta(days=DEFAULT_DAYS)
    if isinstance(value, datetime):
        moment = value
    else:
        from dualpower.clean import clean_date

        day = clean_date(value, field="expires", label=_("Refer until"))
        moment = timezone.make_aware(datetime.combine(day, datetime.max.time().replace(microsecond=0)))
    if moment <= now or moment > now + timedelta(days=MAX_DAYS):
        raise InvalidInput(
            _("Choose a day from tomorrow to %(n)d days from now.") % {"n": MAX_DAYS}, field="expires"
        )
    return moment


def _category_label(community: Community, key: str) -> str:
    """The label sent with the key: the built-in name untranslated (the peer translates it), or
    the community's own category's name."""
    builtin = dict(BUILTIN_CATEGORIES)
    return builtin[key] if key in builtin else category_names(community).get(key, key)


def referral_object(
    *, request: AidRequest, actor: RemoteActor, region: str, expires_at: datetime, uri: str = ""
) -> dict[str, Any]:
    """The Referral exactly as the Offer carries it: what the refer page shows before sending."""
    ours = ids.community_actor_id(request.community)
    return {
        "type": REFERRAL,
        "id": uri or f"{ours}/referrals/{uuid.uuid4()}",
        "actor": ours,
        "target": actor.uri,
        "dp:category": {
            "key": request.category,
            "name": _category_label(request.community, request.category),
        },
        "dp:region": region,
        "dp:urgency": URGENCY_KEYS[request.urgency],
        "dp:languages": list(request.languages),
        "endTime": expires_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def referral_draft(
    *, request: AidRequest, actor: RemoteActor, region: object = "", expires: object = None
) -> dict[str, Any]:
    """What would be sent, checked (the preview on the refer page and the service share it)."""
    now = timezone.now()
    if request.is_closed:
        raise Conflict(_("This request is closed: it cannot be referred."))
    if not rules.is_peer_actor(actor.uri, request.community):
        raise InvalidInput(_("Only an active peer community can be offered a referral."), field="peer")
    chosen = validation.neighbourhood(region or request.neighbourhood)
    return referral_object(request=request, actor=actor, region=chosen, expires_at=_expiry(expires, now=now))


@transaction.atomic
def referral_offer(
    *, request: AidRequest, actor: RemoteActor, by: Membership, region: object = "", expires: object = None
) -> AidReferral:
    """Offer ``request`` to the peer community ``actor``: only its shareable facts go."""
    locked = AidRequest.objects.select_for_update().get(pk=request.pk)
    if AidReferral.objects.filter(
        request=locked, direction=AidReferral.Direction.OUT, state__in=LIVE
    ).exists():
        raise Conflict(_("This request is already referred to a peer; wait for their answer."))
    obj = referral_draft(request=locked, actor=actor, region=region, expires=expires)
    community = locked.community
    offer = activities.activity_build(
        kind="Offer", community=community, object=obj, to=[actor.uri], target=actor.uri
    )
    offer["@context"] = CONTEXT
    referral = AidReferral.objects.create(
        community=community,
        direction=AidReferral.Direction.OUT,
        request=locked,
        actor=actor,
        uri=obj["id"],
        offer_id=offer["id"],
        category=locked.category,
        category_label=obj["dp:category"]["name"],
        region=obj["dp:region"],
        urgency=locked.urgency,
        languages=obj["dp:languages"],
        expires_at=_parsed_time(obj["endTime"]),
        by=by,
    )
    delivery.activity_publish(community=community, activity=offer, audience="direct", to_actor=actor)
    audit_record(
        community=community,
        actor=by,
        action="aid.referral.offer",
        target=locked,
        summary=locked.code,
        data={"peer": actor.uri, "name": peer_name(actor)},
    )
    return referral


def _parsed_time(value: Any) -> datetime:
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None or timezone.is_naive(moment):
        raise ValueError("not a moment with its time zone")
    return moment


# --- the receiving side: an Offer arrives, our dispatchers answer ------------------------------


def _for_community(incoming: Incoming, obj: Mapping[str, Any]) -> Community:
    if incoming.community is not None:
        return incoming.community
    for uri in (
        obj.get("target"),
        incoming.activity.get("target"),
        *activities.as_list(incoming.activity.get("to")),
    ):
        found = ids.community_for_actor_id(activities.id_of(uri))
        if found is not None:
            return found
    raise Refused("not addressed to one of our communities", status=404)


def _offered(value: Any, limit: int) -> str:
    """A text field of an incoming referral, read as dualpower.clean reads what people type."""
    try:
        return clean_text(value, field="referral", label="referral", limit=limit, required=True)
    except InvalidInput:
        raise Refused("a referral's field is missing, too long or not text") from None


def referral_received(incoming: Incoming) -> AidReferral | None:
    """Their dispatcher referred a request to one of our communities (the inbox's transaction)."""
    obj = incoming.object
    if not isinstance(obj, Mapping):
        raise Refused("a referral is sent inline")
    if (
        incoming.actor.kind != RemoteActor.Kind.GROUP
        or activities.id_of(obj.get("actor")) != incoming.actor.uri
    ):
        raise Refused("a referral made in someone else's name", status=403)
    uri = activities.id_of(obj)
    if not same_origin(uri, incoming.actor):
        raise Refused("a referral of another origin", status=403)
    community = _for_community(incoming, obj)
    if not rules.is_peer_actor(incoming.actor.uri, community):
        raise Refused("only an active peer may refer a request", status=403)
    category = obj.get("dp:category")
    category = category if isinstance(category, Mapping) else {}
    key = _offered(category.get("key"), 40)
    urgency = {v: k for k, v in URGENCY_KEYS.items()}.get(str(obj.get("dp:urgency")))
    if urgency is None:
        raise Refused("unknown urgency")
    languages = obj.get("dp:languages", [])
    if not isinstance(languages, list) or len(languages) > validation.MAX_LIST_ITEMS:
        raise Refused("languages are a short list")
    expires_at = _parsed_time(obj.get("endTime"))
    now = timezone.now()
    if expires_at <= now or expires_at > now + timedelta(days=MAX_DAYS + 1):
        raise Refused("the referral's expiry is past or too far")
    referral, made = AidReferral.objects.get_or_create(
        community=community,
        offer_id=str(incoming.activity["id"]),
        defaults={
            "direction": AidReferral.Direction.IN,
            "actor": incoming.actor,
            "uri": uri,
            "category": key,
            "category_label": _offered(category.get("name") or key, 80),
            "region": _offered(obj.get("dp:region"), 80),
            "urgency": urgency,
            "languages": [_offered(item, validation.MAX_ITEM) for item in languages],
            "expires_at": expires_at,
        },
    )
    if made:
        audit_record(
            community=community,
            actor=None,
            action="aid.referral.received",
            summary=peer_name(incoming.actor),
            data={"peer": incoming.actor.uri, "offer": referral.offer_id},
        )
        community_dispatchers(
            community,
            notice_text(gettext_lazy("%(peer)s referred a request to you"), peer=peer_name(incoming.actor)),
            url=_referrals_url(community),
            kind="aid.referral",
        )
    return referral


def _referrals_url(community: Community) -> str:
    return reverse("aid:referrals", args=[community.slug])


def _offer_as_sent(referral: AidReferral) -> dict[str, Any]:
    """Their Offer as they sent it (we keep only its parts), embedded in our answer."""
    ours = ids.community_actor_id(referral.community)
    return {
        "id": referral.offer_id,
        "type": "Offer",
        "actor": referral.actor.uri,
        "to": [ours],
        "object": {"type": REFERRAL, "id": referral.uri, "actor": referral.actor.uri, "target": ours},
    }


@transaction.atomic
def referral_answer(*, referral: AidReferral, accept: bool, by: Membership) -> AidReferral:
    """Our dispatcher accepts or declines a referral waiting for us."""
    locked = AidReferral.objects.select_for_update().select_related("actor", "community").get(pk=referral.pk)
    if locked.direction != AidReferral.Direction.IN or locked.state != R.OFFERED:
        raise Conflict(_("This referral was already answered (%(s)s).") % {"s": locked.get_state_display()})
    now = timezone.now()
    if locked.expires_at <= now:
        raise Conflict(_("This referral expired before it was answered."))
    if not rules.is_peer_actor(locked.actor.uri, locked.community):
        raise Conflict(_("%(peer)s is not a peer any more.") % {"peer": peer_name(locked.actor)})
    answer = activities.activity_build(
        kind="Accept" if accept else "Reject",
        community=locked.community,
        object=_offer_as_sent(locked),
        to=[locked.actor.uri],
    )
    answer["@context"] = CONTEXT
    locked.state = R.ACCEPTED if accept else R.DECLINED
    locked.answer_id, locked.answered_at, locked.answered_by = answer["id"], now, by
    locked.save()
    delivery.activity_publish(
        community=locked.community, activity=answer, audience="direct", to_actor=locked.actor
    )
    audit_record(
        community=locked.community,
        actor=by,
        action="aid.referral.accept" if accept else "aid.referral.decline",
        summary=peer_name(locked.actor),
        data={"peer": locked.actor.uri, "offer": locked.offer_id},
    )
    return locked


# --- the referring side: their answer arrives --------------------------------------------------


def _ours_answered(incoming: Incoming) -> AidReferral | None:
    found = (
        # Only the referral's row is locked: its request may be gone (SET_NULL), and PostgreSQL
        # refuses FOR UPDATE on the nullable side of the outer join select_related makes.
        AidReferral.objects.select_for_update(of=("self",))
        .select_related("request", "community", "actor")
        .filter(direction=AidReferral.Direction.OUT, offer_id=incoming.object_id)
        .first()
    )
    if found is not None and found.actor_id != incoming.actor.pk:
        raise Refused("an answer to an offer made to someone else", status=403)
    return found


def referral_accepted(incoming: Incoming) -> None:
    """The peer accepted: the request is theirs now; the details go to them, sealed for them."""
    referral = _ours_answered(incoming)
    if referral is None or referral.state != R.OFFERED:
        return  # already answered, withdrawn or expired: nothing is sent
    community, actor = referral.community, referral.actor
    now = timezone.now()
    if referral.expires_at <= now or not rules.is_peer_actor(actor.uri, community):
        raise Refused("the referral expired, or the sender is no longer a peer", status=403)
    request = referral.request
    if request is None or request.is_closed:
        raise Refused("the request was closed meanwhile", status=409)
    referral.state, referral.answer_id, referral.answered_at = R.ACCEPTED, str(incoming.activity["id"]), now
    closed = _close(request, status=AidRequest.Status.REFERRED, by=None, referred_to=peer_name(actor)[:120])
    sealed = _details_activity(referral, closed, actor)
    referral.details_id = sealed["id"]
    referral.save()
    delivery.activity_publish(community=community, activity=sealed, audience="direct", to_actor=actor)
    audit_record(
        community=community,
        actor=None,
        action="aid.referral.accepted",
        target=closed,
        summary=closed.code,
        data={"peer": actor.uri, "name": peer_name(actor)},
    )
    _tell_requester(closed, actor)
    community_dispatchers(
        community,
        notice_text(
            gettext_lazy("%(peer)s accepted request %(code)s; its details were sent to them"),
            peer=peer_name(actor),
            code=closed.code,
        ),
        url=reverse("aid:request_dispatch", args=[community.slug, closed.code]),
        kind="aid.referral",
    )


def _details_activity(referral: AidReferral, request: AidRequest, actor: RemoteActor) -> dict[str, Any]:
    """What the accepting community's dispatchers need, sealed for its Group key."""
    details = crypto.unseal(request.sealed)
    details.pop("unreadable", None)
    if request.requester_id is not None and "name" not in details:
        details["name"] = request.requester.display_name  # type: ignore[union-attr]
    payload = {
        "description": request.description,
        "quantity": request.quantity,
        "unit": request.unit,
        "contact_channel": request.contact_channel,
        "contact_language": request.contact_language,
        "details": details,
    }
    if not actor.public_key_pem:
        raise Refused("the peer has no public key to seal the details for", status=409)
    box = referral_crypto.box_seal(
        payload, public_key_pem=actor.public_key_pem, key_id=actor.key_id, context=referral.uri
    )
    obj = {
        "type": REFERRAL,
        "id": referral.uri,
        "actor": ids.community_actor_id(referral.community),
        SEALED: box,
    }
    update = activities.activity_build(
        kind="Update", community=referral.community, object=obj, to=[actor.uri]
    )
    update["@context"] = CONTEXT
    return update


def _tell_requester(request: AidRequest, actor: RemoteActor) -> None:
    """A member who asked is told in their own language (the notification is worded when read);
    someone without an account hears it from a dispatcher (the request's dispatch page)."""
    if request.requester_id is None:
        return
    notification_send(
        recipients=[request.requester],  # type: ignore[list-item]
        community=request.community,
        kind="aid.referral",
        title=notice_text(PASSED_TO, peer=peer_name(actor)),
        url=reverse("aid:request_detail", args=[request.community.slug, request.code]),
    )


PASSED_TO = gettext_lazy("Your request was passed to %(peer)s, who can help; they may contact you.")


def referral_declined(incoming: Incoming) -> None:
    """The peer declined: the request stays ours and open; our dispatchers are told."""
    referral = _ours_answered(incoming)
    if referral is None or referral.state != R.OFFERED:
        return
    referral.state, referral.answer_id, referral.answered_at = (
        R.DECLINED,
        str(incoming.activity["id"]),
        timezone.now(),
    )
    referral.save()
    request = referral.request
    audit_record(
        community=referral.community,
        actor=None,
        action="aid.referral.declined",
        target=request,
        summary=request.code if request else "",
        data={"peer": referral.actor.uri, "name": peer_name(referral.actor)},
    )
    if request is not None:
        community_dispatchers(
            referral.community,
            notice_text(
                gettext_lazy("%(peer)s declined request %(code)s"),
                peer=peer_name(referral.actor),
                code=request.code,
            ),
            url=reverse("aid:request_dispatch", args=[referral.community.slug, request.code]),
            kind="aid.referral",
        )


# --- the receiving side: the details arrive ----------------------------------------------------


def details_received(incoming: Incoming) -> None:
    """The sealed details of a referral we accepted: opened with our Group's key, sealed again with
    our aid key into a new local request; the box is not kept."""
    obj = incoming.object
    if not isinstance(obj, Mapping):
        raise Refused("details are sent inline")
    uri = activities.id_of(obj)
    referral = (
        AidReferral.objects.select_for_update()
        .select_related("community", "actor")
        .filter(direction=AidReferral.Direction.IN, uri=uri, actor=incoming.actor)
        .first()
    )
    if referral is None:
        raise Refused("details of a referral not made to us", status=404)
    if referral.state != R.ACCEPTED:
        raise Refused("details of a referral we did not accept", status=409)
    community = referral.community
    private = keys.actor_private_pem(ids.actor_key_name(community))
    try:
        payload = referral_crypto.box_open(obj.get(SEALED), private_key_pem=private, context=referral.uri)
    except referral_crypto.BoxRefused as refused:
        raise Refused(str(refused)) from None
    request = _local_request(referral, payload)
    referral.request, referral.state, referral.completed_at = request, R.COMPLETED, timezone.now()
    referral.details_id = str(incoming.activity["id"])
    referral.save()
    audit_record(
        community=community,
        actor=None,
        action="aid.referral.details",
        target=request,
        summary=request.code,
        data={"peer": referral.actor.uri, "name": peer_name(referral.actor)},
    )
    community_dispatchers(
        community,
        notice_text(
            gettext_lazy("Request %(code)s, referred by %(peer)s, is ready for dispatch"),
            code=request.code,
            peer=peer_name(referral.actor),
        ),
        url=reverse("aid:request_dispatch", args=[community.slug, request.code]),
        kind="aid.referral",
    )


def _local_request(referral: AidReferral, payload: Mapping[str, Any]) -> AidRequest:
    """The referred request as one of ours: the listing from the referral, the rest sealed."""
    community = referral.community
    known = dict(category_names(community))
    channel = str(payload.get("contact_channel") or "")
    details = payload.get("details")
    try:
        clean_details = crypto.clean_details(details if isinstance(details, dict) else {})
        description = clean_text(
            payload.get("description"), field="description", label="description", limit=2000, required=True
        )
        unit = clean_text(payload.get("unit"), field="unit", label="unit", limit=40)
        language = clean_text(payload.get("contact_language"), field="language", label="language", limit=40)
        quantity = validation.quantity(payload.get("quantity"))
    except InvalidInput as error:
        raise Refused(f"malformed details: {error.detail}") from None
    return AidRequest.objects.create(
        community=community,
        code=_new_code(community),
        category=referral.category if referral.category in known else "other",
        description=description,
        urgency=referral.urgency if referral.urgency in Urgency.values else Urgency.NORMAL,
        quantity=quantity,
        unit=unit,
        languages=list(referral.languages),
        neighbourhood=referral.region,
        privacy="dispatchers",  # someone else's person: dispatchers decide who sees it here
        contact_channel=channel if channel in AidRequest.Channel.values else AidRequest.Channel.PHONE,
        contact_language=language,
        sealed=crypto.seal(clean_details),
    )


# --- the clock: expiry, and the outbox's copy of the details ----------------------------------


def referrals_tick(now: datetime) -> str:
    """Offers past their expiry are EXPIRED (on both sides: each node's clock does its own); the
    details box in our outbox is blanked as soon as its delivery is over, and the referral is then
    COMPLETED on our side."""
    expired = AidReferral.objects.filter(state=R.OFFERED, expires_at__lte=now).update(state=R.EXPIRED)
    cleared = 0
    waiting = AidReferral.objects.filter(
        direction=AidReferral.Direction.OUT, outbox_cleared_at=None, state=R.ACCEPTED
    ).exclude(details_id="")
    for referral in waiting:
        if services.outbound_property_clear(uri=referral.details_id, prop=SEALED):
            AidReferral.objects.filter(pk=referral.pk).update(
                outbox_cleared_at=now, completed_at=now, state=R.COMPLETED
            )
            cleared += 1
    parts = []
    if expired:
        parts.append(f"{expired} referrals expired")
    if cleared:
        parts.append(f"{cleared} sent details cleared from the outbox")
    return "; ".join(parts)


def referral_outbox_erase(*, now: datetime) -> int:
    """The retention job's part: the outbox copy of details sent for requests whose details were
    erased here is blanked now, delivered or not."""
    left = AidReferral.objects.filter(
        direction=AidReferral.Direction.OUT, outbox_cleared_at=None, request__sealed=""
    ).exclude(details_id="")
    count = 0
    for referral in left:
        services.outbound_property_clear(uri=referral.details_id, prop=SEALED, force=True)
        AidReferral.objects.filter(pk=referral.pk).update(outbox_cleared_at=now)
        count += 1
    return count
