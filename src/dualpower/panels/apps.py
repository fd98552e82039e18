from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanelsConfig(AppConfig):
    name = "dualpower.panels"
    label = "panels"
    verbose_name = _("Sortition panels")

    def ready(self) -> None:
        from dualpower.panels import registrations  # noqa: F401
