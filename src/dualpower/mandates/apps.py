from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "dualpower.mandates"
    label = "mandates"
    verbose_name = _("Delegates and mandates")

    def ready(self) -> None:
        from dualpower.mandates import registrations  # noqa: F401
