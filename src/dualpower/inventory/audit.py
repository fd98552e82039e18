"""The inventory's audit entries as sentences (``community.hooks.register_audit_sentence``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import changes, say_all

say_all(
    {
        "inventory.item_create": _("%(actor)s added “%(summary)s” to the inventory"),
        "inventory.item_update": changes(
            _("%(actor)s changed the %(fields)s of “%(summary)s”"),
            {
                "name": _("name"),
                "unit": _("unit"),
                "low_threshold": _("low stock warning"),
                "location": _("place"),
                "expiry_warning_days": _("expiry warning"),
            },
        ),
        "inventory.stock_in": _("%(actor)s recorded stock coming in (%(summary)s)"),
        "inventory.stock_out": _("%(actor)s recorded stock going out (%(summary)s)"),
        "inventory.stock_adjust": _("%(actor)s corrected a stock count (%(summary)s)"),
    }
)
