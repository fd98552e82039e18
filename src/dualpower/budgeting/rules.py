"""Who may do what in participatory budgeting, by role and by the cycle's phase.

The object checked is a Community (listing, starting or importing a cycle), a Cycle, or a
Proposal (implementation updates). Admitted people (observers included) read; members take part
in each phase as it comes; the cycle's working group reviews feasibility, counts paper ballots and
tracks implementation; coordinators run the cycle.
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.budgeting.models import Cycle, Phase, Proposal
from dualpower.groups.selectors import is_active_in_group
from dualpower.members.roles import membership_for
from dualpower.members.rules import is_acting_coordinator, is_admitted, is_member, is_public_community


def _cycle(obj: Any) -> Cycle | None:
    if isinstance(obj, Cycle):
        return obj
    if isinstance(obj, Proposal):
        return obj.cycle
    return None


def in_phase(*phases: str) -> Any:
    @rules.predicate(name=f"in_phase_{'_'.join(phases)}")
    def predicate(user: Any, obj: Any) -> bool:
        cycle = _cycle(obj)
        return cycle is not None and cycle.phase in phases and not cycle.imported_from

    return predicate


@rules.predicate
def is_counted(user: Any, obj: Any) -> bool:
    cycle = _cycle(obj)
    return cycle is not None and cycle.is_counted


def _in_group(user: Any, group_id: int | None, community: Any) -> bool:
    if group_id is None:
        return False
    me = membership_for(user, community)
    if me is None:
        return False
    return is_active_in_group(group_id=group_id, membership=me)


@rules.predicate
def in_cycle_group(user: Any, obj: Any) -> bool:
    """In the working group the cycle named for feasibility review, tellers and tracking."""
    cycle = _cycle(obj)
    return cycle is not None and _in_group(user, cycle.working_group_id, cycle.community)


@rules.predicate
def in_responsible_group(user: Any, obj: Any) -> bool:
    return isinstance(obj, Proposal) and _in_group(user, obj.responsible_group_id, obj.cycle.community)


runs_cycle = is_acting_coordinator
works_on_cycle = (in_cycle_group & is_member) | is_acting_coordinator

rules.add_perm("budgeting.list_cycles", is_admitted)
rules.add_perm("budgeting.view_cycle", is_admitted)
rules.add_perm("budgeting.add_cycle", is_acting_coordinator)
rules.add_perm("budgeting.import_cycle", is_acting_coordinator)
rules.add_perm("budgeting.manage_cycle", runs_cycle)
rules.add_perm("budgeting.submit_idea", is_member & in_phase(Phase.IDEAS))
rules.add_perm("budgeting.develop_proposals", is_member & in_phase(Phase.IDEAS, Phase.DEVELOPMENT))
# The phase first: a question about the cycle's own row, asked before the working group's (a query).
rules.add_perm("budgeting.review_feasibility", in_phase(Phase.FEASIBILITY) & works_on_cycle)
rules.add_perm("budgeting.vote", is_member & in_phase(Phase.VOTING))
rules.add_perm("budgeting.enter_paper", in_phase(Phase.VOTING) & works_on_cycle)
# Results and the accountability page: for everyone admitted, and for anyone when the community
# is public, but only once the vote is counted (nothing leaks while it is open).
rules.add_perm("budgeting.view_results", (is_admitted | is_public_community) & is_counted)
rules.add_perm(
    "budgeting.track_implementation",
    in_phase(Phase.IMPLEMENTATION) & (works_on_cycle | (in_responsible_group & is_member)),
)

PERMISSIONS = (
    "budgeting.list_cycles",
    "budgeting.view_cycle",
    "budgeting.add_cycle",
    "budgeting.import_cycle",
    "budgeting.manage_cycle",
    "budgeting.submit_idea",
    "budgeting.develop_proposals",
    "budgeting.review_feasibility",
    "budgeting.vote",
    "budgeting.enter_paper",
    "budgeting.view_results",
    "budgeting.track_implementation",
)
