"""Opening a ballot box at the close (assemblies/services/ballot_box.py), on SQLite and PostgreSQL:
every ballot goes in as it was cast — sealed now or by the version before — under a fresh random
key, in the order of those keys, and what needs escaping on its way in comes out unchanged."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import pytest
from django.db import connection, transaction

from dualpower import keys
from dualpower.assemblies import sealing, selectors, services
from dualpower.assemblies.models import Ballot, BallotBox, Participation, SealedBallot
from dualpower.assemblies.services import ballot_box
from dualpower.assemblies.tests.factories import after_close, general, open_proposal, voters
from dualpower.assemblies.tests.test_sealing import _seal_as_before
from dualpower.members.tests.factories import membership_of

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]


def _keys_as_kept(proposal_id: int) -> list[uuid.UUID]:
    """The keys of a vote's clear ballots, on SQLite in the order the table keeps them (rowid)."""
    if connection.vendor != "sqlite":
        return list(Ballot.objects.filter(proposal_id=proposal_id).values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM assemblies_ballot WHERE proposal_id = %s ORDER BY rowid", [proposal_id]
        )
        return [uuid.UUID(row[0]) for row in cursor.fetchall()]


def test_a_box_sealed_partly_by_the_version_before_is_counted_and_published_whole(
    people: Any, community: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assembly = general(community, secret_ballots=True)
    group = voters(community, 6)
    p = open_proposal(assembly, membership_of(people["member"], community), process="majority")
    receipts = [services.vote_cast(proposal=p, by=m, position="agree").receipt for m in group[:2]]
    # Four more as the version before sealed them (DPB1): the box and key are the vote's own.
    box = BallotBox.objects.get(proposal=p)
    key = keys.ballot_key_read(box.key_id)
    assert key is not None
    old_codes = [f"OLD0-CODE-0000-000{i}" for i in range(4)]
    for voter, code, position in zip(
        group[2:], old_codes, ["disagree", "agree", "abstain", "disagree"], strict=True
    ):
        digest = selectors.receipt_hash(p.pk, code)
        ballot = sealing.Opened(position=position, choices=[], receipt_hash=digest)
        Participation.objects.create(proposal=p, membership=voter)
        SealedBallot.objects.create(
            proposal=p, lookup=sealing.lookup(key, digest), sealed=_seal_as_before(key, ballot, pad=box.pad)
        )
    # An old receipt still changes its ballot while the vote is open (sealed again, now as DPB2).
    services.vote_cast(proposal=p, by=group[5], position="agree", receipt=old_codes[3])
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.participants == 6 and outcome.tally["counts"]["agree"] == 4
    assert Counter(b.position for b in Ballot.objects.filter(proposal=p)) == {
        "agree": 4,
        "disagree": 1,
        "abstain": 1,
    }
    expected = ["agree", "agree", "disagree", "agree", "abstain", "agree"]
    for code, position in zip(receipts + old_codes, expected, strict=True):
        found = selectors.ballot_for_receipt(p, code)
        assert found is not None and found.position == position, code
    assert (
        not SealedBallot.objects.filter(proposal=p).exists() and not keys.ballot_key_path(box.key_id).exists()
    )


def test_opened_ballots_get_fresh_version_4_keys_and_go_in_in_the_order_of_those_keys(
    people: Any, community: Any
) -> None:
    assembly = general(community, secret_ballots=True)
    group = voters(community, 24)
    p = open_proposal(
        assembly, membership_of(people["member"], community), process="approval", options=["A", "B", "C"]
    )
    a, b, c = (str(pk) for pk in p.options.order_by("position").values_list("pk", flat=True))
    cast = [[a], [b, a], [], [c, b, a], [a]] * 4 + [[b]] * 4
    for voter, choices in zip(group, cast, strict=True):
        services.vote_cast(proposal=p, by=voter, choices=choices)
    sealed_ids = {str(pk) for pk in SealedBallot.objects.filter(proposal=p).values_list("id", flat=True)}
    with transaction.atomic():
        assert services.ballot_box_open(proposal=p) == 24
    rows = Ballot.objects.filter(proposal=p).values_list("position", "choices")
    assert Counter(tuple(c) for _p, c in rows) == Counter(tuple(x) for x in cast)
    assert {position for position, _c in rows} == {""}
    keys_given = _keys_as_kept(p.pk)
    assert all(k.version == 4 and k.variant == uuid.RFC_4122 for k in keys_given)
    assert len(set(keys_given)) == 24 and not {str(k) for k in keys_given} & sealed_ids
    if connection.vendor == "sqlite":  # the table's own order: that of the fresh keys, not of the votes
        assert keys_given == sorted(keys_given)


def test_scores_and_rankings_go_in_as_cast(people: Any, community: Any) -> None:
    assembly = general(community, secret_ballots=True)
    group = voters(community, 4)
    author = membership_of(people["member"], community)
    scored = open_proposal(assembly, author, process="score", options=["A", "B"], title="Scored")
    ranked = open_proposal(assembly, author, process="ranked", options=["A", "B", "C"], title="Ranked")
    s = [str(pk) for pk in scored.options.order_by("position").values_list("pk", flat=True)]
    r = [str(pk) for pk in ranked.options.order_by("position").values_list("pk", flat=True)]
    scores = [{s[0]: 5, s[1]: 1}, {s[1]: 3}, {s[0]: 5, s[1]: 1}, {}]
    rankings = [[r[2], r[0]], [r[0], r[1], r[2]], [r[1]], [r[2], r[0]]]
    for voter, score, ranking in zip(group, scores, rankings, strict=True):
        services.vote_cast(proposal=scored, by=voter, choices=score)
        services.vote_cast(proposal=ranked, by=voter, choices=ranking)
    with transaction.atomic():
        services.ballot_box_open(proposal=scored)
        services.ballot_box_open(proposal=ranked)
    got_scores = sorted(
        sorted(b.items()) for b in Ballot.objects.filter(proposal=scored).values_list("choices", flat=True)
    )
    assert got_scores == sorted(sorted(x.items()) for x in scores)
    got_rankings = sorted(Ballot.objects.filter(proposal=ranked).values_list("choices", flat=True))
    assert got_rankings == sorted(rankings)  # the order of a ranking kept


def test_text_that_must_be_escaped_on_its_way_in_comes_out_unchanged(people: Any, community: Any) -> None:
    """Casting accepts only a process's positions and the vote's option ids; the writing itself
    must still keep any text whole (PostgreSQL's COPY reads tabs, backslashes and line ends)."""
    assembly = general(community, secret_ballots=True)
    p = open_proposal(assembly, membership_of(people["member"], community), process="majority")
    odd_position = "a\tb\\c\nd\re ñ"
    odd_choices = {"k\t\\N": 1, 'q"\n': [2, "\\"], "ü": None}
    box = sealing.Box(
        said=[(odd_position, odd_choices), ("\\N", [])],
        which=[0, 1, 0],
        digests=["ab" * 32, "cd" * 32, "ef" * 32],
    )
    with transaction.atomic():
        ballot_box._insert_clear(p, box)
    got = sorted(
        Ballot.objects.filter(proposal=p).values_list("receipt_hash", "position", "choices", "reason")
    )
    assert got == [
        ("ab" * 32, odd_position, odd_choices, ""),
        ("cd" * 32, "\\N", [], ""),  # not read as COPY's NULL
        ("ef" * 32, odd_position, odd_choices, ""),
    ]
