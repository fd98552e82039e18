"""The published anonymised ``.pb`` file links no ballot to anything stored (issue 14).

Its voter ids are fresh (``v1`` … ``vN`` over an order drawn by the CSPRNG at the count): none of
them is a value of any column stored with the ballots or their voters, and the ballots are not in
the order they were cast, nor in the order of their stored refs. A voter still sees what their
share paid for (found by the ballot's content, not by an id).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Any

import pytest

from dualpower.budgeting import selectors, services
from dualpower.budgeting.models import Ballot, BallotEntry, Cycle, Phase, Result
from dualpower.budgeting.tests.factories import make_cycle
from dualpower.core.choice.formats.pb import parse_pb
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db

# Every non-empty set of the four projects, in turn: 45 ballots, at most 3 alike.
CHOICES = [list(c) for n in (1, 2, 3, 4) for c in combinations(["1", "2", "3", "4"], n)] * 3


def _voted(community: Any, ballot_type: str = "approval") -> tuple[Cycle, list[Membership]]:
    cycle = make_cycle(community, phase=Phase.VOTING, ballot_type=ballot_type, points=10)
    voters = []
    for i, codes in enumerate(CHOICES):
        voter = make_membership(community, name=f"Voter {i}")
        points = [10] if len(codes) == 1 else [10 - len(codes) + 1] + [1] * (len(codes) - 1)
        choices = [
            (code, p if ballot_type == "cumulative" else 1) for code, p in zip(codes, points, strict=True)
        ]
        services.ballot_submit(cycle=cycle, voter=voter, district=None, choices=choices)
        voters.append(voter)
    services.cycle_advance(cycle=cycle, by=None)  # closes the vote and counts it
    cycle.refresh_from_db()
    assert cycle.is_counted
    return cycle, voters


def _stored_values(cycle: Cycle) -> set[str]:
    """Every value stored next to a ballot or its voter, as text."""
    voter_ids = Ballot.objects.filter(cycle=cycle).values_list("voter_id", flat=True)
    tables: list[Iterable[Mapping[str, object]]] = [
        Ballot.objects.filter(cycle=cycle).values(),
        BallotEntry.objects.filter(ballot__cycle=cycle).values(),
        Membership.objects.filter(pk__in=voter_ids).values(),
    ]
    return {str(v) for rows in tables for row in rows for v in row.values() if v is not None}


def _contents(cycle: Cycle, ballots: list[Ballot]) -> list[tuple[str, ...]]:
    codes = dict(cycle.proposals.values_list("pk", "code"))
    by_ballot: dict[int, list[str]] = {b.pk: [] for b in ballots}
    for ballot_id, proposal_id in BallotEntry.objects.filter(ballot__in=ballots).values_list(
        "ballot_id", "proposal_id"
    ):
        by_ballot[ballot_id].append(codes[proposal_id])
    return [tuple(sorted(by_ballot[b.pk])) for b in ballots]


def _published(text: str) -> tuple[list[str], list[tuple[str, ...]]]:
    election = parse_pb(text)
    ids = [p.id for p in election.projects]
    ballots = election.ballots
    offsets, index = ballots.offsets.tolist(), ballots.project_index.tolist()
    contents = [
        tuple(sorted(ids[i] for i in index[offsets[v] : offsets[v + 1]]))
        for v in range(len(ballots.voter_ids))
    ]
    return list(ballots.voter_ids), contents


def test_the_published_ids_are_fresh_and_the_order_is_drawn(client: Any, community: Any) -> None:
    cycle, _voters = _voted(community)
    result = Result.objects.get(cycle=cycle)
    download = client.get(f"/c/{community.slug}/budgets/{cycle.slug}/results/citywide.pb")  # public community
    assert download.status_code == 200 and download.content == result.ballot_file.encode()
    ids, published = _published(download.content.decode())
    assert len(ids) == len(CHOICES) == len(set(ids))
    assert ids == [f"v{i}" for i in range(1, len(CHOICES) + 1)]
    # No published id is a value stored with a ballot, its entries or its voter (refs, row ids,
    # membership and user ids, names...): nothing in a stolen database maps an id to a person.
    assert not set(ids) & _stored_values(cycle)
    # The same ballots, in an order that is neither the order they were cast nor that of their refs.
    cast = list(Ballot.objects.filter(cycle=cycle).order_by("id"))
    by_ref = sorted(cast, key=lambda b: b.ref)
    assert sorted(published) == sorted(_contents(cycle, cast))
    assert published != _contents(cycle, cast)
    assert published != _contents(cycle, by_ref)
    # Counting again draws again: the same outcome, another order.
    again = services.cycle_count(cycle=cycle, by=None)[0]
    assert again.selected == result.selected
    assert _published(again.ballot_file)[1] != published


@pytest.mark.parametrize("ballot_type", ["approval", "cumulative"])
def test_a_voter_still_sees_what_their_share_paid_for(community: Any, ballot_type: str) -> None:
    cycle, voters = _voted(community, ballot_type)
    for voter in (voters[0], voters[-1]):
        [account] = selectors.voter_explanations(cycle=cycle, voter=voter)
        assert account["share"] > 0
        assert account["payments"] or account["supported_not_funded"]
