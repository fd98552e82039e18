"""The members panel on the home dashboard: pending applications, for those who decide them."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.members.rules import has_required_mfa, is_coordinator
from dualpower.members.selectors import applications_pending


def pending_applications_panel(request: HttpRequest, community: Community) -> Panel | None:
    user = request.user
    if user.has_perm("members.list_applications", community):
        count = applications_pending(community=community).count()
        return Panel(
            key="pending-applications",
            title=str(_("Pending applications")),
            template="members/partials/_panel_applications.html",
            context={"count": count},
            order=20,
        )
    if is_coordinator(user, community) and not has_required_mfa(user, community):
        return Panel(
            key="pending-applications",
            title=str(_("Pending applications")),
            template="members/partials/_panel_mfa.html",
            order=20,
        )
    return None
