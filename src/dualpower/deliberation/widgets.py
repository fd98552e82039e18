"""The deliberations' panel on the dashboard: the questions open now, to vote on."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.deliberation import selectors


def open_deliberations_panel(request: HttpRequest, community: Community) -> Panel | None:
    if not request.user.has_perm("deliberation.view", community):
        return None
    open_now = selectors.open_deliberations(community=community, limit=5)
    if not open_now:
        return None
    return Panel(
        key="open-deliberations",
        title=_("Open deliberations"),
        template="deliberation/partials/_panel_open.html",
        context={"deliberations": open_now},
        order=14,
    )
