"""Everything the assemblies app registers, in one place (imported by ``AppConfig.ready()``).

- the actions a decision carries out itself (admit, change a role, change a policy);
- the clock job that opens and closes voting windows and sends reminders;
- the audience of the notifications to everyone who votes in an assembly;
- the demo loader, the dashboard widget and the menu entry.

The bodies of the general assembly and of working groups register in ``bodies.py`` itself (the
registry's defaults); the permissions are declared by importing ``rules``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dualpower import clock
from dualpower import demo as demo_registry
from dualpower.assemblies import (
    actions,
    builtin_actions,
    demo,
    jobs,
    notify,
    rules,  # noqa: F401  (declares the permissions)
)
from dualpower.assemblies import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.assemblies.widgets import votes_waiting_panel
from dualpower.community import dashboard
from dualpower.notifications import audiences
from dualpower.web import navigation

actions.register(
    actions.ActionKind(
        key="members.admit",
        label=_("Admit an applicant"),
        validate=builtin_actions.validate_admit,
        run=transaction.atomic(builtin_actions.run_admit),
        describe=builtin_actions.describe_admit,
        needs=builtin_actions.ADMIT_NEEDS,
    )
)
actions.register(
    actions.ActionKind(
        key="members.role",
        label=_("Grant or revoke a role"),
        validate=builtin_actions.validate_role,
        run=builtin_actions.run_role,
        describe=builtin_actions.describe_role,
        needs=builtin_actions.ROLE_NEEDS,
    )
)
actions.register(
    actions.ActionKind(
        key="assemblies.change_policy",
        label=_("Change how an assembly decides (its policy)"),
        validate=builtin_actions.validate_policy,
        run=builtin_actions.run_policy,
        describe=builtin_actions.describe_policy,
        needs=builtin_actions.POLICY_NEEDS,
    )
)

clock.job("assemblies.windows")(jobs.windows)
audiences.register(notify.VOTERS, notify.voters)
audiences.register(notify.NOT_YET_VOTED, notify.not_yet_voted)
demo_registry.register(demo.load_assemblies)
dashboard.register("assemblies-votes", votes_waiting_panel)
navigation.register("assemblies", _("Assemblies"), "assemblies:list", order=30, primary=True, group="decide")
