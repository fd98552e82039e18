"""Notifications on match steps. Titles and bodies carry no private detail (they are emailed):
only the request code and a link to the page, where permissions decide what is shown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy

from dualpower.aid.models import AidMatch, AidRequest, DispatcherRole
from dualpower.community.models import Community
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import Text
from dualpower.notifications.text import text as notice_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _titled(title: StrOrPromise | Text, request: AidRequest) -> Text:
    """The step's title (a lazy translation, read in the reader's language) and the request's code."""
    return notice_text("%(title)s (%(code)s)", title=title, code=request.code)


def _url(request: AidRequest) -> str:
    return reverse("aid:request_detail", args=[request.community.slug, request.code])


def volunteer(match: AidMatch, title: StrOrPromise | Text) -> None:
    request = match.request
    notification_send(
        recipients=[match.volunteer],
        community=request.community,
        kind="aid.match",
        title=_titled(title, request),
        url=_url(request),
    )


def requester_side(match: AidMatch, title: StrOrPromise | Text) -> None:
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
        title=_titled(title, request),
        url=_url(request),
    )


def _dispatchers(request: AidRequest) -> list[Membership]:
    return [
        r.membership
        for r in DispatcherRole.objects.filter(community=request.community).select_related("membership")
        if r.membership.is_active
    ]


def dispatchers(request: AidRequest, title: StrOrPromise | Text) -> None:
    notification_send(
        recipients=_dispatchers(request),
        community=request.community,
        kind="aid.dispatch",
        title=_titled(title, request),
        url=_url(request),
    )


def notify_volunteers_closed(request: AidRequest, volunteers: list[Membership]) -> None:
    if volunteers:
        notification_send(
            recipients=volunteers,
            community=request.community,
            kind="aid.match",
            title=notice_text(
                gettext_lazy("A request you were matched to was closed (%(code)s)"), code=request.code
            ),
            url=_url(request),
        )


def community_dispatchers(community: Community, title: Text, *, url: str, kind: str = "aid.dispatch") -> None:
    """Every active dispatcher of ``community`` (a referral from a peer concerns no request yet)."""
    roles = DispatcherRole.objects.filter(community=community).select_related("membership")
    notification_send(
        recipients=[r.membership for r in roles if r.membership.is_active],
        community=community,
        kind=kind,
        title=title,
        url=url,
    )
