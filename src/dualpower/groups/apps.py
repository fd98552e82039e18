from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "dualpower.groups"
    label = "groups"
    verbose_name = _("Working groups")

    def ready(self) -> None:
        from dualpower.community import dashboard
        from dualpower.groups.panels import my_groups_panel

        dashboard.register("my-groups", my_groups_panel)
