from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Looking after the node: the clock's lease table, and the guided set-up of a new community
    (its pages under /setup/ and its panel on the dashboard)."""

    name = "dualpower.ops"
    label = "ops"
    verbose_name = _("Operating the node")

    def ready(self) -> None:
        from dualpower.ops import registrations  # noqa: F401
