"""The panels' dashboard panel: panels drawn by lot that I can still volunteer for."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.panels import selectors


def open_panels_panel(request: HttpRequest, community: Community) -> Panel | None:
    me = membership_for(request.user, community)
    if me is None or me.role == Membership.Role.OBSERVER:
        return None
    panels = list(selectors.open_panels_for(membership=me)[:5])
    if not panels:
        return None
    return Panel(
        key="open-panels",
        title=_("Panels drawn by lot: volunteer"),
        template="panels/partials/_panel_open.html",
        context={"panels": panels},
        order=40,
    )
