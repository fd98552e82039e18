from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "dualpower.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from dualpower.meetings import registrations  # noqa: F401
