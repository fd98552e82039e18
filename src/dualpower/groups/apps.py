from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "dualpower.groups"
    label = "groups"
    verbose_name = _("Working groups")

    def ready(self) -> None:
        from dualpower.groups import registrations  # noqa: F401
