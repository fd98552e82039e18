"""Everything the sortition-panels app registers, in one place (imported by ``AppConfig.ready()``).

- a drawn panel as a body of assemblies (its voters are the people drawn);
- the demo loader, the dashboard widget and the menu entry; the permissions (``rules``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import demo as demo_registry
from dualpower.assemblies import bodies
from dualpower.assemblies.models import Assembly
from dualpower.community import dashboard
from dualpower.panels import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.panels import (
    demo,
    rules,  # noqa: F401  (declares the permissions)
)
from dualpower.panels.selectors import panel_members
from dualpower.panels.widgets import open_panels_panel
from dualpower.web import navigation

bodies.register(Assembly.Kind.PANEL, voters=panel_members)
demo_registry.register(demo.load_panels)
dashboard.register("open-panels", open_panels_panel)
navigation.register("panels", _("Panels by lot"), "panels:list", order=34, group="decide")
