"""Who may do what in deliberations. The only place access to them is decided.

The object checked is the Community (list, open one), an Assembly (open one there) or a
Deliberation (everything else). Admitted people read deliberations and their maps (never who voted
what: nobody can read that). The people who vote in the deliberation's assembly take part: they
add statements and vote. Its facilitators — who opened it, and coordinators who vote in the
assembly — moderate, close it and start a proposal from it (which the assembly then decides under
its policy).

Taking part with the link is checked against a ``LinkVisit`` (the deliberation and the token the
visitor's URL carries): whoever holds the current link may read the deliberation and its map,
vote while it is open, and add statements if the facilitators allow it — whoever they are, signed
in or not, except the assembly's own voters, who take part as members (the link page sends them
there, and the link refuses their votes, which would otherwise be counted twice). A link turned
off or replaced works for nobody. Facilitators turn it on and off.

Facilitators also open a deliberation to the members of the community's peers. A deliberation a
peer opened to us (``PeerDeliberation``) is read by our admitted people and voted on by our
members (not observers) while it is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules

from dualpower.assemblies import bodies, selectors
from dualpower.assemblies.models import Assembly
from dualpower.community.models import Community
from dualpower.deliberation.models import Deliberation, PeerDeliberation
from dualpower.members.roles import membership_for
from dualpower.members.rules import is_acting_coordinator, is_admitted, is_member


@dataclass(frozen=True)
class LinkVisit:
    """A visit through a deliberation's link: the object the link permissions are checked on."""

    deliberation: Deliberation
    token: str


def _assembly(obj: Any) -> Assembly | None:
    if isinstance(obj, Assembly):
        return obj
    if isinstance(obj, Deliberation):
        return obj.assembly
    return None


@rules.predicate
def votes_in_assembly(user: Any, obj: Any) -> bool:
    assembly = _assembly(obj)
    return assembly is not None and bodies.is_voter(assembly, membership_for(user, assembly.community))


@rules.predicate
def may_open_here(user: Any, obj: Any) -> bool:
    """An assembly: who may put proposals there may open a deliberation there. A community: who
    may do so in at least one of its assemblies (the list page offers the button)."""
    assembly = _assembly(obj)
    if assembly is not None:
        return selectors.may_propose(assembly, membership_for(user, assembly.community))
    if not isinstance(obj, Community):
        return False
    me = membership_for(user, obj)
    return me is not None and any(
        selectors.may_propose(a, me) for a in selectors.assemblies_for(community=obj)
    )


@rules.predicate
def opened_it(user: Any, deliberation: Any) -> bool:
    if not isinstance(deliberation, Deliberation) or deliberation.opened_by_id is None:
        return False
    me = membership_for(user, deliberation.community)
    return me is not None and me.pk == deliberation.opened_by_id


@rules.predicate
def is_open(user: Any, deliberation: Any) -> bool:
    return isinstance(deliberation, Deliberation) and deliberation.is_open


@rules.predicate
def holds_the_link(user: Any, visit: Any) -> bool:
    return isinstance(visit, LinkVisit) and visit.deliberation.link_is(visit.token)


@rules.predicate
def link_open(user: Any, visit: Any) -> bool:
    return isinstance(visit, LinkVisit) and visit.deliberation.is_open


@rules.predicate
def votes_in_its_assembly(user: Any, visit: Any) -> bool:
    """A voter of the assembly takes part as a member, never a second time through the link
    (their votes would be counted twice, once under each participant)."""
    return isinstance(visit, LinkVisit) and votes_in_assembly(user, visit.deliberation)


@rules.predicate
def link_takes_statements(user: Any, visit: Any) -> bool:
    return isinstance(visit, LinkVisit) and visit.deliberation.link_statements


@rules.predicate
def is_peer_deliberation(user: Any, obj: Any) -> bool:
    return isinstance(obj, PeerDeliberation)


@rules.predicate
def peer_deliberation_open(user: Any, obj: Any) -> bool:
    return isinstance(obj, PeerDeliberation) and not obj.is_closed


is_facilitator = (opened_it & votes_in_assembly) | (is_acting_coordinator & votes_in_assembly)

rules.add_perm("deliberation.view", is_admitted)
rules.add_perm("deliberation.open", may_open_here)
rules.add_perm("deliberation.take_part", votes_in_assembly & is_open)
rules.add_perm("deliberation.moderate", is_facilitator)
rules.add_perm("deliberation.start_proposal", is_facilitator)
rules.add_perm("deliberation.share_link", is_facilitator)
rules.add_perm("deliberation.open_to_peers", is_facilitator)
rules.add_perm("deliberation.view_peer", is_peer_deliberation & is_admitted)
rules.add_perm("deliberation.take_part_peer", peer_deliberation_open & is_member)
rules.add_perm("deliberation.view_by_link", holds_the_link)
rules.add_perm("deliberation.take_part_by_link", holds_the_link & link_open & ~votes_in_its_assembly)
rules.add_perm(
    "deliberation.add_by_link",
    holds_the_link & link_open & link_takes_statements & ~votes_in_its_assembly,
)

PERMISSIONS = (
    "deliberation.view",
    "deliberation.open",
    "deliberation.take_part",
    "deliberation.moderate",
    "deliberation.start_proposal",
    "deliberation.share_link",
    "deliberation.open_to_peers",
    "deliberation.view_peer",
    "deliberation.take_part_peer",
    "deliberation.view_by_link",
    "deliberation.take_part_by_link",
    "deliberation.add_by_link",
)
