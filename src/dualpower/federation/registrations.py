"""Everything federation registers with the rest of dualpower, in one place (imported by
``FederationConfig.ready()`` and nothing else): the peering actions, the clock job that retries
deliveries, the menu entry and the permissions (rules.py registers them when imported)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import clock as schedule
from dualpower.assemblies.actions import ActionKind, Need
from dualpower.assemblies.actions import register as register_action
from dualpower.federation import announcements as _announcements  # noqa: F401 - its audit sentences
from dualpower.federation import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.federation import handlers_events as _events  # noqa: F401 - registers the event answers
from dualpower.federation import handlers_follow as _follow  # noqa: F401 - registers Follow, Accept, Reject, Undo
from dualpower.federation import handlers_notes as _notes  # noqa: F401 - registers notes, Announce, actor updates
from dualpower.federation import jobs, peering
from dualpower.federation import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.web import navigation

schedule.job("federation.deliveries")(jobs.deliveries_due)

# Peering is a decision of each community's assembly (peering.py also registers the Offer,
# Accept, Reject and Undo it takes from the inbox).
register_action(
    ActionKind(
        key="federation.peer",
        label=_("Become peers with a community on another server"),
        validate=peering.validate_peer,
        run=peering.run_peer,
        describe=peering.describe_peer,
        needs=(
            Need(
                "actor", _("A community this server knows"), options=peering.known_communities, required=False
            ),
            Need(
                "handle",
                _("Or its address"),
                kind="text",
                required=False,
                help=_("Like @garden@example.org: the community's address on its own server."),
            ),
        ),
    )
)
register_action(
    ActionKind(
        key="federation.unpeer",
        label=_("End a peering with a community on another server"),
        validate=peering.validate_unpeer,
        run=peering.run_unpeer,
        describe=peering.describe_unpeer,
        needs=(Need("actor", _("Which peer"), options=peering.current_peers),),
    )
)
navigation.register("network", _("Network"), "federation:network", order=95, group="community")
