"""The dashboard panel "My next shifts"."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.activities import selectors
from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.members.roles import membership_for


def my_next_shifts_panel(request: HttpRequest, community: Community) -> Panel | None:
    me = membership_for(request.user, community)
    if me is None:
        return None
    return Panel(
        key="my-next-shifts",
        title=_("My next shifts"),
        template="activities/partials/_panel_my_next_shifts.html",
        context={
            "signups": selectors.my_next_shifts(membership=me),
            "can_sign_up": me.role != me.Role.OBSERVER,
        },
        order=30,
    )
