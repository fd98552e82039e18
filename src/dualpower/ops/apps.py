from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Looking after the node. An app only for its one table: the clock's lease."""

    name = "dualpower.ops"
    label = "ops"
    verbose_name = _("Operating the node")
