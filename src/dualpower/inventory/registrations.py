"""Everything the inventory app registers with the rest of dualpower, in one place (imported by
``InventoryConfig.ready()`` and nothing else): the dashboard widget, the menu entry, the clock
job that warns before lots expire, the demo loader, and the permissions (rules.py registers them
when imported)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import clock as schedule
from dualpower.community import dashboard
from dualpower.demo import register as register_demo
from dualpower.inventory import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.inventory import demo, jobs, widgets
from dualpower.inventory import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.web import navigation

dashboard.register("low-stock", widgets.low_stock_panel)
schedule.job("inventory.expiry")(jobs.expiry_warnings)
navigation.register("inventory", _("Inventory"), "inventory:list", order=45, group="needs")
# After the aid and activities loaders (INSTALLED_APPS order): a food box goes to an aid request.
register_demo(demo.load_inventory)
