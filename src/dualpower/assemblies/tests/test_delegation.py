"""Liquid delegation: scoped, transitive, without circles; a direct vote overrides."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.assemblies import services
from dualpower.assemblies.models import Delegation
from dualpower.assemblies.tests.factories import after_close, general, open_proposal, voters
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db


def test_delegated_votes_are_carried_transitively_and_shown(people: Any, community: Any) -> None:
    assembly = general(community, liquid_delegation=True)
    a, b, c, d = voters(community, 4)
    services.delegation_set(assembly=assembly, by=a, delegate=b)
    services.delegation_set(assembly=assembly, by=b, delegate=c)
    p = open_proposal(assembly, membership_of(people["member"], community), process="majority")
    services.vote_cast(proposal=p, by=c, position="agree")
    services.vote_cast(proposal=p, by=d, position="disagree")
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.tally["counts"]["agree"] == 3
    assert outcome.delegated_weight == {str(c.pk): 2}


def test_a_direct_vote_overrides_the_delegation(people: Any, community: Any) -> None:
    assembly = general(community, liquid_delegation=True)
    a, b = voters(community, 2)
    services.delegation_set(assembly=assembly, by=a, delegate=b)
    p = open_proposal(assembly, membership_of(people["member"], community), process="majority")
    services.vote_cast(proposal=p, by=b, position="agree")
    services.vote_cast(proposal=p, by=a, position="disagree")
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.tally["counts"] == {**outcome.tally["counts"], "agree": 1, "disagree": 1}
    assert outcome.delegated_weight == {}


def test_the_most_specific_delegation_wins(people: Any, community: Any) -> None:
    assembly = general(community, liquid_delegation=True)
    a, b, c = voters(community, 3)
    services.delegation_set(assembly=assembly, by=a, delegate=b)
    services.delegation_set(assembly=assembly, by=a, delegate=c, topic="Housing")
    p = open_proposal(
        assembly, membership_of(people["member"], community), process="majority", topic="housing"
    )
    services.vote_cast(proposal=p, by=b, position="agree")
    services.vote_cast(proposal=p, by=c, position="disagree")
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.tally["counts"]["disagree"] == 2 and outcome.tally["counts"]["agree"] == 1


def test_a_delegation_that_would_make_a_circle_is_refused(people: Any, community: Any) -> None:
    assembly = general(community, liquid_delegation=True)
    a, b, c = voters(community, 3)
    services.delegation_set(assembly=assembly, by=a, delegate=b)
    services.delegation_set(assembly=assembly, by=b, delegate=c)
    with pytest.raises(Conflict, match="circle"):
        services.delegation_set(assembly=assembly, by=c, delegate=a)
    with pytest.raises(Conflict, match="circle"):
        services.delegation_set(assembly=assembly, by=c, delegate=a, topic="housing")
    with pytest.raises(InvalidInput):
        services.delegation_set(assembly=assembly, by=a, delegate=a)
    assert Delegation.objects.count() == 2


def test_delegation_is_off_unless_the_policy_allows_and_never_with_secret_ballots(
    people: Any, community: Any
) -> None:
    a, b = voters(community, 2)
    with pytest.raises(Conflict, match="does not use"):
        services.delegation_set(assembly=general(community), by=a, delegate=b)
    with pytest.raises(Conflict, match="secret"):
        services.delegation_set(
            assembly=general(community, liquid_delegation=True, secret_ballots=True), by=a, delegate=b
        )
    assert not Delegation.objects.exists()
