"""The meetings' panel on the dashboard: the next meetings, and where to check in."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.meetings import selectors


def next_meetings_panel(request: HttpRequest, community: Community) -> Panel | None:
    if not request.user.has_perm("meetings.list_meetings", community):
        return None
    return Panel(
        key="next-meetings",
        title=_("Next meetings"),
        template="meetings/partials/_panel_next_meetings.html",
        context={"meetings": selectors.upcoming_meetings(community=community, limit=5)},
        order=15,
    )
