"""Public meetings on the fediverse: a meeting marked public is published as an FEP-8a8e
``Event`` by the community (federation/events.py) when it is scheduled, again when its title,
time or place change, and withdrawn (Delete) when it is cancelled or made private again.

The Event says what the meeting says publicly and nothing else: its title, a sentence naming the
assembly, its start and end (in the node's time zone), its place. Not the call link (a call's
address lets anyone in; it stays on the members' page), nor the agenda or the roles.

Called inside the meeting services' transactions, so the outbox row is written with the change
(a rollback leaves neither).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from dualpower.federation import events, ids
from dualpower.meetings.models import Meeting

# Changes the fediverse hears about (the call link and the roles are not published).
PUBLISHED_FIELDS = frozenset({"title", "starts_at", "ends_at", "place", "is_public"})


def event_key(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}"


def _fields(meeting: Meeting) -> events.EventFields:
    community = meeting.assembly.community
    # The node's language: followers read one text whoever pressed the button.
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("A public meeting of %(assembly)s, %(community)s.") % {
            "assembly": meeting.assembly.name_shown,
            "community": community.name,
        }
    return events.EventFields(
        name=meeting.title,
        summary=summary,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        timezone=str(settings.TIME_ZONE),
        place=meeting.place,
        url=f"{ids.site_url()}{meeting.get_absolute_url()}",
    )


def meeting_event_sync(*, meeting: Meeting) -> None:
    """Publish (Create, or Update) the meeting's Event if it is public and not cancelled; else
    withdraw the one published, if any. In the caller's transaction."""
    community = meeting.assembly.community
    if meeting.is_public and meeting.status != Meeting.Status.CANCELLED:
        events.event_publish(community=community, key=event_key(meeting), fields=_fields(meeting))
    else:
        events.event_withdraw(community=community, key=event_key(meeting))


def fediverse_answers(*, meeting: Meeting) -> events.Answers | None:
    """How many people on the fediverse said they are going to the public meeting (None: private)."""
    if not meeting.is_public:
        return None
    return events.answers_of(community=meeting.assembly.community, key=event_key(meeting))
