"""The community's panel on its dashboard."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community import hooks
from dualpower.community.dashboard import Panel, community_wide
from dualpower.community.models import Community
from dualpower.community.selectors import audit_entries


def community_panel(request: HttpRequest, community: Community) -> Panel | None:
    """ "Your community": how many members and groups, and what happened last."""
    if not request.user.has_perm("community.view_audit", community):
        return None
    return Panel(
        key="community",
        title=_("Your community"),
        template="community/partials/_panel_community.html",
        # What ``selectors.community_overview`` gives, with the totals from the shared cache.
        context={
            **community_wide(community, "overview-counts", lambda: hooks.overview_counts(community)),
            "latest_entries": list(audit_entries(community=community)[:5]),
        },
        order=90,
    )
