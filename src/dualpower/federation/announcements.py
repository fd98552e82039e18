"""A community's public announcements: short texts its coordinators publish to the fediverse as
``Note`` objects, and the replies people elsewhere send to them.

    its id (JSON for servers, a small page for people)   {actor}/notes/{uuid}
    published as      Create(Note), to Public, cc the community's followers
    deleted as        Delete(Tombstone), addressed the same way; the id answers 410 afterwards

The announcement is written as plain text and published as HTML made from it (escaped, paragraphs
and line breaks only). A reply is a ``RemoteObject`` (F4's handlers keep a Create(Note) whose
``inReplyTo`` is one of our ids) and is shown as plain text: every tag stripped, never marked safe.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.html import linebreaks, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.clean import clean_text
from dualpower.community.audit import say_all
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, NotFound
from dualpower.federation import activities, delivery, ids
from dualpower.federation.models import ANNOUNCEMENT_MAX, Announcement, RemoteActor, RemoteObject
from dualpower.members.models import Membership

LISTED = 30  # announcements on the community's page
REPLIES_SHOWN = 100  # replies under one announcement (the newest)
REPLY_MAX = 5000  # characters of a reply's text shown

say_all(
    {
        "federation.announce": gettext_lazy("%(actor)s published a public announcement: %(summary)s"),
        "federation.announcement_delete": gettext_lazy(
            "%(actor)s deleted a public announcement: %(summary)s"
        ),
    }
)


# --- the Note ------------------------------------------------------------------------------------


def note_id(announcement: Announcement) -> str:
    return f"{ids.community_actor_id(announcement.community)}/notes/{announcement.uuid}"


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def note_object(announcement: Announcement) -> dict[str, Any]:
    """The announcement as an ActivityStreams ``Note`` (what Mastodon, Misskey, Lemmy show)."""
    community = announcement.community
    address = activities.addressing(community=community, audience="public")
    return {
        "id": note_id(announcement),
        "type": "Note",
        "attributedTo": ids.community_actor_id(community),
        "content": linebreaks(announcement.content, autoescape=True),
        "mediaType": "text/html",
        "source": {"content": announcement.content, "mediaType": "text/plain"},
        "published": _when(announcement.created_at),
        "url": note_id(announcement),  # the same address serves people a page (content negotiation)
        **address,
    }


def tombstone(announcement: Announcement) -> dict[str, Any]:
    deleted = announcement.deleted_at or timezone.now()
    return {"id": note_id(announcement), "type": "Tombstone", "formerType": "Note", "deleted": _when(deleted)}


# --- writes --------------------------------------------------------------------------------------


@transaction.atomic
def announcement_publish(*, community: Community, by: Membership | None, content: str) -> Announcement:
    """Publish ``content`` as the community: kept, and sent to every follower as Create(Note) in
    the same transaction (an announcement exists exactly when its activity does)."""
    content = clean_text(
        content, field="content", label=_("The announcement"), limit=ANNOUNCEMENT_MAX, required=True
    )
    announcement = Announcement.objects.create(community=community, author=by, content=content)
    note = note_object(announcement)
    activity = activities.activity_build(
        kind="Create", community=community, object=note, to=note["to"], cc=note["cc"]
    )
    delivery.activity_publish(community=community, activity=activity, audience="public")
    audit_record(
        community=community,
        actor=by,
        action="federation.announce",
        target=announcement,
        summary=content[:120],
    )
    return announcement


@transaction.atomic
def announcement_delete(*, announcement: Announcement, by: Membership | None) -> Announcement:
    """Delete it here and ask every follower's server to delete its copy (Delete(Tombstone))."""
    announcement = (
        Announcement.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=announcement.pk)
    )
    if announcement.deleted_at is not None:
        raise Conflict(_("This announcement was deleted already."))
    announcement.deleted_at = timezone.now()
    announcement.save(update_fields=["deleted_at"])
    community = announcement.community
    address = activities.addressing(community=community, audience="public")
    activity = activities.activity_build(
        kind="Delete", community=community, object=tombstone(announcement), **address
    )
    delivery.activity_publish(community=community, activity=activity, audience="public")
    audit_record(
        community=community,
        actor=by,
        action="federation.announcement_delete",
        target=announcement,
        summary=announcement.content[:120],
    )
    return announcement


# --- reads ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    announcement: Announcement
    replies: int


def announcements_of(*, community: Community, limit: int = LISTED) -> list[Listed]:
    """The newest announcements not deleted, each with its count of replies (two queries)."""
    rows = list(
        Announcement.objects.filter(community=community, deleted_at=None)
        .select_related("community", "author")
        .order_by("-created_at", "-pk")[:limit]
    )
    uris = {note_id(row): row for row in rows}
    counts = dict(
        RemoteObject.objects.filter(in_reply_to__in=list(uris), deleted_at=None)
        .values_list("in_reply_to")
        .annotate(n=Count("pk"))
        .values_list("in_reply_to", "n")
    )
    return [Listed(row, counts.get(uri, 0)) for uri, row in uris.items()]


def announcement_get(*, community: Community, uuid: UUID | str, deleted: bool = False) -> Announcement:
    """One announcement of ``community`` (``deleted``: tombstones too), or NotFound."""
    found = Announcement.objects.filter(community=community, uuid=uuid).select_related("community").first()
    if found is None or (found.deleted_at is not None and not deleted):
        raise NotFound(_("There is no such announcement."))
    return found


@dataclass(frozen=True)
class Reply:
    uri: str
    actor: RemoteActor
    text: str  # plain text: tags stripped, entities decoded; escaped again when shown
    published: datetime | None
    url: str  # its page on its own server, if it says one (http or https only)


_BREAKS = re.compile(r"(?i)<br\s*/?>|</p\s*>")


def plain_text(content: Any) -> str:
    """The text of a reply's HTML: line breaks kept, every tag gone, entities decoded (the
    template escapes what is left, so ``&lt;script&gt;`` is shown as text, never run)."""
    if not isinstance(content, str):
        return ""
    text = strip_tags(_BREAKS.sub("\n", content[: REPLY_MAX * 4]))
    text = html.unescape(text)
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()[:REPLY_MAX]


def _content(data: dict[str, Any]) -> Any:
    if data.get("content"):
        return data["content"]
    mapped = data.get("contentMap")
    if isinstance(mapped, dict) and mapped:
        return next(iter(mapped.values()))
    return ""


def _url(data: dict[str, Any]) -> str:
    url = activities.id_of(data.get("url")) or str(data.get("id", ""))
    return url if url.startswith(("https://", "http://")) else ""


def replies_to(*, announcement: Announcement, limit: int = REPLIES_SHOWN) -> list[Reply]:
    """Replies from the fediverse, oldest first (the newest ``limit``), in one query."""
    rows = list(
        RemoteObject.objects.filter(in_reply_to=note_id(announcement), deleted_at=None)
        .select_related("actor")
        .order_by("-published", "-pk")[:limit]
    )
    rows.reverse()
    return [
        Reply(
            uri=row.uri,
            actor=row.actor,
            text=plain_text(_content(row.data)),
            published=row.published or row.received_at,
            url=_url(row.data),
        )
        for row in rows
    ]
