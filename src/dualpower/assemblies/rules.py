"""Who may do what in assemblies. The only place access to assemblies is decided.

Objects checked: a Community (list), an Assembly (view, propose, delegate) or a Proposal
(everything else). Admitted people read; the assembly's voters propose, amend and vote; its
voters and observers comment; the author (or a coordinator) steers a proposal. Nobody changes a
policy directly: that is an action of a decision of the assembly.
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.assemblies import bodies, selectors
from dualpower.assemblies.models import Assembly, Proposal
from dualpower.members.roles import membership_for
from dualpower.members.rules import is_acting_coordinator, is_admitted


def _assembly(obj: Any) -> Assembly | None:
    if isinstance(obj, Assembly):
        return obj
    if isinstance(obj, Proposal):
        return obj.assembly
    return None


@rules.predicate
def is_voter(user: Any, obj: Any) -> bool:
    assembly = _assembly(obj)
    return assembly is not None and bodies.is_voter(assembly, membership_for(user, assembly.community))


@rules.predicate
def may_propose(user: Any, obj: Any) -> bool:
    assembly = _assembly(obj)
    return assembly is not None and selectors.may_propose(assembly, membership_for(user, assembly.community))


@rules.predicate
def may_speak(user: Any, obj: Any) -> bool:
    assembly = _assembly(obj)
    return assembly is not None and selectors.may_speak(assembly, membership_for(user, assembly.community))


@rules.predicate
def is_author(user: Any, proposal: Any) -> bool:
    if not isinstance(proposal, Proposal) or proposal.author_id is None:
        return False
    me = membership_for(user, proposal.assembly.community)
    return me is not None and me.pk == proposal.author_id


@rules.predicate
def uses_delegation(user: Any, obj: Any) -> bool:
    assembly = _assembly(obj)
    return assembly is not None and assembly.policy.liquid_delegation and not assembly.policy.secret_ballots


rules.add_perm("assemblies.list_assemblies", is_admitted)
rules.add_perm("assemblies.view_assembly", is_admitted)
rules.add_perm("assemblies.view_proposal", is_admitted)
rules.add_perm("assemblies.propose", may_propose)
rules.add_perm("assemblies.comment", may_speak)
rules.add_perm("assemblies.amend", is_voter)
rules.add_perm("assemblies.vote", is_voter)
rules.add_perm("assemblies.manage_proposal", is_author | (is_acting_coordinator & is_voter))
# Closing a vote early: who may press the button. When, and whether a reason is needed (everyone
# has voted, or the policy permits early closing by a coordinator), is the service's to say.
rules.add_perm("assemblies.close_proposal", is_author | (is_acting_coordinator & is_voter))
rules.add_perm("assemblies.answer_amendment", is_author)
# Whoever may steer the proposal (its facilitator) writes its outcome statement after the vote.
rules.add_perm("assemblies.write_outcome", is_author | (is_acting_coordinator & is_voter))
rules.add_perm("assemblies.delegate", is_voter & uses_delegation)
# A policy changes only by a decision of its assembly (the action “Change the policy”).
rules.add_perm("assemblies.change_policy", rules.always_deny)

PERMISSIONS = (
    "assemblies.list_assemblies",
    "assemblies.view_assembly",
    "assemblies.view_proposal",
    "assemblies.propose",
    "assemblies.comment",
    "assemblies.amend",
    "assemblies.vote",
    "assemblies.manage_proposal",
    "assemblies.close_proposal",
    "assemblies.answer_amendment",
    "assemblies.write_outcome",
    "assemblies.delegate",
    "assemblies.change_policy",
)
