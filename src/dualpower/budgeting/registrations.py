"""Everything the budgeting app registers with the rest of dualpower, in one place (imported by
``BudgetingConfig.ready()`` and nothing else): the assembly's "adopt budget" action, the dashboard
widget, the menu entry, the clock job, the demo loader, and the permissions (rules.py registers
them when imported)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import clock, uploads
from dualpower.assemblies.actions import ActionKind, Need
from dualpower.assemblies.actions import register as register_action
from dualpower.budgeting import actions, demo, jobs, selectors, widgets
from dualpower.budgeting import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.budgeting import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.community import dashboard
from dualpower.demo import register as register_demo
from dualpower.web import navigation

register_action(
    ActionKind(
        key="budgeting.adopt_result",
        label=_("Adopt a budget's result"),  # lazy: the reader's language
        validate=actions.validate,
        run=actions.run,
        describe=actions.describe,
        needs=(Need("cycle", _("Which budget"), options=actions.cycle_choices),),
    )
)
navigation.register("budgeting", _("Budgets"), "budgeting:list", order=38, group="decide")
dashboard.register("budgets", widgets.budgets_panel)
clock.job("budgeting.phases")(jobs.advance_phases)
register_demo(demo.load_budgets)
uploads.register_owner("budgeting", selectors.photo_owner)  # who may see a progress photo
