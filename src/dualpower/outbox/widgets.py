"""The outbox's panel on the dashboard: for coordinators, while the node keeps its mail in a folder."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.outbox.selectors import mail_sent

NEWEST = 3


def outbox_panel(request: HttpRequest, community: Community) -> Panel | None:
    """ "Mail sent from this node": the newest subjects and the way to the page."""
    if not request.user.has_perm("outbox.read_mail", community):
        return None
    newest, more = mail_sent(limit=NEWEST)
    return Panel(
        key="outbox",
        title=_("Mail sent from this node"),
        template="outbox/partials/_panel_outbox.html",
        context={"newest": newest, "more": more},
        order=95,
    )
