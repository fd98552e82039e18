"""Who may do what in deliberations. The only place access to them is decided.

The object checked is the Community (list, open one), an Assembly (open one there) or a
Deliberation (everything else). Admitted people read deliberations and their maps (never who voted
what: nobody can read that). The people who vote in the deliberation's assembly take part: they
add statements and vote. Its facilitators — who opened it, and coordinators who vote in the
assembly — moderate, close it and start a proposal from it (which the assembly then decides under
its policy).
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.assemblies import bodies, selectors
from dualpower.assemblies.models import Assembly
from dualpower.community.models import Community
from dualpower.deliberation.models import Deliberation
from dualpower.members.roles import membership_for
from dualpower.members.rules import is_acting_coordinator, is_admitted


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


is_facilitator = (opened_it & votes_in_assembly) | (is_acting_coordinator & votes_in_assembly)

rules.add_perm("deliberation.view", is_admitted)
rules.add_perm("deliberation.open", may_open_here)
rules.add_perm("deliberation.take_part", votes_in_assembly & is_open)
rules.add_perm("deliberation.moderate", is_facilitator)
rules.add_perm("deliberation.start_proposal", is_facilitator)

PERMISSIONS = (
    "deliberation.view",
    "deliberation.open",
    "deliberation.take_part",
    "deliberation.moderate",
    "deliberation.start_proposal",
)
