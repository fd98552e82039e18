"""The groups' panel on the dashboard: my groups, and requests to join waiting for me."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.groups import selectors
from dualpower.members.roles import membership_for


def my_groups_panel(request: HttpRequest, community: Community) -> Panel | None:
    me = membership_for(request.user, community)
    if me is None:
        return None
    places = list(selectors.groups_for_member(membership=me))
    # Requests to join wait for a group's conveners (and for coordinators, in groups without
    # one): no need to ask unless I convene a group or coordinate.
    decides = me.role == me.Role.COORDINATOR or any(p.is_convener for p in places)
    return Panel(
        key="my-groups",
        title=_("My groups"),
        template="groups/partials/_panel_my_groups.html",
        context={
            "places": places,
            "requests": list(selectors.requests_i_decide(membership=me)) if decides else [],
            "can_join": me.role != me.Role.OBSERVER,
        },
        order=20,
    )
