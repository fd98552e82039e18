from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoopsConfig(AppConfig):
    name = "dualpower.coops"
    label = "coops"
    verbose_name = _("Cooperatives")

    def ready(self) -> None:
        from dualpower.coops import registrations  # noqa: F401
