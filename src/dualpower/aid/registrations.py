"""Everything the aid app registers with the rest of dualpower, in one place (imported by
``AidConfig.ready()`` and nothing else): the assembly's actions, the dashboard widget, the menu
entry, the clock jobs, the demo loader, and the permissions (rules.py registers them when
imported)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import clock as schedule
from dualpower.aid import actions, demo, jobs, widgets
from dualpower.aid import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.aid import holdings as _holdings  # noqa: F401 - registers what it holds (the seizure page)
from dualpower.aid import referrals_inbox as _referrals  # noqa: F401 - registers the referral handlers
from dualpower.aid import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.assemblies.actions import ActionKind, Need
from dualpower.assemblies.actions import register as register_action
from dualpower.community import dashboard
from dualpower.demo import register as register_demo
from dualpower.web import navigation

register_action(
    ActionKind(
        key="aid.grant_dispatcher",
        label=_("Choose an aid dispatcher"),
        validate=actions.validate_dispatcher,
        run=actions.run_dispatcher,
        describe=actions.describe_dispatcher,
        needs=(Need("membership", _("Who becomes a dispatcher"), options=actions.member_choices),),
    )
)
register_action(
    ActionKind(
        key="aid.set_retention",
        label=_("Set how long aid requests' private details are kept"),
        validate=actions.validate_retention,
        run=actions.run_retention,
        describe=actions.describe_retention,
        needs=(
            Need(
                "days",
                _("Days the private details are kept after a request closes"),
                kind="number",
                help=_("0 to 3650; 0 erases them as soon as the request closes."),
            ),
        ),
    )
)
dashboard.register("aid", widgets.aid_panel)
navigation.register("aid", _("Mutual aid"), "aid:list", order=40, primary=True, group="needs")
schedule.job("aid.erase_expired")(jobs.erase_expired)
schedule.job("aid.flag_stale")(jobs.flag_stale)
schedule.job("aid.referrals")(jobs.referrals_due)
register_demo(demo.load_aid)
