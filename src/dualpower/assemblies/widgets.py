"""The assemblies' panel on the dashboard: votes waiting for me."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.assemblies import selectors
from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.members.roles import membership_for


def votes_waiting_panel(request: HttpRequest, community: Community) -> Panel | None:
    me = membership_for(request.user, community)
    if me is None:
        return None
    waiting = selectors.votes_waiting_for(community=community, membership=me)
    return Panel(
        key="assemblies-votes",
        title=_("Votes waiting for you"),
        template="assemblies/partials/_panel_votes.html",
        context={"waiting": waiting[:10], "more": max(0, len(waiting) - 10)},
        order=10,
    )
