from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "dualpower.federation"
    label = "federation"
    verbose_name = _("Federation")

    def ready(self) -> None:
        from dualpower.federation import registrations  # noqa: F401
