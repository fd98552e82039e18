from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "dualpower.mandates"
    label = "mandates"
    verbose_name = _("Delegates and mandates")

    def ready(self) -> None:
        from dualpower.assemblies import bodies
        from dualpower.assemblies.models import Assembly
        from dualpower.community import dashboard
        from dualpower.mandates import actions, demo, jobs, rules  # noqa: F401  (registers)
        from dualpower.mandates.dashboard import delegate_panel
        from dualpower.mandates.selectors import seated_delegates, spokescouncil_observers
        from dualpower.web import navigation

        bodies.register(
            Assembly.Kind.SPOKESCOUNCIL, voters=seated_delegates, observers=spokescouncil_observers
        )
        actions.register()
        dashboard.register("my-delegations", delegate_panel)
        navigation.register("delegates", _("Delegates"), "mandates:list", order=32)
