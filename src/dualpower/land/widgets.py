"""The land trust's panel on the dashboard: my household's lease or place on the waitlist."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.land import selectors
from dualpower.members.roles import membership_for


def my_home_panel(request: HttpRequest, community: Community) -> Panel | None:
    me = membership_for(request.user, community)
    if me is None:
        return None
    leases = list(selectors.leases_of(community=community, leaseholder=me).filter(status="active"))
    application = selectors.my_application(community=community, membership=me)
    if not leases and application is None:
        return None
    return Panel(
        key="my-home",
        title=_("My land trust home"),
        template="land/_panel_my_home.html",
        context={"leases": leases, "application": application},
        order=45,
    )
