"""Secret ballots: who voted is kept apart from what was voted, with nothing linking the two."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from django.db import connection

from dualpower.assemblies import selectors, services
from dualpower.assemblies.models import Ballot, Participation
from dualpower.assemblies.tests.factories import after_close, general, open_proposal, voters
from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def test_the_database_holds_no_link_between_a_voter_and_their_ballot(people: Any, community: Any) -> None:
    assembly = general(community, secret_ballots=True)
    group = voters(community, 30)
    author = membership_of(people["member"], community)
    labels = ["A", "B", "C", "D", "E", "F"]
    p = open_proposal(assembly, author, process="approval", options=labels)
    ids = [str(o.pk) for o in p.options.all()]
    # Each voter casts a ballot nobody else casts, so a link would show in the order of rows.
    subsets = [c for r in (1, 2, 3) for c in itertools.combinations(ids, r)][: len(group)]
    for voter, subset in zip(group, subsets, strict=True):
        services.vote_cast(proposal=p, by=voter, choices=list(subset))
    services.proposal_close(proposal=p, now=after_close(p))

    # The ballot table has no voter, no time and no sequential key; participation no time.
    assert set(_columns("assemblies_ballot")) == {
        "id",
        "proposal_id",
        "position",
        "choices",
        "reason",
        "receipt_hash",
    }
    assert set(_columns("assemblies_participation")) == {"id", "proposal_id", "membership_id"}
    for fk in connection.introspection.get_relations(connection.cursor(), "assemblies_ballot").values():
        assert fk[1] == "assemblies_proposal"

    # The order rows sit in does not give the order people voted in.
    physical = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT choices FROM assemblies_ballot ORDER BY {physical}")  # noqa: S608
        stored = [
            tuple(sorted(json.loads(row[0]) if isinstance(row[0], str) else row[0]))
            for row in cursor.fetchall()
        ]
    cast_order = [tuple(sorted(s)) for s in subsets]
    assert sorted(stored) == sorted(cast_order)  # every ballot is there, once
    assert stored != cast_order
    # The audit log says who voted, never what.
    for entry in AuditEntry.objects.filter(action__startswith="vote."):
        assert entry.data == {} and entry.target_type == "assemblies.proposal"
    assert Participation.objects.filter(proposal=p).count() == 30


def test_a_receipt_code_finds_the_ballot_and_changes_it(people: Any, community: Any) -> None:
    assembly = general(community, secret_ballots=True)
    mara = membership_of(people["member"], community)
    p = open_proposal(assembly, mara, process="majority")
    cast = services.vote_cast(proposal=p, by=mara, position="agree")
    assert len(cast.receipt) == 19 and cast.vote is None
    assert not Ballot.objects.filter(receipt_hash__icontains=cast.receipt).exists()  # only a hash is kept
    with pytest.raises(Conflict, match="receipt"):
        services.vote_cast(proposal=p, by=mara, position="disagree")
    with pytest.raises(InvalidInput, match="does not match"):
        services.vote_cast(proposal=p, by=mara, position="disagree", receipt="WRONG-CODE-0000-0000")
    # While the vote is open the ballot is sealed (test_sealed_ballots.py): read with the vote's key.
    assert [b.position for b in services.ballots_sealed(proposal=p)] == ["agree"]
    again = services.vote_cast(proposal=p, by=mara, position="disagree", receipt=cast.receipt.lower())
    assert again.replaced and again.receipt == ""
    assert [b.position for b in services.ballots_sealed(proposal=p)] == ["disagree"]
    assert not Ballot.objects.exists()
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.tally["counts"]["disagree"] == 1 and outcome.participants == 1
    assert selectors.ballot_for_receipt(p, cast.receipt) is not None
    assert selectors.ballot_for_receipt(p, "AAAA-BBBB-CCCC-DDDD") is None
    p.refresh_from_db()
    published = selectors.published_ballots(p)
    mine = selectors.ballot_for_receipt(p, cast.receipt)
    assert mine is not None
    assert len(published) == 1 and published[0]["check"] == mine.receipt_hash[:12]


def test_secret_results_stay_hidden_until_close_even_if_the_policy_shows_results(
    people: Any, community: Any
) -> None:
    assembly = general(community, secret_ballots=True, results_hidden_until_close=False)
    mara = membership_of(people["member"], community)
    p = open_proposal(assembly, mara, process="majority")
    services.vote_cast(proposal=p, by=mara, position="agree")
    assert not selectors.results_visible(p)
    assert selectors.open_votes(p) == {}
