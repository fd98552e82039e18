from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "dualpower.activities"
    label = "activities"
    verbose_name = _("Activities and shifts")

    def ready(self) -> None:
        from dualpower.activities import jobs, rules  # noqa: F401 - registers the jobs and permissions
        from dualpower.activities.panels import my_next_shifts_panel
        from dualpower.community import dashboard
        from dualpower.ops.demo import register
        from dualpower.web import navigation

        dashboard.register("my-next-shifts", my_next_shifts_panel)
        navigation.register("activities", _("Activities and shifts"), "activities:list", order=40)
        from dualpower.activities.demo import load_activities

        register(load_activities)
