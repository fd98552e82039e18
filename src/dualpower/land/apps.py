from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandConfig(AppConfig):
    name = "dualpower.land"
    label = "land"
    verbose_name = _("Community land trust")

    def ready(self) -> None:
        from dualpower.land import registrations  # noqa: F401
