"""widgets of the defence app."""

from __future__ import annotations

from django.http import HttpRequest as _HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel as _Panel
from dualpower.community.models import Community as _Community
from dualpower.defence.models.response import Incident as _Incident
from dualpower.defence.selectors import response as _response_selectors
from dualpower.members.roles import membership_for as _membership_for


def response_panel(request: _HttpRequest, community: _Community) -> _Panel | None:
    """Alerts waiting for me; for the verifier on shift, the reports waiting for verification."""
    me = _membership_for(request.user, community)
    if me is None:
        return None
    alerts = list(_response_selectors.my_alerts(membership=me)[:5])
    waiting = 0
    if _response_selectors.is_on_shift_verifier(me):
        waiting = (
            _response_selectors.incidents_open(community=community)
            .filter(status=_Incident.Status.REPORTED)
            .count()
        )
    if not alerts and not waiting:
        return None
    return _Panel(
        key="defence",
        title=_("Community defence"),
        template="defence/response/partials/_panel.html",
        context={"community": community, "alerts": alerts, "waiting": waiting},
        order=5,
    )
