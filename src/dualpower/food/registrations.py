"""Everything the food app registers, in one place (imported by ``AppConfig.ready()``):

- the gardens (growing): the menu entry, the dashboard panel "my plots" (one-tap harvest), the demo
  garden;
- plan to plate: the assembly action ``food.set_priorities`` (the order a week's harvest is given
  out in), the menu entry, the demo share cycle and allocation;
- the clock job ``food.seed_reminders`` (borrowers reminded before seed is due back);
- audit sentences and permissions of both (registered on import).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import clock as schedule
from dualpower.assemblies.actions import register as register_action
from dualpower.community import dashboard
from dualpower.demo import register as register_demo
from dualpower.food import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.food import demo, demo_plate, jobs, widgets
from dualpower.food import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.food.plate_actions import SET_PRIORITIES
from dualpower.web import navigation

navigation.register(
    "gardens", _("Gardens"), "food:growing_home", order=58, group="economy", perm="food.view_gardens"
)
navigation.register(
    "food_plate", _("Food: plan to plate"), "food:plate", order=48, group="needs", perm="food.view_plate"
)
dashboard.register("my-plots", widgets.my_plots_panel)
schedule.job("food.seed_reminders")(jobs.seed_reminders)
register_action(SET_PRIORITIES)
register_demo(demo.load_gardens)
register_demo(demo_plate.load)
