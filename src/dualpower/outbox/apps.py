from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "dualpower.outbox"
    label = "outbox"
    verbose_name = _("Mail sent from this node")

    def ready(self) -> None:
        from dualpower.outbox import registrations  # noqa: F401
