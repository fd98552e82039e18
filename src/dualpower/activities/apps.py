from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "dualpower.activities"
    label = "activities"
    verbose_name = _("Activities and shifts")

    def ready(self) -> None:
        from dualpower.activities import registrations  # noqa: F401
