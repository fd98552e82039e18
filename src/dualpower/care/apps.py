from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "dualpower.care"
    label = "care"
    verbose_name = _("Community care")

    def ready(self) -> None:
        from dualpower.care import registrations  # noqa: F401
