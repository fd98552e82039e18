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
    return Panel(
        key="my-groups",
        title=_("My groups"),
        template="groups/partials/_panel_my_groups.html",
        context={
            "places": list(selectors.groups_for_member(membership=me)),
            "requests": list(selectors.requests_i_decide(membership=me)),
            "can_join": me.role != me.Role.OBSERVER,
        },
        order=20,
    )
