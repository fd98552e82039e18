from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "dualpower.ledger"
    label = "ledger"
    verbose_name = _("Currencies and time bank")

    def ready(self) -> None:
        from dualpower.ledger import registrations  # noqa: F401
