from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "dualpower.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from dualpower.assemblies import sources
        from dualpower.community import dashboard
        from dualpower.meetings import demo, jobs  # noqa: F401  (registers the clock jobs, demo loader)
        from dualpower.meetings.panels import next_meetings_panel
        from dualpower.meetings.services_tallies import SOURCE, confirmed_room_counts
        from dualpower.web import navigation

        dashboard.register("next-meetings", next_meetings_panel)
        navigation.register("meetings", _("Meetings"), "meetings:list", order=25)
        sources.register(SOURCE, confirmed_room_counts)
