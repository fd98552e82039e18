from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "dualpower.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from dualpower.members import registrations  # noqa: F401
