"""The community's panel on its dashboard."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.community.selectors import community_overview


def community_panel(request: HttpRequest, community: Community) -> Panel | None:
    """ "Your community": how many members and groups, and what happened last."""
    if not request.user.has_perm("community.view_audit", community):
        return None
    return Panel(
        key="community",
        title=_("Your community"),
        template="community/partials/_panel_community.html",
        context=community_overview(community=community),
        order=90,
    )
