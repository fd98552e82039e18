"""The set-up panel on a community's dashboard: its groups, how it decides, its money and time."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.ops.community_setup import setup_summary


def setup_panel(request: HttpRequest, community: Community) -> Panel | None:
    """ "How this community is set up", for its coordinators (with the way to invite people)."""
    if not request.user.has_perm("members.manage_invitations", community):
        return None
    return Panel(
        key="setup",
        title=_("How this community is set up"),
        template="community/setup/_panel.html",
        context={"summary": setup_summary(community=community)},
        order=85,
    )
