"""Everything the ledger registers with the rest of dualpower, in one place (imported by
``LedgerConfig.ready()`` and nothing else): the assembly's "set a credit limit" action, the clock
jobs, the menu entry, the dashboard widget, the demo loader, and the permissions (rules.py
registers them when imported)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import clock as schedule
from dualpower.assemblies.actions import ActionKind
from dualpower.assemblies.actions import register as register_action
from dualpower.community import dashboard
from dualpower.demo import register as register_demo
from dualpower.ledger import actions, demo, jobs, widgets
from dualpower.ledger import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.web import navigation

register_action(
    ActionKind(
        key="ledger.set_credit_limit",
        label=_("Set a credit limit"),
        validate=actions.validate_credit_limit,
        run=actions.run_credit_limit,
        describe=actions.describe_credit_limit,
    )
)
schedule.job("ledger.demurrage")(jobs.charge_demurrage)
schedule.job("ledger.expire_invoices")(jobs.expire_invoices)
navigation.register("money", _("Money and time"), "ledger:list", order=60)
dashboard.register("money", widgets.money_panel)
register_demo(demo.load_ledger)
