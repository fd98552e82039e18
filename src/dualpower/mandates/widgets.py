"""The delegates' panel on the dashboard: the seats I hold and the mandates that bind me."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.mandates import selectors
from dualpower.members.roles import membership_for


def delegate_panel(request: HttpRequest, community: Community) -> Panel | None:
    me = membership_for(request.user, community)
    if me is None:
        return None
    seats = list(selectors.seats_of(community=community, membership=me))
    if not seats:
        return None
    return Panel(
        key="my-delegations",
        title=_("My seats as a delegate"),
        template="mandates/partials/_panel_seats.html",
        context={"seats": [(seat, list(selectors.mandates_for_seat(seat)[:5])) for seat in seats]},
        order=35,
    )
