from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FoodConfig(AppConfig):
    name = "dualpower.food"
    label = "food"
    verbose_name = _("Food")

    def ready(self) -> None:
        from dualpower.food import registrations  # noqa: F401
