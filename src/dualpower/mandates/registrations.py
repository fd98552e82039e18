"""Everything the delegates-and-mandates app registers, in one place (imported by ``AppConfig.ready()``).

- the spokescouncil as a body of assemblies (its voters are the seated delegates);
- the actions a decision carries out: seat delegates, recall one, give a mandate;
- the clock jobs (flag votes against a mandate, end seats whose term is over);
- the demo loader, the dashboard widget and the menu entry; the permissions (``rules``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import clock
from dualpower import demo as demo_registry
from dualpower.assemblies import actions as assembly_actions
from dualpower.assemblies import bodies
from dualpower.assemblies.models import Assembly
from dualpower.community import dashboard
from dualpower.mandates import (
    actions,
    demo,
    jobs,
    rules,  # noqa: F401  (declares the permissions)
)
from dualpower.mandates import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.mandates.selectors import seated_delegates, spokescouncil_observers
from dualpower.mandates.widgets import delegate_panel
from dualpower.web import navigation

bodies.register(Assembly.Kind.SPOKESCOUNCIL, voters=seated_delegates, observers=spokescouncil_observers)
assembly_actions.register(
    assembly_actions.ActionKind(
        key="mandates.seat_delegates",
        label=_("Seat elected delegates"),
        validate=actions.validate_seat,
        run=actions.run_seat,
        describe=actions.describe_seat,
        needs=actions.SEAT_NEEDS,
    )
)
assembly_actions.register(
    assembly_actions.ActionKind(
        key="mandates.recall",
        label=_("Recall a delegate"),
        validate=actions.validate_recall,
        run=actions.run_recall,
        describe=actions.describe_recall,
        needs=actions.RECALL_NEEDS,
    )
)
assembly_actions.register(
    assembly_actions.ActionKind(
        key="mandates.set_mandate",
        label=_("Give our delegates a mandate"),
        validate=actions.validate_mandate,
        run=actions.run_mandate,
        describe=actions.describe_mandate,
        needs=actions.MANDATE_NEEDS,
    )
)
clock.job("mandates.flag_breaches")(jobs.flag_breaches)
clock.job("mandates.expire_seats")(jobs.expire_seats)
demo_registry.register(demo.load_delegates)
dashboard.register("my-delegations", delegate_panel)
navigation.register("delegates", _("Delegates"), "mandates:list", order=32, group="decide")
