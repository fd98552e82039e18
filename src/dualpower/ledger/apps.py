from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "dualpower.ledger"
    label = "ledger"
    verbose_name = _("Currencies and time bank")

    def ready(self) -> None:
        from dualpower.assemblies import actions as assembly_actions
        from dualpower.community import dashboard
        from dualpower.ledger import actions, rules  # noqa: F401  (rules registers permissions)
        from dualpower.ledger.panels import money_panel
        from dualpower.ops import schedule
        from dualpower.web import navigation

        assembly_actions.register(
            assembly_actions.ActionKind(
                key="ledger.set_credit_limit",
                label=_("Set a credit limit"),  # type: ignore[arg-type]  # lazy: shown in the reader's language
                validate=actions.validate_credit_limit,
                run=actions.run_credit_limit,
                describe=actions.describe_credit_limit,
            )
        )
        schedule.job("ledger.demurrage")(actions.charge_demurrage)
        schedule.job("ledger.expire_invoices")(actions.expire_invoices)
        navigation.register("money", _("Money and time"), "ledger:list", order=60)
        dashboard.register("money", money_panel)
        from dualpower.ledger import demo  # noqa: F401  (registers the demo loader)
