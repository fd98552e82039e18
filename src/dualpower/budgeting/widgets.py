"""The budgets widget on the dashboard: cycles a member can act in now (vote, share ideas)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.budgeting.models import Ballot, Cycle, Phase
from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.members.roles import membership_for


def budgets_panel(request: HttpRequest, community: Community) -> Panel | None:
    me = membership_for(request.user, community)
    if me is None:
        return None
    # One query: the cycles, each with whether I have voted in it.
    active = list(
        Cycle.objects.filter(community=community, imported_from="")
        .exclude(phase=Phase.IMPLEMENTATION)
        .annotate(i_voted=Exists(Ballot.objects.filter(cycle=OuterRef("pk"), voter=me)))
        .order_by("-created_at")[:5]
    )
    if not active:
        return None
    rows = [{"cycle": c, "voted": c.i_voted} for c in active]
    return Panel(
        key="budgets",
        title=_("Budgets"),
        template="budgeting/partials/_panel.html",
        context={"rows": rows, "can_vote": me.role != me.Role.OBSERVER},
        order=30,
    )
