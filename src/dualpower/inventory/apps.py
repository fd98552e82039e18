from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "dualpower.inventory"
    label = "inventory"
    verbose_name = _("Shared inventory")

    def ready(self) -> None:
        from dualpower.community import dashboard
        from dualpower.inventory import rules  # noqa: F401 - registers the permissions
        from dualpower.inventory.panels import low_stock_panel
        from dualpower.web import navigation

        dashboard.register("low-stock", low_stock_panel)

        navigation.register("inventory", _("Inventory"), "inventory:list", order=45)
