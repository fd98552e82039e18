"""Every permission against every role: a new action without a rule shows up here at once."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.assemblies.rules import PERMISSIONS
from dualpower.assemblies.tests.factories import general, open_proposal
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "applicant", "observer", "member", "coordinator", "outsider"]
READ = {"observer", "member", "coordinator"}
VOTERS = {"member", "coordinator"}
EXPECTED: dict[str, set[str]] = {
    "assemblies.list_assemblies": READ,
    "assemblies.view_assembly": READ,
    "assemblies.view_proposal": READ,
    "assemblies.propose": VOTERS,
    "assemblies.comment": READ,
    "assemblies.amend": VOTERS,
    "assemblies.vote": VOTERS,
    # The author is the member; a coordinator may steer any proposal of an assembly they vote in.
    "assemblies.manage_proposal": VOTERS,
    "assemblies.answer_amendment": {"member"},
    # Closing a vote early: the author or a coordinator who votes (the service adds when: everyone
    # has voted, or the policy permits it and a coordinator gives a reason).
    "assemblies.close_proposal": VOTERS,
    # The outcome statement: whoever steers the proposal (the service adds: once it is decided).
    "assemblies.write_outcome": VOTERS,
    "assemblies.delegate": set(),  # the default policy does not use delegation
    "assemblies.change_policy": set(),  # never: only by a decision
}


def test_every_permission_has_an_expectation() -> None:
    assert set(PERMISSIONS) == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(people: Any, community: Any, role: str) -> None:
    ga = general(community)
    proposal = open_proposal(ga, membership_of(people["member"], community), process="majority")
    on_proposal = {
        "assemblies.view_proposal",
        "assemblies.comment",
        "assemblies.amend",
        "assemblies.vote",
        "assemblies.manage_proposal",
        "assemblies.close_proposal",
        "assemblies.answer_amendment",
        "assemblies.write_outcome",
    }
    for perm, allowed in EXPECTED.items():
        obj: Any = proposal if perm in on_proposal else ga
        if perm == "assemblies.list_assemblies":
            obj = community
        assert people[role].has_perm(perm, obj) == (role in allowed), perm


@pytest.mark.parametrize("role", ROLES)
def test_delegation_is_for_voters_when_the_policy_allows(people: Any, community: Any, role: str) -> None:
    ga = general(community, liquid_delegation=True)
    assert people[role].has_perm("assemblies.delegate", ga) == (role in VOTERS)
