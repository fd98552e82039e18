from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonsConfig(AppConfig):
    name = "dualpower.commons"
    label = "commons"
    verbose_name = _("Knowledge commons")

    def ready(self) -> None:
        from dualpower.commons import registrations  # noqa: F401
