"""widgets of the care app."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.care.models.clinics import CrisisCall
from dualpower.care.selectors import clinics as _clinic_reads
from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.members.roles import membership_for


def crisis_calls_panel(request: HttpRequest, community: Community) -> Panel | None:
    """ "Crisis call for you": the open calls the visitor was sent to, first on their dashboard."""
    me = membership_for(request.user, community)
    if me is None:
        return None
    calls = list(
        _clinic_reads.crisis_calls_of(membership=me)
        .filter(community=community)
        .exclude(status=CrisisCall.Status.CLOSED)[:5]
    )
    if not calls:
        return None
    return Panel(
        key="care-crisis",
        title=_("Crisis call for you"),
        template="care/clinics/_panel_crisis.html",
        context={"calls": calls},
        order=5,
    )
