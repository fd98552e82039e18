from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefenceConfig(AppConfig):
    name = "dualpower.defence"
    label = "defence"
    verbose_name = _("Community defence")

    def ready(self) -> None:
        from dualpower.defence import registrations  # noqa: F401
