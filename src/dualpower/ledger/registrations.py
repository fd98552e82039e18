"""Everything the ledger registers with the rest of dualpower, in one place (imported by
``LedgerConfig.ready()`` and nothing else): the assembly's "set a credit limit" action, the clock
jobs, the menu entry, the dashboard widget, the demo loader, and the permissions (rules.py
registers them when imported)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import clock as schedule
from dualpower.assemblies.actions import ActionKind, Need
from dualpower.assemblies.actions import register as register_action
from dualpower.community import dashboard
from dualpower.demo import register as register_demo
from dualpower.ledger import actions, demo, jobs, services, widgets
from dualpower.ledger import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.ledger import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.members.hooks import register_member_erased
from dualpower.web import navigation

register_action(
    ActionKind(
        key="ledger.set_credit_limit",
        label=_("Set a credit limit"),
        validate=actions.validate_credit_limit,
        run=actions.run_credit_limit,
        describe=actions.describe_credit_limit,
        needs=(
            Need("account", _("Whose account"), options=actions.account_choices),
            Need(
                "credit",
                _("Credit: how far below zero it may go"),
                kind="number",
                help=_("In whole units of the currency (hours for a time bank); 0 for no credit."),
            ),
            Need(
                "ceiling",
                _("Upper limit"),
                kind="number",
                help=_("In whole units of the currency (hours for a time bank)."),
            ),
        ),
    )
)
schedule.job("ledger.demurrage")(jobs.charge_demurrage)
schedule.job("ledger.expire_invoices")(jobs.expire_invoices)
navigation.register("money", _("Money and time"), "ledger:list", order=60, group="economy")
dashboard.register("money", widgets.money_panel)
register_demo(demo.load_ledger)
register_member_erased(services.accounts_of_former_member)
