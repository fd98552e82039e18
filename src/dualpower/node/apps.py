from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NodeConfig(AppConfig):
    name = "dualpower.node"
    label = "node"
    verbose_name = _("Node")
