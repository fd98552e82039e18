"""Everything the meetings app registers, in one place (imported by ``AppConfig.ready()``).

- with assemblies: the witnessed counts of votes taken in the room (``sources``) and the meetings
  an assembly holds, for its page and its outcomes (``sittings``);
- the clock jobs (close amendment windows of minutes, remind people the day before);
- the demo loader, the dashboard widget and the menu entry.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import clock
from dualpower import demo as demo_registry
from dualpower.assemblies import sittings, sources
from dualpower.community import dashboard
from dualpower.meetings import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.meetings import demo, jobs, selectors
from dualpower.meetings.widgets import next_meetings_panel
from dualpower.web import navigation

sources.register(selectors.SOURCE, selectors.confirmed_room_counts)
sittings.register("meetings", upcoming=selectors.upcoming_for_assembly, link=selectors.meeting_link_for)
clock.job("meetings.minutes_windows")(jobs.close_amendment_windows)
clock.job("meetings.reminders")(jobs.remind_the_day_before)
demo_registry.register(demo.load_meetings)
dashboard.register("next-meetings", next_meetings_panel)
navigation.register("meetings", _("Meetings"), "meetings:list", order=36, group="decide")
