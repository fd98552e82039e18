"""The aid widget on the home dashboard: my live matches and requests; for dispatchers, what waits."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.aid import selectors
from dualpower.aid.models import CLOSED_STATUSES, AidMatch, AidRequest
from dualpower.aid.roles import is_dispatcher_member
from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.members.roles import membership_for


def aid_panel(request: HttpRequest, community: Community) -> Panel | None:
    me = membership_for(request.user, community)
    if me is None:
        return None
    mine = AidRequest.objects.filter(community=community, requester=me).exclude(status__in=CLOSED_STATUSES)
    matches = selectors.my_matches(me)
    dispatcher = is_dispatcher_member(me)
    visible_open = selectors.request_filtered(
        selectors.requests_visible(community=community, membership=me), status="open"
    )
    counts: dict[str, int]
    if dispatcher:
        # The open and the stale requests in one query (both as the selectors define them).
        stale = selectors.stale_requests(community).exclude(status__in=CLOSED_STATUSES)
        counts = AidRequest.objects.filter(community=community).aggregate(
            open_count=Count("pk", filter=Q(pk__in=visible_open.values("pk"))),
            stale_count=Count("pk", filter=Q(pk__in=stale.values("pk"))),
        )
    else:
        counts = {"open_count": visible_open.count()}
    context = {
        "community": community,
        "my_requests": list(mine[:5]),
        "my_matches": list(matches[:5]),
        **counts,
        "dispatcher": dispatcher,
    }
    if dispatcher:
        context["waiting_count"] = AidMatch.objects.filter(
            request__community=community, status=AidMatch.Status.PROPOSED
        ).count()
        # What needs a dispatcher's answer: requests peer communities referred to this one.
        context["referrals_waiting"] = selectors.referrals_waiting(community=community).count()
    return Panel(
        key="aid", title=_("Mutual aid"), template="aid/partials/_panel.html", context=context, order=30
    )
