"""Everything the outbox registers: its permission, its panel on the dashboard and its menu entry.

The page is only for coordinators and only while the node keeps its mail in a folder: the menu
entry asks for the permission that says so (``perm=``), and the panel "Mail sent from this node"
on the community's dashboard is shown to them alone.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community import dashboard
from dualpower.outbox import rules as _rules  # noqa: F401 - registers the permission on import
from dualpower.outbox import widgets
from dualpower.web import navigation

dashboard.register("outbox", widgets.outbox_panel)
navigation.register(
    "mail", _("Mail sent"), "outbox:list", order=90, group="community", perm="outbox.read_mail"
)
