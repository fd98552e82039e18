from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "dualpower.aid"
    label = "aid"
    verbose_name = _("Mutual aid")

    def ready(self) -> None:
        from dualpower.aid import registrations  # noqa: F401
