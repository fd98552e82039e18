from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "dualpower.budgeting"
    label = "budgeting"
    verbose_name = _("Participatory budgeting")

    def ready(self) -> None:
        from dualpower.budgeting import actions, demo, jobs, rules  # noqa: F401 - registrations
        from dualpower.budgeting.panels import budgets_panel
        from dualpower.community import dashboard
        from dualpower.web import navigation

        navigation.register("budgeting", _("Budgets"), "budgeting:list", order=40)
        dashboard.register("budgets", budgets_panel)
