"""Everything the care app registers, in one place (imported by ``AppConfig.ready()``):

- its two menu entries (care circles; clinics and support), the crisis calls' dashboard panel;
- the clock jobs: closed circles erased after the community's retention (only counts stay), and
  a clinic day left open after its date closed (its queue erased, counted in its week), and closed
  crisis calls reduced to weekly counts by outcome after the same retention;
- what it holds, for the page "What a seizure would reveal" (``dualpower.holdings``);
- its audit sentences, permissions and demo (a circle with a help calendar, a clinic day);
- the name of the aid category crisis calls are filed under, so aid shows it translated.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import clock as schedule
from dualpower import holdings
from dualpower.aid.selectors import register_category_name
from dualpower.care import audit as _audit  # noqa: F401 - registers the audit sentences on import
from dualpower.care import demo, holdings_circles, holdings_clinics, widgets
from dualpower.care import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.care.services import clinics as clinic_services
from dualpower.care.services.circles_erase import circles_erase_expired_job
from dualpower.care.services.clinics_lines import CRISIS_LABEL
from dualpower.care.services.crisis_erase import crisis_calls_erase_expired_job
from dualpower.community import dashboard
from dualpower.demo import register as register_demo
from dualpower.web import navigation

navigation.register(
    "care_circles", _("Care circles"), "care:circles", order=46, group="needs", perm="care.list_circles"
)
navigation.register(
    "care-clinics",
    _("Clinics and support"),
    "care:clinics",
    order=47,
    group="needs",
    perm="care.view_clinics",
)
dashboard.register("care-crisis", widgets.crisis_calls_panel)
schedule.job("care.circles_erase")(circles_erase_expired_job)
schedule.job("care.clinic_days")(clinic_services.close_past_days_job)
schedule.job("care.crisis_erase")(crisis_calls_erase_expired_job)
holdings.register("care.circles", holdings_circles.describe, title=_("Care circles"), order=45)
holdings.register(
    "care.clinics", holdings_clinics.describe, title=_("Clinics, warm line and crisis calls"), order=46
)
register_category_name(CRISIS_LABEL)
register_demo(demo.load_circles)
register_demo(demo.load_clinics)
