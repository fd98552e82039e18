"""Calendar feeds: the secret addresses a calendar subscribes to."""

from __future__ import annotations

from django.db import transaction

from dualpower.assemblies.models import Assembly
from dualpower.community.services import audit_record
from dualpower.meetings.models import FeedToken, new_feed_token
from dualpower.members.models import Membership


@transaction.atomic
def feed_token_for_assembly(*, assembly: Assembly) -> FeedToken:
    token, _created = FeedToken.objects.get_or_create(kind=FeedToken.Kind.ASSEMBLY, assembly=assembly)
    return token


@transaction.atomic
def feed_token_for_member(*, membership: Membership) -> FeedToken:
    token, _created = FeedToken.objects.get_or_create(kind=FeedToken.Kind.MEMBER, membership=membership)
    return token


@transaction.atomic
def feed_token_rotate(*, token: FeedToken, by: Membership | None) -> FeedToken:
    """A new secret: calendars subscribed with the old address stop receiving meetings."""
    token = FeedToken.objects.select_for_update().get(pk=token.pk)
    token.token = new_feed_token()
    token.save(update_fields=["token", "rotated_at"])
    community = token.community
    audit_record(
        community=community, actor=by, action="meeting.feed_rotate", target=token, summary=token.kind
    )
    return token
