"""What rapid response and eviction defence register (imported by registrations.py): the assembly's
retention action, the menu entry, the dashboard panel, the clock job that reduces closed incidents
to counts, the holdings for "What a seizure would reveal", the demo loader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import clock as _schedule
from dualpower import holdings as _response_holdings
from dualpower.assemblies.actions import ActionKind as _ActionKind
from dualpower.assemblies.actions import Need as _Need
from dualpower.assemblies.actions import register as _register_action
from dualpower.community import dashboard as _dashboard
from dualpower.defence import audit as _response_audit  # noqa: F401 - registers its audit sentences on import
from dualpower.defence import demo as _response_demo
from dualpower.defence import response_actions as _response_actions
from dualpower.defence import rules as _response_rules  # noqa: F401 - registers the permissions on import
from dualpower.defence import widgets as _response_widgets
from dualpower.defence.selectors import response_holdings as _holdings_of_response
from dualpower.defence.services import response_cases as _response_cases
from dualpower.defence.services import response_incidents as _response_incidents
from dualpower.demo import register as _register_demo
from dualpower.web import navigation as _response_navigation

_register_action(
    _ActionKind(
        key="defence.set_retention",
        label=_("Set how long closed incidents are kept"),
        validate=_response_actions.validate_retention,
        run=_response_actions.run_retention,
        describe=_response_actions.describe_retention,
        needs=(
            _Need(
                "hours",
                _("Hours a closed incident is kept before it becomes a count"),
                kind="number",
                help=_("0 to 8760; 0 reduces it to a count as soon as its follow-up is opened."),
            ),
        ),
    )
)
_response_navigation.register(
    "defence",
    _("Community defence"),
    "defence:hub",
    order=49,
    group="needs",
    perm="defence.view",
)
_dashboard.register("defence", _response_widgets.response_panel)
_schedule.job("defence.reduce_incidents")(_response_incidents.reduce_job)
_schedule.job("defence.court_reminders")(_response_cases.court_reminders_job)
_response_holdings.register(
    "defence.response", _holdings_of_response.describe, title=_("Community defence"), order=20
)
_register_demo(_response_demo.load_response)
