"""widgets of the food app."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.food.selectors.growing import my_plots
from dualpower.members.roles import membership_for


def my_plots_panel(request: HttpRequest, community: Community) -> Panel | None:
    """The plots I steward or garden, each growing planting with its one-tap harvest."""
    me = membership_for(request.user, community)
    if me is None or not request.user.has_perm("food.log_rescue", community):
        return None
    plots = my_plots(membership=me)
    if not plots:
        return None
    return Panel(
        key="my-plots",
        title=_("My garden plots"),
        template="food/growing/_panel_my_plots.html",
        context={"plots": plots},
        order=48,
    )
