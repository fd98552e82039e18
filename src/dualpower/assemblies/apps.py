from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssembliesConfig(AppConfig):
    name = "dualpower.assemblies"
    label = "assemblies"
    verbose_name = _("Assemblies")

    def ready(self) -> None:
        from dualpower.assemblies import builtin_actions, demo, jobs, rules  # noqa: F401
        from dualpower.assemblies.panels import votes_waiting_panel
        from dualpower.community import dashboard
        from dualpower.web import navigation

        builtin_actions.register()
        dashboard.register("assemblies-votes", votes_waiting_panel)
        navigation.register("assemblies", _("Assemblies"), "assemblies:list", order=30, primary=True)
