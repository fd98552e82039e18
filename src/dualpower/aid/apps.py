from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "dualpower.aid"
    label = "aid"
    verbose_name = _("Mutual aid")

    def ready(self) -> None:
        from dualpower.aid import actions, demo, jobs, panels, rules  # noqa: F401
        from dualpower.community import dashboard
        from dualpower.ops import schedule
        from dualpower.web import navigation

        actions.register()
        dashboard.register("aid", panels.aid_panel)
        navigation.register("aid", _("Mutual aid"), "aid:list", order=40, primary=True)
        schedule.job("aid.erase_expired")(jobs.erase_expired)
        schedule.job("aid.flag_stale")(jobs.flag_stale)
