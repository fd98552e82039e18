"""The dashboard widget "Low stock", for the people who keep the stock."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.inventory import selectors


def low_stock_panel(request: HttpRequest, community: Community) -> Panel | None:
    if not request.user.has_perm("inventory.move_stock", community):
        return None
    low = list(selectors.low_items(community=community))
    if not low:
        return None
    return Panel(
        key="low-stock",
        title=_("Low stock"),
        template="inventory/partials/_panel_low_stock.html",
        context={"items": low},
        order=35,
    )
