"""Everything the community app registers: its own panel on the dashboard, the audit log's place
in the menu and the sentences of its own audit entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.community import dashboard, widgets
from dualpower.web import navigation

dashboard.register("community", widgets.community_panel)
navigation.register("audit", _("Audit log"), "community-audit", order=80, group="community")
