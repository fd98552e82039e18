"""Everything the deliberation app registers, in one place (imported by ``AppConfig.ready()``):
its menu entry, the panel on a proposal's page saying which deliberation it came from, the clock
job that keeps maps up with their votes, what peers' nodes send about deliberations, the votes on
peers' deliberations a member takes with them when they delete their account, audit sentences,
permissions and the demo."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import clock as schedule
from dualpower import demo as demo_registry
from dualpower.assemblies import panels
from dualpower.community import dashboard
from dualpower.deliberation import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.deliberation import demo, jobs, panel, receiving, widgets
from dualpower.deliberation import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.deliberation.publishing import OBJECT_TYPE, STATEMENT_TYPE, VOTE_TYPE
from dualpower.deliberation.services import peers
from dualpower.federation.handlers import handler
from dualpower.members.hooks import register_member_erased
from dualpower.web import navigation

# Peers' nodes: their deliberations opened to us, and their members' votes on ours (receiving.py).
handler(f"Create({OBJECT_TYPE})")(receiving.deliberation_received)
handler(f"Update({OBJECT_TYPE})")(receiving.deliberation_received)
handler(f"Delete({OBJECT_TYPE})")(receiving.deliberation_deleted)
handler(f"Create({VOTE_TYPE})")(receiving.vote_relayed)
handler(f"Create({STATEMENT_TYPE})")(receiving.statement_relayed)
handler(f"Delete({VOTE_TYPE})")(receiving.votes_withdrawn)
# Someone who deletes their account (the only way to leave) takes their votes on peers' deliberations.
register_member_erased(peers.peer_votes_of_former_member)

navigation.register(
    "deliberation",
    _("Deliberations"),
    "deliberation:list",
    order=31,
    group="decide",
    perm="deliberation.view",
)
panels.register("deliberation.started_from", panel.started_from)
dashboard.register("open-deliberations", widgets.open_deliberations_panel)
schedule.job("deliberation.maps")(jobs.refresh_stale_maps)
schedule.job("deliberation.maps_to_peers")(jobs.send_held_maps)
demo_registry.register(demo.load_deliberation)
