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
from dualpower.federation import directory_services, jobs, peering, remote
from dualpower.federation import handlers_events as _events  # noqa: F401 - registers the event answers
from dualpower.federation import handlers_follow as _follow  # noqa: F401 - registers Follow, Accept, Reject, Undo
from dualpower.federation import handlers_notes as _notes  # noqa: F401 - registers notes, Announce, actor updates
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
                "actor",
                _("A community this server knows"),
                options=peering.known_communities,
                required=False,
                empty=_("Not in this list: I give its address below"),
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

# --- polls: advisory polls on the fediverse (polls.py, views/polls.py) ----------------------------
from dualpower.assemblies import panels  # noqa: E402 - one block per concern, at the end
from dualpower.federation import polls  # noqa: E402
from dualpower.federation.views import polls as poll_views  # noqa: E402

schedule.job("federation.polls")(polls.polls_due)
panels.register("federation.poll", poll_views.poll_panel)
# --- end polls ------------------------------------------------------------------------------------

# The directory (directory.py): profiles kept from the actors fetched from their origins, and a
# regional or national body's member communities, recorded by its assembly's decision.
remote.on_actor_stored(directory_services.remote_profile_store)
register_action(
    ActionKind(
        key="federation.add_member_community",
        label=_("Record a peer community as a member community"),
        validate=directory_services.validate_add_member,
        run=directory_services.run_add_member,
        describe=directory_services.describe_add_member,
        needs=(Need("actor", _("Which peer"), options=directory_services.member_candidates),),
    )
)
register_action(
    ActionKind(
        key="federation.remove_member_community",
        label=_("Stop recording a community as a member community"),
        validate=directory_services.validate_remove_member,
        run=directory_services.run_remove_member,
        describe=directory_services.describe_remove_member,
        needs=(Need("actor", _("Which member community"), options=directory_services.current_members),),
    )
)

# --- Persons: members visible on the fediverse by their own choice (persons.py) ------------------
from dualpower.community.hooks import on_community_created  # noqa: E402 - one block per concern
from dualpower.federation import persons  # noqa: E402
from dualpower.members.hooks import register_member_erased  # noqa: E402

register_member_erased(persons.person_erased)  # an account deleted: its person actor goes too
on_community_created(persons.community_slug_free)  # a slug may not be someone's handle
schedule.job("federation.person_keys")(persons.person_keys_due)
# --- end Persons --------------------------------------------------------------------------------
