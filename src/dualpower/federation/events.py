"""Public events on the fediverse (FEP-8a8e ``Event``): what a domain app publishes of an event it
holds (a public meeting, meetings/services/fediverse.py), and the "going" answers people elsewhere
send back (handlers_events.py).

    its id         {actor}/events/{uuid}     JSON for servers; a browser is sent to ``url``
    published as   Create(Event), then Update(Event) on each change, Delete(Tombstone) when
                   cancelled or no longer public; to Public, cc the community's followers

The shape is FEP-8a8e's, read alongside Mobilizon's converter (lib/federation/activity_stream/
converter/event.ex) and Gancio's: ``name``, ``content``, ``startTime``/``endTime`` (ISO 8601 with
the offset of ``timezone``, an IANA name, as Mobilizon shifts them), ``location`` a ``Place``,
``url`` the event's page, ``attributedTo`` the community's Group. Nothing is added that the
publishing app did not pass: an event says what its organisers chose to say publicly.

Apps above federation call ``event_publish`` / ``event_withdraw`` inside their own transaction,
so the outbox row exists exactly when their change does; federation never imports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.html import linebreaks

from dualpower.community.models import Community
from dualpower.federation import activities, delivery, ids
from dualpower.federation.models import EventAnswer, PublicEvent

# Mobilizon's terms for what ActivityStreams lacks (Gancio and others read them the same way).
EVENT_CONTEXT: list[Any] = [
    activities.AS_CONTEXT,
    {
        "sc": "http://schema.org#",
        "mz": "https://joinmobilizon.org/ns#",
        "timezone": {"@id": "mz:timezone", "@type": "sc:Text"},
        "PostalAddress": "sc:PostalAddress",
        "address": {"@id": "sc:address", "@type": "sc:PostalAddress"},
    },
]


@dataclass(frozen=True)
class EventFields:
    """What the publishing app says publicly about its event."""

    name: str
    summary: str  # plain text; published as escaped HTML paragraphs
    starts_at: datetime
    ends_at: datetime
    timezone: str  # an IANA name ("Europe/Madrid")
    place: str  # "" when it says none
    url: str  # the event's page, absolute


def event_id(event: PublicEvent) -> str:
    return f"{ids.community_actor_id(event.community)}/events/{event.uuid}"


def _local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).isoformat()


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def event_object(event: PublicEvent, fields: EventFields) -> dict[str, Any]:
    community = event.community
    document: dict[str, Any] = {
        "id": event_id(event),
        "type": "Event",
        "name": fields.name,
        "content": linebreaks(fields.summary, autoescape=True),
        "mediaType": "text/html",
        "startTime": _local(fields.starts_at, fields.timezone),
        "endTime": _local(fields.ends_at, fields.timezone),
        "timezone": fields.timezone,
        "url": fields.url,
        "attributedTo": ids.community_actor_id(community),
        "published": _utc(event.created_at),
        "updated": _utc(timezone.now()),
        **activities.addressing(community=community, audience="public"),
    }
    if fields.place:
        document["location"] = {"type": "Place", "name": fields.place}
    return document


def _live(community: Community, key: str, *, lock: bool = False) -> PublicEvent | None:
    rows = PublicEvent.objects.filter(community=community, key=key, deleted_at=None)
    if lock:
        rows = rows.select_for_update()
    return rows.select_related("community").first()


def _send(kind: str, event: PublicEvent, obj: dict[str, Any]) -> None:
    community = event.community
    activity = activities.activity_build(
        kind=kind,
        community=community,
        object=obj,
        **activities.addressing(community=community, audience="public"),
    )
    activity["@context"] = EVENT_CONTEXT
    delivery.activity_publish(community=community, activity=activity, audience="public")


@transaction.atomic
def event_publish(*, community: Community, key: str, fields: EventFields) -> PublicEvent:
    """Create(Event) the first time ``key`` is published (or after a withdrawal), Update(Event)
    afterwards; in the caller's transaction."""
    event = _live(community, key, lock=True)
    kind = "Update"
    if event is None:
        event = PublicEvent.objects.create(community=community, key=key, data={})
        kind = "Create"
    event.data = {"@context": EVENT_CONTEXT, **event_object(event, fields)}
    event.save(update_fields=["data", "updated_at"])
    obj = {name: value for name, value in event.data.items() if name != "@context"}
    _send(kind, event, obj)
    return event


@transaction.atomic
def event_withdraw(*, community: Community, key: str) -> PublicEvent | None:
    """Delete(Tombstone) of the live event published as ``key``, if there is one."""
    event = _live(community, key, lock=True)
    if event is None:
        return None
    event.deleted_at = timezone.now()
    event.save(update_fields=["deleted_at", "updated_at"])
    _send("Delete", event, tombstone(event))
    return event


def tombstone(event: PublicEvent) -> dict[str, Any]:
    deleted = event.deleted_at or timezone.now()
    return {"id": event_id(event), "type": "Tombstone", "formerType": "Event", "deleted": _utc(deleted)}


# --- reads ---------------------------------------------------------------------------------------


def event_get(*, community: Community, uuid: UUID | str) -> PublicEvent | None:
    return PublicEvent.objects.filter(community=community, uuid=uuid).select_related("community").first()


def event_by_uri(uri: str) -> PublicEvent | None:
    """The live event whose id is ``uri`` (one of ours), or None."""
    prefix = f"{ids.site_url()}/ap/c/"
    if not uri.startswith(prefix) or "/events/" not in uri:
        return None
    slug, _, rest = uri[len(prefix) :].partition("/events/")
    try:
        uuid = UUID(rest)
    except ValueError:
        return None
    return (
        PublicEvent.objects.filter(uuid=uuid, community__slug=slug, deleted_at=None)
        .select_related("community")
        .first()
    )


@dataclass(frozen=True)
class Answers:
    going: int
    maybe: int


def answers_of(*, community: Community, key: str) -> Answers:
    """How many people elsewhere said they are going (or might) to the live event ``key``: one
    query, each actor counted once (their latest answer)."""
    counts = dict(
        EventAnswer.objects.filter(event__community=community, event__key=key, event__deleted_at=None)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return Answers(going=counts.get(EventAnswer.Kind.GOING, 0), maybe=counts.get(EventAnswer.Kind.MAYBE, 0))
