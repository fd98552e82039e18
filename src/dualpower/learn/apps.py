from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearnConfig(AppConfig):
    name = "dualpower.learn"
    label = "learn"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from dualpower.learn import registrations  # noqa: F401
