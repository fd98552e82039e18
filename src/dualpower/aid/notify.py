"""Notifications on match steps. Titles and bodies carry no private detail (they are emailed):
only the request code and a link to the page, where permissions decide what is shown."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from dualpower.aid.models import AidMatch, AidRequest, DispatcherRole
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send


def _url(request: AidRequest) -> str:
    return reverse("aid:request_detail", args=[request.community.slug, request.code])


def volunteer(match: AidMatch, title: str) -> None:
    request = match.request
    notification_send(
        recipients=[match.volunteer],
        community=request.community,
        kind="aid.match",
        title=f"{title} ({request.code})",
        url=_url(request),
    )


def requester_side(match: AidMatch, title: str) -> None:
    """The requester if they have an account; otherwise the dispatchers, who call them."""
    request = match.request
    if request.requester_id is not None:
        recipients: Iterable[Membership] = [request.requester]  # type: ignore[list-item]
    else:
        recipients = _dispatchers(request)
    notification_send(
        recipients=recipients,
        community=request.community,
        kind="aid.match",
        title=f"{title} ({request.code})",
        url=_url(request),
    )


def _dispatchers(request: AidRequest) -> list[Membership]:
    return [
        r.membership
        for r in DispatcherRole.objects.filter(community=request.community).select_related("membership")
        if r.membership.is_active
    ]


def dispatchers(request: AidRequest, title: str) -> None:
    notification_send(
        recipients=_dispatchers(request),
        community=request.community,
        kind="aid.dispatch",
        title=f"{title} ({request.code})",
        url=_url(request),
    )


def notify_volunteers_closed(request: AidRequest, volunteers: list[Membership]) -> None:
    if volunteers:
        notification_send(
            recipients=volunteers,
            community=request.community,
            kind="aid.match",
            title=_("A request you were matched to was closed (%(code)s)") % {"code": request.code},
            url=_url(request),
        )
