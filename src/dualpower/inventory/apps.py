from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "dualpower.inventory"
    label = "inventory"
    verbose_name = _("Shared inventory")

    def ready(self) -> None:
        from dualpower.inventory import registrations  # noqa: F401
