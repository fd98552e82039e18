"""Everything the land trust registers with the rest of dualpower, in one place (imported by
``LandConfig.ready()`` and nothing else): the assembly's "allocate a home" action, the dashboard
widget, the menu entry, the demo loader, and the permissions (rules.py registers them when
imported)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.assemblies.actions import register as register_action
from dualpower.community import dashboard
from dualpower.demo import register as register_demo
from dualpower.land import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.land import demo, widgets
from dualpower.land import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.land.actions import ALLOCATE_HOME
from dualpower.web import navigation

register_action(ALLOCATE_HOME)
dashboard.register("my-home", widgets.my_home_panel)
navigation.register("land", _("Land trust"), "land:homes", order=65, group="economy")
register_demo(demo.load_land)
