"""The co-ops' panel on the dashboard: my co-ops, and capital operations waiting for my board."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.coops import selectors
from dualpower.coops.models import CoopMember
from dualpower.members.roles import membership_for


def my_coops_panel(request: HttpRequest, community: Community) -> Panel | None:
    me = membership_for(request.user, community)
    if me is None:
        return None
    places = list(selectors.coops_for_member(membership=me))
    # Operations wait only for boards: no need to ask unless one of my places is on a board.
    on_board = any(p.role == CoopMember.Role.BOARD and p.status == CoopMember.Status.MEMBER for p in places)
    waiting = list(selectors.operations_to_decide(membership=me)) if on_board else []
    if not places and not waiting:
        return None
    return Panel(
        key="my-coops",
        title=_("My co-ops"),
        template="coops/partials/_panel_my_coops.html",
        context={"places": places, "waiting": waiting},
        order=40,
    )
