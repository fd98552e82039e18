from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanelsConfig(AppConfig):
    name = "dualpower.panels"
    label = "panels"
    verbose_name = _("Sortition panels")

    def ready(self) -> None:
        from dualpower.assemblies import bodies
        from dualpower.assemblies.models import Assembly
        from dualpower.community import dashboard
        from dualpower.panels import demo, rules  # noqa: F401  (registers)
        from dualpower.panels.dashboard import open_panels_panel
        from dualpower.panels.selectors import panel_members
        from dualpower.web import navigation

        bodies.register(Assembly.Kind.PANEL, voters=panel_members)
        dashboard.register("open-panels", open_panels_panel)
        navigation.register("panels", _("Panels by lot"), "panels:list", order=34)
