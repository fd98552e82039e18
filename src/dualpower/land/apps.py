from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandConfig(AppConfig):
    name = "dualpower.land"
    label = "land"
    verbose_name = _("Community land trust")

    def ready(self) -> None:
        from dualpower.assemblies import actions
        from dualpower.community import dashboard
        from dualpower.land import demo, rules  # noqa: F401  (registers permissions and demo data)
        from dualpower.land.actions import ALLOCATE_HOME
        from dualpower.land.panels import my_home_panel
        from dualpower.web import navigation

        actions.register(ALLOCATE_HOME)
        dashboard.register("my-home", my_home_panel)
        navigation.register("land", _("Land trust"), "land:homes", order=65)
