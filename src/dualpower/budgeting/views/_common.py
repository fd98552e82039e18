"""What the budgeting pages share: the cycle a person may see and who is asking."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dualpower.budgeting import selectors
from dualpower.budgeting.models import Cycle
from dualpower.community.models import Community
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check


def cycle_for(
    request: HttpRequest, community: Community, slug: str, perm: str = "budgeting.view_cycle"
) -> Cycle:
    # Check the community first: an outsider learns nothing about which cycles exist.
    check(request, "budgeting.list_cycles", community)
    cycle = selectors.cycle_get(community=community, slug=slug)
    check(request, perm, cycle)
    return cycle


def me(request: HttpRequest, community: Community) -> Any:
    return membership_for(request.user, community)
