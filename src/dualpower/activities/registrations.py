"""Everything the activities app registers with the rest of dualpower, in one place (imported by
``ActivitiesConfig.ready()`` and nothing else): the dashboard widget, the menu entry, the clock
jobs, the demo loader, and the permissions (rules.py registers them when imported)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import clock
from dualpower.activities import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.activities import demo, jobs, widgets
from dualpower.activities import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.community import dashboard
from dualpower.demo import register as register_demo
from dualpower.web import navigation

dashboard.register("my-next-shifts", widgets.my_next_shifts_panel)
navigation.register("activities", _("Activities and shifts"), "activities:list", order=42, group="needs")
clock.job("activities.generate")(jobs.generate_occurrences)
clock.job("activities.remind")(jobs.remind_the_day_before)
register_demo(demo.load_activities)
