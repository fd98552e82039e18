from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssembliesConfig(AppConfig):
    name = "dualpower.assemblies"
    label = "assemblies"
    verbose_name = _("Assemblies")

    def ready(self) -> None:
        from dualpower.assemblies import registrations  # noqa: F401
