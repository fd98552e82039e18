from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "dualpower.budgeting"
    label = "budgeting"
    verbose_name = _("Participatory budgeting")

    def ready(self) -> None:
        from dualpower.budgeting import registrations  # noqa: F401
